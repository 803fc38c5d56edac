"""Is the microphone delivering sound? Exact digital silence from the first second of a stream, and the level
of a short test recording (for `mockint doctor`).

A program without microphone permission on macOS (and a muted PulseAudio source on Linux) records exact
zeros with no error. A working microphone never does: its own noise keeps some low bits moving. So a
second of exact zeros at the start of a turn is reported at once, naming the OS's permission setting,
rather than 20 s later as "nothing was said". Recording itself is in recorder.py.
"""

from __future__ import annotations

import math
import os
import queue
import sys
import time
from array import array
from dataclasses import dataclass
from typing import Any

from mockint.audio import SAMPLE_RATE_HZ, SAMPLE_WIDTH_BYTES
from mockint.platforms import System, microphone_permission

DEFAULT_LIMIT_S = 1.0


def silent_limit_s() -> float:
    """Seconds of exact zeros that mean "no permission": MOCKINT_SILENT_MIC_S, default 1; 0 turns the check
    off (for virtual microphones that give digital silence on purpose, such as the test suite's)."""
    raw = os.environ.get("MOCKINT_SILENT_MIC_S", "")
    try:
        value = float(raw) if raw.strip() else DEFAULT_LIMIT_S
    except ValueError:
        value = DEFAULT_LIMIT_S
    return max(0.0, value)


def is_all_zero(pcm: bytes) -> bool:
    return not pcm.strip(b"\x00")


class DigitalSilence:
    """Watches the start of one stream of 16-bit PCM: `feed` returns True once the first `limit_s` seconds
    were exact zeros. Any other sample ends the watch for good (a pause in speech is never zeros)."""

    def __init__(self, limit_s: float, sample_rate_hz: int = SAMPLE_RATE_HZ) -> None:
        self._limit_bytes = int(limit_s * sample_rate_hz) * SAMPLE_WIDTH_BYTES
        self._zero_bytes = 0
        self._is_watching = limit_s > 0

    def feed(self, block: bytes) -> bool:
        if not self._is_watching:
            return False
        if not is_all_zero(block):
            self._is_watching = False
            return False
        self._zero_bytes += len(block)
        return self._zero_bytes >= self._limit_bytes


def silent_message(device: str | int | None, seconds: float, system: System | None = None) -> str:
    which = "the default microphone" if device is None else f"input device {device!r}"
    return (f"The microphone gives exact silence: {which} recorded {seconds:g} s of digital zeros, which means "
            f"this program may not use it. To fix it, {microphone_permission(system)}. Then run 'mockint doctor'.")


@dataclass(frozen=True, slots=True)
class Sample:
    """A short test recording: its loudest sample and its average level, in dBFS (None: exact zeros)."""

    seconds: float
    peak_dbfs: float | None
    rms_dbfs: float | None

    @property
    def is_digital_silence(self) -> bool:
        return self.peak_dbfs is None


def measure(pcm: bytes, sample_rate_hz: int = SAMPLE_RATE_HZ) -> Sample:
    samples = array("h", pcm[: len(pcm) - len(pcm) % SAMPLE_WIDTH_BYTES])
    if sys.byteorder == "big":
        samples.byteswap()
    seconds = len(samples) / sample_rate_hz
    peak = max((abs(s) for s in samples), default=0)
    if peak == 0:
        return Sample(seconds, None, None)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    return Sample(seconds, round(20 * math.log10(peak / 32768), 1), round(20 * math.log10(max(rms, 1e-9) / 32768), 1))


def record_sample(sd: Any, device: str | int | None, seconds: float = 0.5, timeout_s: float = 3.0) -> Sample:
    """Record `seconds` from `device` through `sd` (sounddevice) and measure it. A stream that delivers less
    within `timeout_s` is measured as far as it got. Raises what sounddevice raises when it cannot open."""
    return measure(record(sd, device, seconds, timeout_s))


def record(sd: Any, device: str | int | None, seconds: float, timeout_s: float) -> bytes:
    """16-bit mono PCM: `seconds` recorded from `device`, or what came within `timeout_s`."""
    blocks: queue.SimpleQueue[bytes] = queue.SimpleQueue()

    def callback(indata: Any, frames: int, time_info: Any, status: Any) -> None:
        blocks.put(bytes(indata))

    wanted = int(seconds * SAMPLE_RATE_HZ) * SAMPLE_WIDTH_BYTES
    pcm = bytearray()
    stream = sd.RawInputStream(samplerate=SAMPLE_RATE_HZ, channels=1, dtype="int16", device=device, callback=callback)
    with stream:
        deadline = time.monotonic() + timeout_s
        while len(pcm) < wanted and time.monotonic() < deadline:
            try:
                pcm += blocks.get(timeout=0.05)
            except queue.Empty:
                continue
    return bytes(pcm[:wanted])
