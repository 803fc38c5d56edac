"""The foundation commands: help without heavy imports, transcribe, doctor, python -m mockint."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mockint.cli import app

runner = CliRunner()
JFK = Path(__file__).resolve().parents[2] / "shared" / "audio-samples" / "jfk.flac"


def test_help_does_not_load_ctranslate2_ray_or_audio_libraries() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from mockint.cli import app\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "heavy = [m for m in ('ctranslate2', 'faster_whisper', 'sounddevice', 'pyttsx3', 'webrtcvad', 'numpy', 'ray') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_python_dash_m_mockint_shows_help() -> None:
    result = subprocess.run([sys.executable, "-m", "mockint", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "transcribe" in result.stdout and "doctor" in result.stdout


def test_transcribe_missing_file_is_one_line_on_stderr_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["transcribe", str(tmp_path / "nope.wav")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: Audio file '{tmp_path / 'nope.wav'}' does not exist. Check the path."
    assert result.stdout == ""


def test_transcribe_unknown_model_folder_is_a_clear_error(tmp_path: Path) -> None:
    wav = tmp_path / "a.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), "hello there"], check=True)
    result = runner.invoke(app, ["transcribe", str(wav), "--model", str(tmp_path / "models" / "x")])
    assert result.exit_code == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.output


def test_transcribe_synthesised_speech_gives_the_words_with_increasing_times(tmp_path: Path) -> None:
    wav = tmp_path / "speech.wav"
    text = "I traced the root cause to a network timeout and wrote the fix myself"
    subprocess.run(["espeak-ng", "-s", "160", "-w", str(wav), text], check=True)
    result = runner.invoke(app, ["transcribe", str(wav), "--json"])
    assert result.exit_code == 0, result.output
    words = json.loads(result.stdout)["words"]
    said = " ".join(w["text"].strip(".,").lower() for w in words)
    for expected in ("root cause", "network", "wrote the fix"):
        assert expected in said
    starts = [w["start_s"] for w in words]
    assert starts == sorted(starts) and starts[-1] > starts[0]


def test_transcribe_jfk_flac_offline() -> None:
    if not JFK.exists():
        pytest.skip("shared audio samples not present")
    result = runner.invoke(app, ["transcribe", str(JFK)])
    assert result.exit_code == 0, result.output
    assert "ask not what your country can do for you" in result.stdout.lower()


def test_doctor_reports_every_check_with_a_fix_for_failures() -> None:
    result = runner.invoke(app, ["doctor"])
    for name in ("python", "packages", "speech model", "voice", "microphone", "speaker", "recordings"):
        assert name in result.stdout
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        assert "FAIL" in result.stdout and "→" in result.stdout


def test_whisper_word_pieces_without_a_leading_space_join_the_word_before() -> None:
    from types import SimpleNamespace as W

    from mockint.asr import words_of

    raw = [W(word=" about", start=0.0, end=0.3, probability=0.9), W(word=" $8", start=0.3, end=0.6, probability=0.8),
           W(word=",000", start=0.6, end=0.9, probability=0.7), W(word=" .", start=0.9, end=1.0, probability=0.5),
           W(word=" a", start=1.0, end=1.1, probability=0.9), W(word=" week.", start=1.1, end=1.4, probability=0.9),
           W(word=" 4", start=1.5, end=1.6, probability=0.9), W(word="%", start=1.6, end=1.7, probability=0.9)]
    words = words_of(raw, offset_s=0.1)
    assert [w.text for w in words] == ["about", "$8,000", "a", "week.", "4%"]
    assert (words[1].start_s, words[1].end_s, words[1].probability) == pytest.approx((0.2, 0.8, 0.7))


def test_token_cap_leaves_room_for_fast_speech_and_fits_whispers_context() -> None:
    from mockint.asr import _token_cap

    fast_speech_tokens_per_s = 5.0  # ~200 words a minute with timestamp tokens
    for duration_s in (1.0, 4.0, 8.0, 15.0, 30.0, 180.0):
        window_s = min(duration_s, 30.0)
        assert fast_speech_tokens_per_s * window_s < _token_cap(duration_s) <= 224
    assert _token_cap(2.0) < _token_cap(20.0)  # a short piece cannot run on for hundreds of tokens
