"""Small scripted fakes for the seams in mockint (each satisfies a Protocol, none sleeps)."""

from __future__ import annotations

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
