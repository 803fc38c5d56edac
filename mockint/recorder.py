"""Recording one spoken turn: the `Mic` seam, the microphone adapter (sounddevice + webrtcvad) and a file mic.

The microphone writes the WAV while it records and hands closed pieces to a callback for live
transcription. When to stop and where to cut is decided by `endpointer.Endpointer`; how the turn looks on screen
is the caller's `RecordingView` (this module never prints). sounddevice and webrtcvad are imported inside
`SoundDeviceMic`.
"""

from __future__ import annotations

import logging
import math
import queue
import sys
import time
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from mockint.audio import SAMPLE_RATE_HZ, SAMPLE_WIDTH_BYTES, Recording, WavAppender, load_audio, write_wav
from mockint.endpointer import Cut, Endpointer, EndpointOptions, EndReason
from mockint.devices import choose_input, stream_settings
from mockint.errors import DeviceError
from mockint.keys import KeySource, is_enter, terminal_keys
from mockint.miclevel import DigitalSilence, silent_limit_s, silent_message
from mockint.platforms import install_hint, portaudio_hint

log = logging.getLogger(__name__)

NO_DEVICE_HINT = "Practise with a recording instead (--answer-file FILE), or run 'mockint doctor'."


class PieceKind(StrEnum):
    """What a piece is for (see endpointer.Endpointer for when each is sent)."""

    CLOSED = "closed"  # a finished stretch of the turn
    LAST = "last"  # the turn's last piece, sent when the turn ends
    GUESS = "guess"  # the open stretch in a long pause: the last piece if the turn ends there
    DRAFT = "draft"  # the open stretch up to a short pause: the start of the last piece if the turn ends soon


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of the turn to transcribe; `offset_s` is where it starts in the turn.

    Closed and last pieces are the turn, in order and without overlap. A guess or a draft is sent early
    while the stretch is still open, so that little is left to transcribe when the turn ends.
    """

    offset_s: float
    recording: Recording
    kind: PieceKind = PieceKind.CLOSED
    speech_end_s: float | None = None  # where its last speech ends, on the turn's clock (None: unknown)

    @property
    def end_s(self) -> float:
        return self.offset_s + self.recording.duration_s


@dataclass(frozen=True, slots=True)
class Take:
    """One recorded turn."""

    recording: Recording
    end_reason: EndReason
    first_speech_s: float | None = None  # when the first word came (None: nothing was said)


PieceSink = Callable[[Piece], None]


class Mic(Protocol):
    def record(self, wav_path: Path, *, max_s: float, on_piece: PieceSink) -> Take:
        """Record one turn into `wav_path`, passing each closed piece to `on_piece` as soon as it closes."""
        ...


class StopSignal(Protocol):
    """Lets the user end a turn early (Enter). threading.Event fits."""

    def clear(self) -> None: ...

    def is_set(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Meter:
    """What the live view shows while recording."""

    elapsed_s: float
    level: float  # 0 (silence, -60 dBFS or less) .. 1 (full scale)
    is_speech: bool
    has_speech: bool  # speech has started in this turn


class RecordingView(Protocol):
    def started(self, max_s: float) -> None: ...

    def update(self, meter: Meter) -> None: ...

    def stopped(self, reason: EndReason, duration_s: float) -> None: ...


class NullView:
    def started(self, max_s: float) -> None:
        pass

    def update(self, meter: Meter) -> None:
        pass

    def stopped(self, reason: EndReason, duration_s: float) -> None:
        pass


def level_of(frame: bytes) -> float:
    """Loudness of 16-bit PCM on a 0..1 scale that spans -60..0 dBFS (how a level meter reads)."""
    samples = array("h", frame)
    if sys.byteorder == "big":
        samples.byteswap()
    if not samples:
        return 0.0
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768.0
    if rms <= 0.0:
        return 0.0
    return min(1.0, max(0.0, 1.0 + 20.0 * math.log10(rms) / 60.0))


class Capture:
    """The device-free heart of recording: PCM blocks in; VAD, endpointing, WAV, pieces and meter out.

    `is_speech` classifies one frame (webrtcvad in real use). Blocks may be any length; they are written
    to the WAV as they arrive and cut into frames for the voice-activity detector.
    """

    METER_EVERY_FRAMES = 3  # about ten meter updates a second at 30 ms frames

    def __init__(
        self,
        wav: WavAppender,
        endpointer: Endpointer,
        is_speech: Callable[[bytes], bool],
        on_piece: PieceSink,
        view: RecordingView,
        sample_rate_hz: int = SAMPLE_RATE_HZ,
    ) -> None:
        self._wav = wav
        self._ep = endpointer
        self._is_speech = is_speech
        self._on_piece = on_piece
        self._view = view
        self._rate = sample_rate_hz
        self._frame_bytes = sample_rate_hz * endpointer.options.frame_ms // 1000 * SAMPLE_WIDTH_BYTES
        self._pcm = bytearray()
        self._pending = 0  # bytes of _pcm not yet classified
        self._meter_level = 0.0
        self._meter_frames = 0

    @property
    def ended(self) -> EndReason | None:
        return self._ep.ended

    def feed(self, block: bytes) -> EndReason | None:
        """Take one block of audio; returns why the turn ended, if it has."""
        if self._ep.ended is not None:
            return self._ep.ended
        self._wav.append(block)
        self._pcm += block
        self._pending += len(block)
        while self._pending >= self._frame_bytes:
            start = len(self._pcm) - self._pending
            frame = bytes(self._pcm[start : start + self._frame_bytes])
            self._pending -= self._frame_bytes
            is_speech = self._is_speech(frame)
            step = self._ep.push(is_speech)
            for i, cut in enumerate(step.cuts):
                is_last = step.ended is not None and i == len(step.cuts) - 1
                self._emit(cut, PieceKind.LAST if is_last else PieceKind.CLOSED)
            if step.guess is not None:
                self._emit(step.guess, PieceKind.GUESS)
            if step.draft is not None:
                self._emit(step.draft, PieceKind.DRAFT)
            self._meter(frame, is_speech)
            if step.ended is not None:
                return step.ended
        return None

    def stop(self, reason: EndReason) -> None:
        """End the turn from outside (Enter, end of input); the open piece is emitted."""
        cut = self._ep.stop(reason)
        if cut is not None:
            self._emit(cut, PieceKind.LAST)

    def take(self) -> Take:
        reason = self._ep.ended or EndReason.INTERRUPTED
        first = self._ep.first_speech_frame
        # Keep exactly the frames the endpointer judged: audio that arrived after the end is dropped.
        kept = bytes(self._pcm[: self._ep.frames * self._frame_bytes]) if self._ep.ended else bytes(self._pcm)
        return Take(
            recording=Recording(kept, self._rate),
            end_reason=reason,
            first_speech_s=None if first is None else self._ep.seconds(first),
        )

    def _emit(self, cut: Cut, kind: PieceKind) -> None:
        pcm = bytes(self._pcm[cut.start_frame * self._frame_bytes : cut.end_frame * self._frame_bytes])
        speech_end = self._ep.seconds(min(cut.end_frame, self._ep.last_speech_frame))
        self._on_piece(Piece(self._ep.seconds(cut.start_frame), Recording(pcm, self._rate), kind, speech_end))

    def _meter(self, frame: bytes, is_speech: bool) -> None:
        self._meter_level = max(self._meter_level, level_of(frame))
        self._meter_frames += 1
        if self._meter_frames >= self.METER_EVERY_FRAMES:
            self._view.update(Meter(self._ep.elapsed_s, self._meter_level, is_speech, self._ep.has_speech))
            self._meter_level = 0.0
            self._meter_frames = 0


class SoundDeviceMic:
    """The microphone: a sounddevice input stream (16 kHz mono int16) with webrtcvad on each frame.

    Args:
        options: thinking time, end-of-answer silence, piece cutting (see endpointer.EndpointOptions).
        vad_aggressiveness: webrtcvad's 0 (keeps most sound as speech) .. 3 (strictest); 2 suits a
            laptop microphone in a quiet room.
        device: input device name or index; None is the system default.
        view: shows elapsed time and level; `stop`: the user's Enter key (see EnterKey).
    Raises DeviceError (from `record`) when PortAudio is missing or no input device exists.
    """

    def __init__(
        self,
        options: EndpointOptions | None = None,
        *,
        vad_aggressiveness: int = 2,
        device: str | int | None = None,
        view: RecordingView | None = None,
        stop: StopSignal | None = None,
    ) -> None:
        if vad_aggressiveness not in (0, 1, 2, 3):
            raise ValueError(f"vad_aggressiveness must be 0..3, not {vad_aggressiveness}")
        self.options = options or EndpointOptions()
        self.vad_aggressiveness = vad_aggressiveness
        self.device = device
        self.view: RecordingView = view or NullView()
        self.stop = stop
        self._silence = DigitalSilence(0.0)

    STALL_S = 3.0  # no audio at all for this long means the device has gone away

    def check(self) -> None:
        """DeviceError now, rather than after the question has been asked, if recording cannot work."""
        sd = import_sounddevice()
        check_input_device(sd, choose_input(sd, self.device))

    def record(self, wav_path: Path, *, max_s: float, on_piece: PieceSink) -> Take:
        sd = import_sounddevice()
        device = choose_input(sd, self.device)  # one microphone listed under several host APIs is one choice
        check_input_device(sd, device)
        import webrtcvad

        vad = webrtcvad.Vad(self.vad_aggressiveness)
        frame_samples = SAMPLE_RATE_HZ * self.options.frame_ms // 1000
        blocks: queue.Queue[bytes] = queue.Queue()

        def callback(indata: Any, frames: int, time_info: Any, status: Any) -> None:
            if status:
                log.warning("input stream: %s", status)
            blocks.put(bytes(indata))

        if self.stop is not None:
            self.stop.clear()  # an Enter typed while the question was spoken does not end the answer
        with WavAppender(wav_path) as wav:
            capture = Capture(
                wav,
                Endpointer(self.options, max_s=max_s),
                lambda frame: bool(vad.is_speech(frame, SAMPLE_RATE_HZ)),
                on_piece,
                self.view,
            )
            try:
                stream = sd.RawInputStream(
                    samplerate=SAMPLE_RATE_HZ,
                    channels=1,
                    dtype="int16",
                    blocksize=frame_samples,
                    device=device,
                    callback=callback,
                    **stream_settings(sd, device),  # WASAPI converts to 16 kHz only when asked
                )
            except (sd.PortAudioError, ValueError) as e:
                hint = portaudio_hint(str(e))  # Windows' privacy switch shows as -9985, device unavailable
                raise DeviceError(f"Cannot open input device {self.device or 'default'!r}: {e}. {hint} {NO_DEVICE_HINT}") from e
            self._silence = DigitalSilence(silent_limit_s())
            reason = EndReason.INTERRUPTED
            with stream:
                self.view.started(max_s)
                try:
                    reason = self._pump(blocks, capture)
                finally:
                    self.view.stopped(reason, capture.take().recording.duration_s)
        return capture.take()

    def _pump(self, blocks: queue.Queue[bytes], capture: Capture) -> EndReason:
        last_block_at = time.monotonic()
        while True:
            try:
                block = blocks.get(timeout=0.1)
                last_block_at = time.monotonic()
            except queue.Empty:
                block = b""
                if time.monotonic() - last_block_at > self.STALL_S:
                    # The turn is timed by the audio itself, so a silent stream would wait forever.
                    raise DeviceError(
                        f"Input device {self.device or 'default'!r} stopped delivering audio. "
                        f"Check the microphone, or run 'mockint doctor'. {NO_DEVICE_HINT}"
                    )
            if self._silence.feed(block):  # no permission: the device records exact zeros with no error
                raise DeviceError(silent_message(self.device, silent_limit_s()))
            ended = capture.feed(block) if block else None
            if ended is not None:
                return ended
            if self.stop is not None and self.stop.is_set():
                capture.stop(EndReason.ENTER)
                return EndReason.ENTER


class FileMic:
    """Plays recorded files as the candidate's turns, in order: the answer, then one per probe.

    Every file is read when the FileMic is made, before the question is asked, so a missing, empty or
    damaged file stops the practice before it starts. A file longer than its turn's cap (`caps_s`, as
    --max-answer-s and --max-probe-s) is cut there, as the microphone would be; only that much is read.
    Each file is copied into the session folder as 16 kHz mono WAV and transcribed as one piece (with the
    whole file at hand there is nothing to gain from cutting it).
    """

    def __init__(self, paths: Sequence[Path], caps_s: Sequence[float | None] = ()) -> None:
        caps = [*caps_s, *[None] * (len(paths) - len(caps_s))]
        self._turns: list[tuple[Path, Recording, bool]] = []  # (file, its audio, was it cut at the cap)
        self.cut: list[tuple[Path, float]] = []  # the files longer than their cap, and the cap
        for path, cap_s in zip(paths, caps, strict=True):
            recording = load_audio(path, None if cap_s is None else cap_s + 0.1)
            is_cut = cap_s is not None and recording.duration_s > cap_s
            if cap_s is not None and is_cut:
                recording = recording.slice(0, cap_s)
                self.cut.append((path, cap_s))
            self._turns.append((path, recording, is_cut))
        self.used: list[Path] = []

    def record(self, wav_path: Path, *, max_s: float, on_piece: PieceSink) -> Take:
        if not self._turns:
            raise DeviceError("No more recorded answers to play: pass one --probe-file per probe, or fewer --probes.")
        path, recording, is_cut = self._turns.pop(0)
        self.used.append(path)
        if recording.duration_s > max_s:
            recording, is_cut = recording.slice(0, max_s), True
        reason = EndReason.MAX_LENGTH if is_cut else EndReason.END_OF_FILE
        write_wav(wav_path, recording)
        on_piece(Piece(0.0, recording))
        return Take(recording, reason, first_speech_s=None)


class EnterKey:
    """Enter on the terminal, checked without blocking; other keys are read and ignored (keys.py).

    Off when stdin is not a terminal: a closed or piped stdin would look like a key press at once.
    """

    def __init__(self, keys: KeySource | None = None) -> None:
        self._is_set = False
        self._keys = keys if keys is not None else terminal_keys()

    def clear(self) -> None:
        while self._keys is not None and self._keys.waiting():
            self._keys.read()
        self._is_set = False

    def is_set(self) -> bool:
        while not self._is_set and self._keys is not None and self._keys.waiting():
            self._is_set = is_enter(self._keys.read())
        return self._is_set


def import_sounddevice() -> Any:
    """sounddevice, or DeviceError when the PortAudio library itself is missing."""
    try:
        import sounddevice
    except OSError as e:  # sounddevice raises OSError('PortAudio library not found')
        raise DeviceError(
            f"Cannot use audio devices: {e}. To install PortAudio: {install_hint('portaudio')}. {NO_DEVICE_HINT}"
        ) from e
    return sounddevice


def check_input_device(sd: Any, device: str | int | None) -> None:
    """DeviceError unless `device` (or the default) is an input device PortAudio can see."""
    try:
        info = sd.query_devices(device, "input")
    except (sd.PortAudioError, ValueError) as e:
        which = f"Input device {device!r} not found" if device is not None else "No input device found"
        raise DeviceError(f"{which} ({e}). {NO_DEVICE_HINT}") from e
    if int(info.get("max_input_channels", 0)) < 1:
        raise DeviceError(f"Device {info.get('name', device)!r} cannot record (no input channels). {NO_DEVICE_HINT}")
