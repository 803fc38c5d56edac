"""Batched re-transcription of many recordings with faster-whisper's `BatchedInferencePipeline`.

Used by `mockint rescore --retranscribe` and for importing audio files; live practice uses asr.py.
Speech in every recording is cut at pauses into windows of at most 30 s (Silero VAD, as the pipeline
does itself), and the windows of *all* recordings are decoded together in batches, so short answers fill
a batch too. faster-whisper is imported in the constructor only.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mockint.asr import AsrOptions, FILLER_PROMPT, _load
from mockint.audio import SAMPLE_RATE_HZ, Recording, to_float32
from mockint.model import resolve_model
from mockint.transcript import Transcript, Word

log = logging.getLogger(__name__)

WINDOW_MAX_S = 30.0  # Whisper's input length: a window longer than this would be cut
_GAP_S = 1.0  # silence inserted between recordings when they are laid end to end


@dataclass(frozen=True, slots=True)
class Window:
    start_s: float
    end_s: float


def windows(speech: Sequence[tuple[float, float]], max_s: float = WINDOW_MAX_S) -> list[Window]:
    """Group speech stretches (start, end in seconds, in order) into contiguous windows of at most `max_s`.

    A window runs from its first stretch's start to its last stretch's end, silences included, so word
    times inside it stay times of the recording. A stretch longer than `max_s` gets a window of its own.
    """
    out: list[Window] = []
    for start, end in speech:
        if out and end - out[-1].start_s <= max_s:
            out[-1] = Window(out[-1].start_s, end)
        else:
            out.append(Window(start, end))
    return out


def recording_index(window_start_s: float, offsets_s: Sequence[float]) -> int:
    """Which recording (by its start in the concatenation) a decoded window came from.

    faster-whisper reports a window's start rounded down twice (to a sample, then to a 10 ms frame), so it
    can fall just before the recording it belongs to; the silent gap between recordings leaves the room.
    """
    return bisect.bisect_right(offsets_s, window_start_s + _GAP_S / 2) - 1


class BatchedWhisperTranscriber:
    """Transcribes many recordings per call, batching their 30 s windows through one model.

    Same decoding settings as `asr.WhisperTranscriber` (language, beam size, temperature 0, word
    timestamps); `batch_size` windows are decoded at once.
    """

    def __init__(self, model: str | None = None, options: AsrOptions = AsrOptions(), batch_size: int = 8) -> None:
        from faster_whisper import BatchedInferencePipeline

        self.options = options
        self.batch_size = batch_size
        source, self._model_name = resolve_model(model)
        self._model = _load(source, options.cpu_threads)
        self._pipeline: Any = BatchedInferencePipeline(self._model)

    @property
    def model_name(self) -> str:
        return self._model_name

    def transcribe(self, recording: Recording) -> Transcript:
        return self.transcribe_many([recording])[0]

    def transcribe_many(self, recordings: Sequence[Recording]) -> list[Transcript]:
        import numpy as np
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        for r in recordings:
            if r.sample_rate_hz != SAMPLE_RATE_HZ:
                raise ValueError(f"recordings reach the transcriber at {SAMPLE_RATE_HZ} Hz, got {r.sample_rate_hz}")
        vad = VadOptions(max_speech_duration_s=WINDOW_MAX_S, min_silence_duration_ms=160)
        pieces: list[Any] = []
        clips: list[dict[str, float]] = []
        offsets_s: list[float] = []  # where each recording starts in the concatenation
        gap = np.zeros(int(_GAP_S * SAMPLE_RATE_HZ), dtype=np.float32)
        position_s = 0.0
        for r in recordings:
            samples: Any = to_float32(r)
            offsets_s.append(position_s)
            speech = [
                (s["start"] / SAMPLE_RATE_HZ, s["end"] / SAMPLE_RATE_HZ)
                for s in (get_speech_timestamps(samples, vad) if len(samples) else [])
            ]
            clips.extend({"start": position_s + w.start_s, "end": position_s + w.end_s} for w in windows(speech))
            pieces += [samples, gap]
            position_s += r.duration_s + _GAP_S
        words: list[list[Word]] = [[] for _ in recordings]
        if clips:
            segments, _info = self._pipeline.transcribe(
                np.concatenate(pieces),
                language=self.options.language,
                beam_size=self.options.beam_size,
                temperature=self.options.temperature,
                word_timestamps=True,
                condition_on_previous_text=False,
                initial_prompt=FILLER_PROMPT if self.options.keep_fillers else None,
                clip_timestamps=clips,
                batch_size=self.batch_size,
            )
            frames_per_s = self._model.frames_per_second
            for seg in segments:
                k = recording_index(seg.seek / frames_per_s, offsets_s)
                offset = offsets_s[k]
                words[k].extend(
                    Word(w.word.strip(), max(0.0, float(w.start) - offset), max(0.0, float(w.end) - offset), float(w.probability))
                    for w in (seg.words or [])
                    if w.word.strip()
                )
        return [Transcript(tuple(ws), r.duration_s) for ws, r in zip(words, recordings, strict=True)]
