"""Small scripted fakes for the seams in mockint (each satisfies a Protocol, none sleeps)."""

from __future__ import annotations

import os
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mockint.audio import Recording, write_wav
from mockint.endpointer import EndReason
from mockint.recorder import Piece, PieceSink, Take
from mockint.transcript import Transcript


class FakeMic:
    """Plays the queued recordings as turns (an exception in the queue is raised instead), one piece each."""

    def __init__(self, *takes: Recording | BaseException, clock: FakeClock | None = None) -> None:
        self._queue = list(takes)
        self._clock = clock  # advanced by each recording's length, as if it was spoken
        self.max_s: list[float] = []
        self.paths: list[Path] = []

    def record(self, wav_path: Path, *, max_s: float, on_piece: PieceSink) -> Take:
        self.max_s.append(max_s)
        self.paths.append(wav_path)
        item = self._queue.pop(0)
        if isinstance(item, BaseException):
            raise item
        write_wav(wav_path, item)
        if self._clock is not None:
            self._clock.advance(item.duration_s)
        if not item.is_empty:
            on_piece(Piece(0.0, item))
        return Take(item, EndReason.SILENCE, 0.0)


class FakeSpeaker:
    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)


class FakeTranscriber:
    """Returns enqueued transcripts in order and records the recordings it was given."""

    def __init__(self) -> None:
        self._queue: list[Transcript] = []
        self.calls: list[Recording] = []

    def enqueue(self, transcript: Transcript) -> None:
        self._queue.append(transcript)

    def transcribe(self, recording: Recording) -> Transcript:
        self.calls.append(recording)
        return self._queue.pop(0)


class FakeClock:
    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, s: float) -> None:
        self.now += s


class FakePlayer:
    """Keeps what it was asked to play, and when (by the clock it is given), instead of playing it."""

    def __init__(self, clock: FakeClock) -> None:
        self._clock = clock
        self.started: list[tuple[float, Recording]] = []
        self.stopped: list[float] = []

    def start(self, recording: Recording) -> None:
        self.started.append((self._clock.now, recording))

    def stop(self) -> None:
        self.stopped.append(self._clock.now)


@dataclass(frozen=True)
class HashingAsr:
    """A ManyTranscriber factory that pickles (for cluster workers): each recording is 'heard' as one of the
    sessiongen answers, chosen by its samples, so every path hears the same words. `delay_s` per recording;
    `pid_log` gets this process's pid once per batch, so a test can find (and end) a worker mid-run."""

    delay_s: float = 0.0
    pid_log: Path | None = None

    def __call__(self) -> HashingTranscriber:
        return HashingTranscriber(self)


class HashingTranscriber:
    model_name = "fake-model"

    def __init__(self, spec: HashingAsr) -> None:
        self._spec = spec

    def transcribe_many(self, recordings: Sequence[Recording]) -> list[Transcript]:
        from sessiongen import ANSWERS, timed_transcript

        if self._spec.pid_log is not None:
            with open(self._spec.pid_log, "a") as f:
                f.write(f"{os.getpid()}\n")
        time.sleep(self._spec.delay_s * len(recordings))
        return [timed_transcript(ANSWERS[zlib.crc32(r.pcm) % len(ANSWERS)]) for r in recordings]
