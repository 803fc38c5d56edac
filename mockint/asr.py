"""Speech recognition: the `Transcriber` seam and its faster-whisper adapter.

faster-whisper (and so ctranslate2) is imported inside `WhisperTranscriber.__init__`, never at import time.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, runtime_checkable

from mockint import hallucinations
from mockint.audio import SAMPLE_RATE_HZ, Recording, to_float32
from mockint.errors import ModelNotAvailable
from mockint.exits import in_background
from mockint.model import resolve_model
from mockint.platforms import install_hint, looks_like_path
from mockint.transcript import Transcript, Word

log = logging.getLogger(__name__)

# A short prompt written the way people really speak makes Whisper keep "um"/"uh" instead of
# cleaning them away (openai/whisper discussion #1174; faster-whisper issues #319, #901).
FILLER_PROMPT = "Umm, so, uh, let me think, like, hmm... Okay, so, um, here's what I, uh, did."


class Transcriber(Protocol):
    def transcribe(self, recording: Recording) -> Transcript: ...


@runtime_checkable
class LanguageChecking(Transcriber, Protocol):
    """A transcriber that also asks which language is spoken, and can give a twin that does not (for
    live passes once the turn's language is known: the check is one more encoder pass)."""

    def without_language(self) -> Transcriber: ...


@dataclass(frozen=True, slots=True)
class AsrOptions:
    """Decoding settings. Defaults favour accuracy on whole answers; see ASR-NOTES for the figures.

    beam_size: 5 is faster-whisper's default; 1 is ~40% faster and slightly less accurate.
    cpu_threads: 0 lets ctranslate2 choose; one thread was faster for short pieces on 2 cores.
    temperature: 0 only, no fallback: the fallback doubled the time and hallucinated on clipped words.
    keep_fillers: prime Whisper with FILLER_PROMPT so it writes fillers it would otherwise drop. Measured
        by scripts/bench_fillers.py: spliced filled pauses found 24/24 with it against 8/24 without, no
        false fillers on filler-free speech, word error on other words 10.9% against 10.2%.
    filler_prompt_min_s: no prompt for shorter audio: on 1-2.5 s clips it sometimes sent Whisper into a
        repetition loop (none seen at 8 s and over; 4 s is a margin, not a measurement).
    detect_language: also ask Whisper which language the audio is in (one more encoder pass, 0.4-0.75 s
        measured), so that an answer in another language is reported instead of scored as its translation
        (German espeak-ng speech forced to English came out as fluent English).
    num_workers: calls that may run at once from different threads (live.LiveTranscriber finishes the
        last piece while its worker may still be busy).
    """

    language: str = "en"
    beam_size: int = 5
    cpu_threads: int = 0
    temperature: float = 0.0
    keep_fillers: bool = True
    filler_prompt_min_s: float = 4.0
    detect_language: bool = True
    num_workers: int = 1


class WhisperTranscriber:
    """faster-whisper with word timestamps; loads the model once, offline unless --model names a hub model."""

    def __init__(
        self, model: str | None = None, options: AsrOptions = AsrOptions(), on_progress: Progress | None = None
    ) -> None:
        """`on_progress(done_s, total_s)` is told how far Whisper has got in a recording of at least
        PROGRESS_MIN_S, after each 30 s window (on the transcribing thread)."""
        self.options = options
        self.on_progress = on_progress
        source, self.model_name = resolve_model(model)
        # Loaded on the calling thread: a model loaded on a thread that then ends decodes ~5x slower
        # (measured with ctranslate2 4.8 on 2 cores), so in_background is for decoding only.
        self._model = load_whisper(source, options.cpu_threads, options.num_workers)

    def without_language(self) -> WhisperTranscriber:
        """The same loaded model, not asking which language is spoken (live passes once a closed piece of the
        turn has told it: the check is one more encoder pass, 0.4-0.75 s, on the pass the user waits for)."""
        twin = copy.copy(self)
        twin.options = replace(self.options, detect_language=False)
        return twin

    def transcribe(self, recording: Recording) -> Transcript:
        """What was said, with word times; words the recogniser invented are left out (hallucinations.py).

        Decoding runs off the main thread, so Ctrl-C stops the command at once (exits.in_background)."""
        return in_background(lambda: self._transcribe(recording), "transcribe")

    def _transcribe(self, recording: Recording) -> Transcript:
        if recording.sample_rate_hz != SAMPLE_RATE_HZ:
            raise ValueError(f"recordings reach the transcriber at {SAMPLE_RATE_HZ} Hz, got {recording.sample_rate_hz}")
        if recording.is_empty:
            return Transcript(words=(), duration_s=0.0)
        from mockint.vad import voiced_regions

        voiced = voiced_regions(recording)
        if sum(b - a for a, b in voiced) < MIN_VOICED_S:
            # Nothing to hear: decoding silence only invites invented words ("You", "Okay, so, um, so, um").
            return Transcript(words=(), duration_s=recording.duration_s, voiced=voiced)
        audio = to_float32(recording)
        with_prompt = self.options.keep_fillers and recording.duration_s >= self.options.filler_prompt_min_s
        words = self._decode(audio, recording.duration_s, voiced, FILLER_PROMPT if with_prompt else None)
        if with_prompt and hallucinations.prompt_echoes(words, FILLER_PROMPT):
            # Whisper copied its prompt in place of what was said (a known failure): hear that stretch
            # again without the prompt, and keep the echo only if the plain decode hears it too.
            plain = self._decode(audio, recording.duration_s, voiced, None)
            fixed, replaced = hallucinations.repair_echoes(words, plain, FILLER_PROMPT)
            words = list(fixed)
            with_prompt = with_prompt and not replaced  # the repaired stretch was heard without the prompt
        language, probability = self._language(audio) if self.options.detect_language else (None, None)
        return Transcript(
            words=tuple(words),
            duration_s=recording.duration_s,
            heard_fillers=with_prompt,
            voiced=voiced,
            language=language,
            language_probability=probability,
        )

    def _decode(self, audio: Any, duration_s: float, voiced: Sequence[tuple[float, float]], prompt: str | None) -> list[Word]:
        segments, _info = self._model.transcribe(
            audio,
            language=self.options.language,
            beam_size=self.options.beam_size,
            temperature=self.options.temperature,
            word_timestamps=True,
            condition_on_previous_text=False,
            initial_prompt=prompt,
            vad_filter=False,
            max_new_tokens=_token_cap(duration_s),
        )
        segments = until_speech_ends(segments, voiced)
        if self.on_progress is not None and duration_s >= PROGRESS_MIN_S:
            segments = _reporting(segments, duration_s, self.on_progress)
        return heard_words(segments, voiced)

    def _language(self, audio: Any) -> tuple[str, float]:
        language, probability, _all = self._model.detect_language(audio)
        return str(language), round(float(probability), 3)


def until_speech_ends(segments: Iterable[Any], voiced: Sequence[tuple[float, float]]) -> Iterator[Any]:
    """faster-whisper's segments, stopping once one ends where the voice activity does.

    With word timestamps faster-whisper goes on from the last word's end: a clip whose last word ends
    before the clip does gets a second 30 s window for its last half second (one more encoder pass, about
    0.6 s on one thread). Words found in that rest lie over silence and would be dropped
    (hallucinations.over_silence); so the segments are read lazily and the rest is never decoded when it
    holds less than `TRAILING_VOICE_S` of voice. (On 18 clips of the shared samples: 20 encoder passes
    instead of 22, the same words.) A first window that Whisper itself ends early, with speech after it,
    is still followed by a second one.
    """
    for segment in segments:
        yield segment
        end = float(segment.end)
        if voiced and sum(max(0.0, b - max(a, end)) for a, b in voiced) < TRAILING_VOICE_S:
            return


TRAILING_VOICE_S = 0.3  # less voice than this after a segment's end is not worth another window
MIN_VOICED_S = 0.3  # less voice activity than this in a recording is silence: nothing is decoded
PROGRESS_MIN_S = 60.0  # shorter recordings are transcribed in a few seconds: no progress is reported

Progress = Callable[[float, float], None]  # (seconds transcribed, seconds in the recording)


def _reporting(segments: Iterable[Any], duration_s: float, on_progress: Progress) -> Iterator[Any]:
    for segment in segments:
        on_progress(min(float(segment.end), duration_s), duration_s)
        yield segment
    on_progress(duration_s, duration_s)


def heard_words(segments: Iterable[Any], voiced: Sequence[tuple[float, float]], offset_s: float = 0.0) -> list[Word]:
    """Our words from faster-whisper's segments, without what the recogniser invented: segments it doubts
    (no speech, unsure or looping), repetition loops, words it gives almost no chance and words over silence
    (times `offset_s` earlier)."""
    kept = [seg for seg in segments if not hallucinations.is_doubtful_segment(
        float(seg.no_speech_prob), float(seg.avg_logprob), float(seg.compression_ratio))]
    words = words_of((w for seg in kept for w in (seg.words or [])), offset_s)
    drop = set(hallucinations.repetition_loop(words)) | set(hallucinations.improbable(words))
    if voiced:
        drop.update(hallucinations.over_silence(words, voiced))
    return [w for k, w in enumerate(words) if k not in drop]


def _token_cap(duration_s: float) -> int:
    """Most tokens Whisper may write per 30 s window of this audio.

    Fast speech is about 5 tokens a second with timestamps, so 10 a second plus a margin never cuts real
    speech; it stops a repetition loop (seen once on a clipped last piece: 12 invented words, 7 s) early.
    Whisper's context is 448 tokens shared with the prompt, hence the 224 ceiling.
    """
    return min(224, 20 + int(10 * min(duration_s, 30.0)))


def words_of(raw: Iterable[Any], offset_s: float = 0.0) -> list[Word]:
    """Our words from faster-whisper's, `offset_s` earlier.

    A piece without a leading space continues the word before it (Whisper splits "$8,000" into "$8" and
    ",000", and "4%" into "4" and "%"), so it is joined to it; other pieces that are only punctuation
    (" . . .") are not speech and are dropped.
    """
    words: list[Word] = []
    for w in raw:
        text = str(w.word)
        start, end = max(0.0, float(w.start) - offset_s), max(0.0, float(w.end) - offset_s)
        if words and not text.startswith(" "):
            last = words[-1]
            words[-1] = Word(last.text + text, last.start_s, end, min(last.probability, float(w.probability)))
        elif any(c.isalnum() for c in text):
            words.append(Word(text.strip(), start, end, float(w.probability)))
    return words


def load_whisper(source: str, cpu_threads: int, num_workers: int = 1) -> Any:
    """A faster-whisper model on the CPU (int8), from a local folder or the cache; a name not cached is
    downloaded where a network exists. Raises ModelNotAvailable with what to do."""
    WhisperModel = import_whisper()
    try:
        return WhisperModel(
            source, device="cpu", compute_type="int8", cpu_threads=cpu_threads, num_workers=num_workers, local_files_only=True
        )
    except (OSError, ValueError, RuntimeError) as local_err:
        if looks_like_path(source):  # C:\\... too: a local folder that failed must not be looked up online
            raise ModelNotAvailable(
                f"Cannot load the speech model in '{source}': {local_err}. "
                "Run 'mockint doctor', or omit --model to use the bundled model."
            ) from local_err
    # A faster-whisper model name that is not cached: download it if a network exists.
    log.info("model %s is not cached; trying to download it", source)
    try:
        return WhisperModel(source, device="cpu", compute_type="int8", cpu_threads=cpu_threads, num_workers=num_workers)
    except ValueError as e:  # faster-whisper: not a known size and not a repository id
        raise ModelNotAvailable(f"Unknown Whisper model '{source}': {e}. Omit --model to use the bundled model.") from e
    except OSError as e:  # huggingface_hub: LocalEntryNotFoundError when offline, HTTP errors otherwise
        raise ModelNotAvailable(
            f"Whisper model '{source}' is not installed and this machine is offline. "
            "Use the bundled default (omit --model) or pass a local model folder."
        ) from e


def import_whisper() -> Any:
    """faster-whisper's WhisperModel, or ModelNotAvailable naming what is missing: on a fresh Windows,
    ctranslate2's DLL needs the Microsoft Visual C++ runtime (MSVCP140.dll), and its import fails without it."""
    try:
        from faster_whisper import WhisperModel
    except (ImportError, OSError) as e:
        fix = install_hint("msvc") or "reinstall it: python -m pip install --force-reinstall faster-whisper ctranslate2"
        raise ModelNotAvailable(f"Cannot load the speech recogniser (faster-whisper/ctranslate2): {e}. To fix it, {fix}.") from e
    return WhisperModel
