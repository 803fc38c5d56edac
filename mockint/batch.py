"""Batched re-transcription of many recordings with faster-whisper's `BatchedInferencePipeline`.

Used by `mockint rescore --retranscribe` and for importing audio files; live practice uses asr.py.
Speech in every recording is cut at pauses into windows of at most 30 s (Silero VAD, as the pipeline
does itself), and the windows of *all* recordings are decoded together in batches, so short answers fill
a batch too; the recordings are shared between two pipelines that run side by side on one model.
faster-whisper is imported in the constructor only.
"""

from __future__ import annotations

import bisect
import concurrent.futures
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockint.asr import AsrOptions, heard_words, import_whisper, load_whisper
from mockint.audio import SAMPLE_RATE_HZ, Recording, to_float32
from mockint.model import resolve_model
from mockint.transcript import Transcript
from mockint.vad import voiced_regions

if TYPE_CHECKING:
    from mockint.rescore import ManyTranscriber

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
    """Transcribes many recordings per call: their 30 s windows are decoded `batch_size` at a time, in
    `streams` batched pipelines running side by side on one model.

    Same decoding settings as `asr.WhisperTranscriber` (language, beam size, temperature 0, word timestamps).
    Each stream gets `options.cpu_threads` threads (0: the cores shared out between the streams). Two
    single-threaded streams beat one two-threaded one on a 2-core machine: ctranslate2's threads scale
    poorly on small batches (ASR-NOTES: one thread was faster than two for a single piece).
    """

    def __init__(
        self, model: str | None = None, options: AsrOptions = AsrOptions(), batch_size: int = 8, streams: int | None = None
    ) -> None:
        import_whisper()  # a missing runtime (MSVC on Windows) is one line, not a traceback
        from faster_whisper import BatchedInferencePipeline

        cores = os.cpu_count() or 1
        self.streams = streams if streams is not None else min(2, cores)
        threads = options.cpu_threads or max(1, cores // self.streams)
        self.options = options
        self.batch_size = batch_size
        source, self._model_name = resolve_model(model)
        self._model = load_whisper(source, threads, num_workers=self.streams)
        # One pipeline per stream: a pipeline keeps state between the windows it decodes.
        self._pipelines: list[Any] = [BatchedInferencePipeline(self._model) for _ in range(self.streams)]

    @property
    def model_name(self) -> str:
        return self._model_name

    def transcribe(self, recording: Recording) -> Transcript:
        return self.transcribe_many([recording])[0]

    def transcribe_many(self, recordings: Sequence[Recording]) -> list[Transcript]:
        for r in recordings:
            if r.sample_rate_hz != SAMPLE_RATE_HZ:
                raise ValueError(f"recordings reach the transcriber at {SAMPLE_RATE_HZ} Hz, got {r.sample_rate_hz}")
        shares = split_evenly([r.duration_s for r in recordings], len(self._pipelines))
        jobs = [(pipeline, [recordings[i] for i in share]) for pipeline, share in zip(self._pipelines, shares) if share]
        if len(jobs) <= 1:
            done = [self._run(p, recs) for p, recs in jobs]
        else:
            with concurrent.futures.ThreadPoolExecutor(len(jobs)) as threads:  # ctranslate2 releases the GIL
                done = list(threads.map(lambda job: self._run(*job), jobs))
        out: list[Transcript | None] = [None] * len(recordings)
        for share, transcripts in zip((sh for sh in shares if sh), done, strict=True):
            for i, t in zip(share, transcripts, strict=True):
                out[i] = t
        return [t if t is not None else Transcript((), r.duration_s) for t, r in zip(out, recordings, strict=True)]

    def _run(self, pipeline: Any, recordings: Sequence[Recording]) -> list[Transcript]:
        """Lay the recordings end to end with a silent gap, cut their speech into windows, decode them in batches."""
        import numpy as np
        from faster_whisper.vad import VadOptions, get_speech_timestamps

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
        segments_of: list[list[Any]] = [[] for _ in recordings]
        if clips:
            segments, _info = pipeline.transcribe(
                np.concatenate(pieces),
                language=self.options.language,
                beam_size=self.options.beam_size,
                temperature=self.options.temperature,
                word_timestamps=True,
                condition_on_previous_text=False,
                # No filler prompt: one prompt serves every window of the batch, and on short windows it
                # can send Whisper into a repetition loop (asr.AsrOptions). Filler counts from here are
                # therefore reported as lower bounds.
                initial_prompt=None,
                clip_timestamps=clips,
                batch_size=self.batch_size,
            )
            frames_per_s = self._model.frames_per_second
            for seg in segments:
                segments_of[recording_index(seg.seek / frames_per_s, offsets_s)].append(seg)
        out = []
        for segs, r, offset in zip(segments_of, recordings, offsets_s, strict=True):
            voiced = voiced_regions(r)
            out.append(Transcript(tuple(heard_words(segs, voiced, offset)), r.duration_s, voiced=voiced))
        return out


def split_evenly(durations_s: Sequence[float], parts: int) -> list[list[int]]:
    """Indexes of the recordings for each of `parts` streams, longest first to the least loaded, each in order."""
    shares: list[list[int]] = [[] for _ in range(max(1, parts))]
    loads = [0.0] * len(shares)
    for i in sorted(range(len(durations_s)), key=lambda i: -durations_s[i]):
        k = loads.index(min(loads))
        shares[k].append(i)
        loads[k] += durations_s[i]
    return [sorted(share) for share in shares]


@dataclass(frozen=True, slots=True)
class WhisperFactory:
    """Builds the transcriber `mockint rescore` uses, in this process or in a cluster worker (it pickles).

    Whole-file transcription (`asr.WhisperTranscriber`, as practice and analyze hear an answer) unless
    `batched`. `threads`: ctranslate2 threads per model (0: its choice); a cluster runs one model per CPU.
    """

    model: str | None = None
    batched: bool = False
    threads: int = 0

    def __call__(self) -> ManyTranscriber:
        options = AsrOptions(cpu_threads=self.threads)
        if self.batched:
            return BatchedWhisperTranscriber(self.model, options, streams=1 if self.threads else None)
        from mockint.asr import WhisperTranscriber
        from mockint.rescore import OneAtATime

        whole = WhisperTranscriber(self.model, options)  # the transcription practice and analyze use: the same score
        return OneAtATime(whole, whole.model_name)
