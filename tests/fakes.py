"""Small scripted fakes for the seams in mockint (each satisfies a Protocol, none sleeps)."""

from __future__ import annotations

from mockint.audio import Recording
from mockint.transcript import Transcript


class FakeMic:
    """Returns the queued recordings in order and keeps the caps it was asked for."""

    def __init__(self, *recordings: Recording) -> None:
        self._queue = list(recordings)
        self.max_s: list[float] = []

    def record_answer(self, *, max_s: float) -> Recording:
        self.max_s.append(max_s)
        return self._queue.pop(0)


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
