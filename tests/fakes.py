"""Small scripted fakes for the seams in mockint (each satisfies a Protocol, none sleeps)."""

from __future__ import annotations

import os
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

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


class FakeInputStream:
    """sounddevice.RawInputStream stand-in: on entering, a thread hands the scripted blocks to the callback
    (as PortAudio's audio thread does), then delivers nothing more."""

    def __init__(self, owner: FakeSoundDevice, callback: Callable[..., None], **settings: Any) -> None:
        self._owner = owner
        self._callback = callback
        owner.opened.append(settings)

    def __enter__(self) -> FakeInputStream:
        def play() -> None:
            for block in self._owner.blocks:
                self._callback(block, len(block) // 2, None, None)

        self._thread = threading.Thread(target=play, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.join()


class FakeSoundDevice:
    """The sounddevice module for tests: devices to list, what the input stream delivers, or the PortAudio
    error opening it raises. Install it with monkeypatch.setitem(sys.modules, "sounddevice", fake)."""

    class PortAudioError(Exception):
        pass

    class WasapiSettings:
        def __init__(self, *, auto_convert: bool = False) -> None:
            self.auto_convert = auto_convert

    def __init__(
        self, blocks: Sequence[bytes] = (), devices: Sequence[dict[str, Any]] = (), open_error: str = "",
        hostapis: Sequence[str] = ("Core Audio",),
    ) -> None:
        self.blocks = list(blocks)
        self.devices = list(devices) or [{"name": "Built-in Microphone", "hostapi": 0, "max_input_channels": 1,
                                          "max_output_channels": 0, "index": 0}]
        self.hostapis = [{"name": name} for name in hostapis]
        self.open_error = open_error
        self.opened: list[dict[str, Any]] = []

    def query_devices(self, device: str | int | None = None, kind: str | None = None) -> Any:
        if device is None and kind is None:
            return self.devices
        key = "max_input_channels" if kind == "input" else "max_output_channels"
        for d in self.devices:
            if (device is None or device in (d["name"], d["index"])) and d[key] > 0:
                return d
        raise ValueError(f"No {kind} device matching {device!r}")

    def query_hostapis(self, index: int | None = None) -> Any:
        return self.hostapis if index is None else self.hostapis[index]

    def RawInputStream(self, *, callback: Callable[..., None], **settings: Any) -> FakeInputStream:  # noqa: N802
        if self.open_error:
            raise self.PortAudioError(self.open_error)
        return FakeInputStream(self, callback, **settings)


class FakeTtsEngine:
    def __init__(self, owner: FakePyttsx3) -> None:
        self._owner = owner
        self._queued: list[str] = []
        self._callbacks: dict[str, list[Callable[..., None]]] = {}
        self.properties: dict[str, Any] = {}

    def setProperty(self, name: str, value: Any) -> None:  # noqa: N802
        self.properties[name] = value

    def getProperty(self, name: str) -> Any:  # noqa: N802
        if name == "voices" and self._owner.voices_error is not None:
            raise self._owner.voices_error
        return self._owner.voices if name == "voices" else self.properties.get(name)

    def connect(self, topic: str, callback: Callable[..., None]) -> None:
        self._callbacks.setdefault(topic, []).append(callback)

    def say(self, text: str) -> None:
        self._queued.append(text)

    def runAndWait(self) -> None:  # noqa: N802
        owner = self._owner
        if owner.hang:
            owner.release.wait()  # blocks like a stuck NSSpeech/SAPI run loop until the test ends
            return
        if owner.say_error is not None:
            raise owner.say_error
        for text in self._queued:
            if owner.event_error is not None:  # pyttsx3 reports driver errors as events, not raises
                for callback in self._callbacks.get("error", []):
                    callback(name=None, exception=owner.event_error)
                continue
            owner.said.append(text)
            for callback in self._callbacks.get("finished-utterance", []):
                callback(name=None, completed=True)
        self._queued.clear()


class FakePyttsx3:
    """The pyttsx3 module for tests: its engine says into `.said`, or hangs (until `.release` is set), raises,
    or reports errors as scripted. Install it with monkeypatch.setitem(sys.modules, "pyttsx3", fake)."""

    def __init__(self, *, hang: bool = False, say_error: BaseException | None = None,
                 voices_error: BaseException | None = None, event_error: BaseException | None = None) -> None:
        self.hang = hang
        self.say_error = say_error
        self.voices_error = voices_error
        self.event_error = event_error
        self.release = threading.Event()
        self.said: list[str] = []
        self.voices = [SimpleNamespace(id="com.apple.voice.Samantha", name="Samantha", languages=["en_US"])]

    def init(self, driverName: str | None = None) -> FakeTtsEngine:  # noqa: N803
        return FakeTtsEngine(self)


class FakeKeys:
    """Keys as a terminal hands them over (keys.KeySource): each queued string is one read."""

    def __init__(self, *keys: str) -> None:
        self._queue = list(keys)
        self.reads = 0

    def type(self, *keys: str) -> None:
        self._queue.extend(keys)

    def waiting(self) -> bool:
        return bool(self._queue)

    def read(self) -> str:
        self.reads += 1
        return self._queue.pop(0)


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
