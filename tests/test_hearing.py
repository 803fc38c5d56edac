"""Silence, noise and another language are reported, never scored (issue: the debrief's honesty)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mockint.audio import load_audio
from mockint.hearing import Heard, judge
from mockint.transcript import Transcript, Word
from conftest import MODEL_CACHE


def said(text: str, p: float = 0.9, language: str | None = None, lp: float | None = None) -> Transcript:
    ws = tuple(Word(t, i * 0.4, i * 0.4 + 0.3, p) for i, t in enumerate(text.split()))
    return Transcript(ws, 20.0, voiced=((0.0, len(ws) * 0.4),), language=language, language_probability=lp)


def test_no_words_and_no_voice_is_silence_with_what_to_do() -> None:
    hearing = judge(Transcript((), 30.0))
    assert hearing.heard is Heard.SILENCE and not hearing.is_answer
    assert "didn't hear an answer" in hearing.message and "mockint doctor" in hearing.message


def test_sound_without_words_is_noise_and_a_few_words_are_too_little() -> None:
    assert judge(Transcript((), 30.0, voiced=((0.0, 30.0),))).heard is Heard.NOISE
    few = judge(said("I don't know."))
    assert few.heard is Heard.NOISE and "“I don't know.”" in few.message


def test_a_confident_other_language_with_unsure_english_words_is_not_scored() -> None:
    german = judge(said("I have found a problem in my latest job with the numbers", p=0.5, language="de", lp=0.99))
    assert german.heard is Heard.OTHER_LANGUAGE and "German" in german.message
    # English heard with confident words is an answer even if the language guess wavers.
    assert judge(said("I have found a problem in my latest job with the numbers", p=0.93, language="cy", lp=0.75)).is_answer
    assert judge(said("I rewrote the query and added an index", language="en", lp=0.94)).is_answer
    assert judge(said("I rewrote the query and added an index")).is_answer  # saved before languages were asked


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("silence", ["-n", "-r", "16000", "-c", "1", "-b", "16", "{out}", "trim", "0", "20"], Heard.SILENCE),
        ("noise", ["-n", "-r", "16000", "-c", "1", "-b", "16", "{out}", "synth", "20", "whitenoise", "vol", "0.3"], Heard.NOISE),
        ("tone", ["-n", "-r", "16000", "-c", "1", "-b", "16", "{out}", "synth", "20", "sine", "440", "vol", "0.5"], Heard.NOISE),
    ],
)
def test_real_silence_noise_and_tones_through_whisper_are_not_answers(tmp_path: Path, name: str, make: list[str], expected: Heard) -> None:
    if shutil.which("sox") is None or not (MODEL_CACHE / "whisper-base" / "model.bin").exists():
        pytest.skip("needs sox and the assembled model (make test sets both up)")
    from mockint.asr import WhisperTranscriber

    out = tmp_path / f"{name}.wav"
    subprocess.run(["sox", *[a.replace("{out}", str(out)) for a in make]], check=True)
    transcript = WhisperTranscriber().transcribe(load_audio(out))
    assert judge(transcript).heard is expected  # (a tone sometimes leaves a word or two: still no answer)


@pytest.mark.slow
def test_a_german_answer_through_whisper_is_reported_as_german(tmp_path: Path) -> None:
    if shutil.which("espeak-ng") is None or not (MODEL_CACHE / "whisper-base" / "model.bin").exists():
        pytest.skip("needs espeak-ng and the assembled model (make test sets both up)")
    from mockint.asr import WhisperTranscriber

    wav = tmp_path / "de.wav"
    text = ("Ich habe in meinem letzten Job ein Problem mit den Zahlungen gefunden. Niemand hatte mich gebeten, "
            "es zu untersuchen, aber ich habe die Protokolle analysiert und den Fehler behoben.")
    subprocess.run(["espeak-ng", "-v", "de", "-w", str(wav), text], check=True)
    hearing = judge(WhisperTranscriber().transcribe(load_audio(wav)))
    assert hearing.heard is Heard.OTHER_LANGUAGE and "German" in hearing.message
