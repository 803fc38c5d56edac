"""Helpers for the tests that go through the virtual microphone and speaker (../shared/audio/README.md).

The devices are started outside the test process (scripts/test.sh, or
`eval "$(bash scripts/virtual-audio.sh start)"`) because ALSA looks for PulseAudio when PortAudio starts.
Without them these tests skip, unless MOCKINT_REQUIRE_AUDIO=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mockint.audio import SAMPLE_RATE_HZ, Recording, load_audio, write_wav

ROOT = Path(__file__).resolve().parent.parent

# A short STAR answer, one sentence (or two) per section, in spoken order.
STAR_ANSWER = (
    ("situation", "At my last company I was a backend engineer on the payments team, and our checkout "
                  "service was timing out for about two percent of customers every evening."),
    ("task", "Nobody had asked me to look at it and there was no ticket, but I owned the checkout code, "
             "so I decided it was my problem to fix."),
    ("action", "First I added tracing to every call in the checkout flow. Then I found one query scanning "
               "the whole orders table, so I rewrote it, added an index, and load tested the change."),
    ("result", "As a result the timeouts dropped from two percent to under zero point one percent, and we "
               "recovered about forty thousand dollars of orders every month."),
    ("reflection", "Looking back, the lesson I learned is to instrument a service before guessing, and now "
                   "I add tracing to every new endpoint I build."),
)  # fmt: skip


def need(condition: bool, what: str) -> None:
    """Skip when `what` is missing, or fail when MOCKINT_REQUIRE_AUDIO=1 says it must be there."""
    if condition:
        return
    if os.environ.get("MOCKINT_REQUIRE_AUDIO") == "1":
        pytest.fail(f"MOCKINT_REQUIRE_AUDIO=1 but {what}; run the tests through scripts/test.sh")
    pytest.skip(what)


def need_virtual_audio() -> None:
    need(bool(os.environ.get("PULSE_SERVER")), "the virtual audio devices are not started (PULSE_SERVER unset)")
    for tool in ("paplay", "pactl", "parec", "espeak-ng"):
        need(shutil.which(tool) is not None, f"{tool} is not installed")


def need_espeak() -> None:
    need(shutil.which("espeak-ng") is not None, "espeak-ng is not installed")


def silence(seconds: float) -> bytes:
    return b"\x00\x00" * int(seconds * SAMPLE_RATE_HZ)


def synthesise(lines: list[str], path: Path, *, lead_s: float = 1.0, gap_s: float = 0.9, tail_s: float = 4.0,
               wpm: int = 165) -> Recording:  # fmt: skip
    """espeak-ng speaks each line; the lines are joined with pauses into a 16 kHz mono WAV at `path`."""
    pcm = silence(lead_s)
    for i, line in enumerate(lines):
        part = path.with_name(f"{path.stem}-part{i}.wav")
        subprocess.run(["espeak-ng", "-s", str(wpm), "-w", str(part), line], check=True, capture_output=True)
        pcm += load_audio(part).pcm + (silence(gap_s) if i < len(lines) - 1 else b"")
        part.unlink()
    recording = Recording(pcm + silence(tail_s))
    write_wav(path, recording)
    return recording


def _pactl(*args: str) -> str | None:
    """pactl's output, or None when it fails (the server is busy or still starting): callers poll again."""
    try:
        return subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=10, check=True).stdout
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return None


def stream_running(pid: int | None, kind: str = "source-outputs", device: str | None = None) -> bool:
    """Is a running (uncorked) stream of process `pid` (any process but the keep-alive readers, for None)
    recording (`source-outputs`) or playing (`sink-inputs`), on `device` if given (a source or sink name)?"""
    listing = _pactl("list", kind)
    if listing is None:
        return False
    device_index = None
    if device is not None:
        short = _pactl("list", "short", "sources" if kind == "source-outputs" else "sinks")
        rows = [line.split("\t") for line in (short or "").splitlines()]
        device_index = next((r[0] for r in rows if len(r) > 1 and r[1] == device), None)
        if device_index is None:
            return False
    for block in listing.split("Source Output #" if kind == "source-outputs" else "Sink Input #")[1:]:
        if "Corked: no" not in block or "virtual-audio-keepalive" in block:
            continue
        if pid is not None and f'application.process.id = "{pid}"' not in block:
            continue
        if device_index is not None and f"{'Source' if kind == 'source-outputs' else 'Sink'}: {device_index}\n" not in block:
            continue
        return True
    return False


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> float:
    """Poll `condition` until it holds; returns time.monotonic() then. Fails the test with `what` at the timeout."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout_s:.0f} s waiting for {what}")
        time.sleep(0.02)
    return time.monotonic()


class MicFeeder:
    """Plays a WAV into the virtual mic as soon as process `pid` records from it (any recorder, for None);
    `recording_at` and `feeding_at` are time.monotonic() when the recorder was seen running and when
    playback began."""

    def __init__(self, wav: Path, pid: int | None = None, timeout_s: float = 120.0) -> None:
        self.wav = wav
        self.pid = pid
        self.recording_at: float | None = None
        self.feeding_at: float | None = None
        self.finished_at: float | None = None
        self._timeout_s = timeout_s
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        deadline = time.monotonic() + self._timeout_s
        while not stream_running(self.pid, "source-outputs", "vmic"):
            if time.monotonic() > deadline or self._stopped.is_set():
                return
            time.sleep(0.02)
        self.recording_at = time.monotonic()
        # A stream shows up as running a moment before PortAudio delivers data; the fed WAVs start with
        # silence (lead_s), so nothing said is lost however long that moment is.
        self.feeding_at = time.monotonic()
        with self._lock:
            if self._stopped.is_set():
                return
            feed = os.environ.get("VIRTUAL_MIC_FEED", "vmic_feed")
            self._proc = subprocess.Popen(["paplay", "--device", feed, str(self.wav)])
        self._proc.wait()
        self.finished_at = time.monotonic()

    def wait_until_feeding(self, timeout_s: float = 60.0) -> float:
        return wait_until(lambda: self.feeding_at is not None, timeout_s, "the recorder to start (nothing recorded from the virtual mic)")

    def stop(self) -> None:
        with self._lock:
            self._stopped.set()
            if self._proc is not None and self._proc.poll() is None:
                self._proc.send_signal(signal.SIGTERM)
        self._thread.join(timeout=10)


def mockint_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "mockint", *args]
