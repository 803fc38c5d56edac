"""`mockint doctor`: what works on this machine, and what to do about what doesn't.

Each check returns a `Check`; nothing here prints. Device and engine libraries are imported inside the checks.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from importlib import metadata
from pathlib import Path
from typing import Any

from mockint import miclevel, model, paths, platforms
from mockint.errors import DeviceError, ModelNotAvailable
from mockint.voice import is_english


class CheckStatus(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: CheckStatus
    detail: str
    fix: str = ""


_PACKAGES = ("faster-whisper", "ctranslate2", "sounddevice", "pyttsx3", "webrtcvad-wheels", "typer", "rich", "numpy")


def _install_hint(need: str) -> str:
    """'portaudio' or 'voice': this OS's way to get it (platforms.install_hint)."""
    if platforms.current() is platforms.System.LINUX and not shutil.which("apt-get"):
        return f"install {'PortAudio' if need == 'portaudio' else 'espeak-ng and alsa-utils'} with your package manager"
    return platforms.install_hint(need)


def check_python() -> Check:
    ok = sys.version_info >= (3, 11)
    return Check("python", CheckStatus.OK if ok else CheckStatus.FAIL, f"{platform.python_version()} ({sys.executable})",
                 "" if ok else "mockint needs Python 3.11 or newer")


def check_packages() -> Check:
    found, missing = [], []
    for name in _PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        return Check("packages", CheckStatus.FAIL, "missing: " + ", ".join(missing), "run 'make setup'")
    return Check("packages", CheckStatus.OK, ", ".join(found))


def check_model() -> Check:
    status = model.model_status()
    if status.is_ready:
        return Check("speech model", CheckStatus.OK, f"ready: Whisper base (bundled), verified, in {status.path}")
    how = "built" if not (status.path / "model.bin").exists() else "rebuilt (the copy there was damaged)"
    try:
        folder = model.ensure_default_model()
    except ModelNotAvailable as e:
        return Check("speech model", CheckStatus.FAIL, f"not ready: {e}", "run 'make setup'")
    return Check("speech model", CheckStatus.OK, f"ready: Whisper base (bundled), {how} just now from the "
                 f"installed packages and verified, in {folder}")


def check_other_models() -> Check:
    """The opt-in bundled models: which are installed and usable (assembling one if needed)."""
    lines, status = [], CheckStatus.OK
    for spec in model.BUNDLED.values():
        if spec is model.BASE:
            continue
        if not model.is_installed(spec):
            lines.append(f"{spec.name}: not installed ({spec.install_hint[:-1]})")
            continue
        try:
            folder = model.ensure_model(spec)
        except ModelNotAvailable as e:
            lines.append(str(e))
            status = CheckStatus.WARN
            continue
        lines.append(f"{spec.name}: installed at {folder}, verified (use --model {spec.name})")
    return Check("other models", status, "; ".join(lines), "" if status is CheckStatus.OK else "omit --model to use base")


def check_voice() -> Check:
    if sys.platform.startswith("linux"):
        missing = [b for b in ("espeak-ng", "aplay") if not shutil.which(b)]
        if missing:
            return Check("voice", CheckStatus.FAIL, f"{', '.join(missing)} not found: questions would only be printed",
                         _install_hint("voice"))
    from mockint.speech import START_TIMEOUT_S, EngineThread, engine_errors, fallback_command

    def list_voices() -> list[Any]:
        try:
            import pyttsx3

            return list(pyttsx3.init().getProperty("voices") or [])
        except engine_errors() as e:  # SAPI: COMError or ValueError while listing
            raise DeviceError(f"{type(e).__name__}: {e}") from e

    try:  # on the engine's own thread with a deadline: SAPI and NSSpeechSynthesizer can hang (speech.py)
        voices = EngineThread("doctor-voice").call(list_voices, START_TIMEOUT_S, "listing the voices")
    except DeviceError as e:
        fallback = fallback_command()
        status = CheckStatus.WARN if fallback else CheckStatus.FAIL
        spoken = f"; questions will be spoken with '{fallback[0]}' instead" if fallback else ""
        return Check("voice", status, f"text-to-speech engine failed ({e}){spoken}",
                     _install_hint("voice") + ", or use --no-voice")
    english = sorted({str(getattr(v, "name", "?")) for v in voices if is_english(v)})
    if not english:
        return Check("voice", CheckStatus.WARN, f"pyttsx3 with {len(voices)} voices, none of them English",
                     _install_hint("voice") + ", or pass --voice NAME")
    shown = ", ".join(english[:4]) + (f" and {len(english) - 4} more" if len(english) > 4 else "")
    return Check("voice", CheckStatus.OK, f"pyttsx3 with {len(voices)} voices, {len(english)} of them English: {shown}")


def _devices(kind: str) -> tuple[Check, Any]:
    """The default device's check, and sounddevice when the device is there to be used."""
    name = "microphone" if kind == "input" else "speaker"
    try:
        import sounddevice as sd
    except OSError as e:  # PortAudio library missing
        return Check(name, CheckStatus.FAIL, f"PortAudio not found ({e})", _install_hint("portaudio")), None
    try:
        default = sd.query_devices(kind=kind)
    except (sd.PortAudioError, ValueError) as e:
        fix = "plug in a microphone, or use 'mockint practice --answer-file FILE'" if kind == "input" else \
              "connect a speaker, or use --no-voice"
        return Check(name, CheckStatus.FAIL, f"no default {kind} device ({e})", fix), None
    channels = "max_input_channels" if kind == "input" else "max_output_channels"
    count = sum(1 for d in sd.query_devices() if d[channels] > 0)
    return Check(name, CheckStatus.OK, f"default: {default['name']} ({count} {kind} devices)"), sd


LISTEN_S = 2.0
_MUTED_FIX = {
    "darwin": "allow your terminal app in System Settings → Privacy & Security → Microphone, and check the "
              "input volume in System Settings → Sound → Input",
    "win32": "turn on 'Let desktop apps access your microphone' in Settings → Privacy & security → Microphone, "
             "and check that it is not muted in Settings → System → Sound → Input",
}
_LINUX_MUTED_FIX = ("unmute the microphone and raise its input volume in your sound settings (or 'pavucontrol' → "
                    "Input Devices, or 'alsamixer' → F4 Capture)")


@dataclass(frozen=True, slots=True)
class Heard:
    """What the microphone delivered while doctor listened."""

    seconds: float
    loudest_level: float  # of its loudest 0.1 s, 0..1 on the live meter's scale (recorder.level_of: -60..0 dBFS)
    zero_run_s: float  # the longest stretch of samples that were all exactly zero


def heard_from(pcm: bytes, sample_rate_hz: int) -> Heard:
    """Loudest 0.1 s and longest run of exact zeros in 16-bit mono PCM."""
    from mockint.recorder import level_of

    block = sample_rate_hz // 10 * 2
    peak = max((level_of(pcm[i : i + block]) for i in range(0, len(pcm), block)), default=0.0)
    longest = run = 0
    for sample in memoryview(pcm).cast("h") if len(pcm) % 2 == 0 else ():
        run = run + 1 if sample == 0 else 0
        longest = max(longest, run)
    return Heard(len(pcm) / 2 / sample_rate_hz, peak, longest / sample_rate_hz)


def judge_heard(heard: Heard, device: str, platform_name: str | None = None) -> Check:
    """The microphone check from what it heard (`device`: which microphone, as the detail starts): exact zeros are a muted or forbidden microphone (a live one
    always hears some noise)."""
    from mockint.liveview import meter_bar

    dbfs = -60.0 * (1.0 - heard.loudest_level)
    if heard.zero_run_s >= 1.0:
        return Check("microphone", CheckStatus.FAIL,
                     f"{device}; but {heard.zero_run_s:.1f} s of exact silence (every sample zero) in {heard.seconds:.0f} s "
                     "of listening: the microphone is muted, or this app is not allowed to use it",
                     _MUTED_FIX.get(platform_name or sys.platform, _LINUX_MUTED_FIX))  # fmt: skip
    level = f"loudest {dbfs:.0f} dBFS {meter_bar(heard.loudest_level, 10)}"
    if heard.loudest_level <= 0.0:
        return Check("microphone", CheckStatus.WARN, f"{device}; almost nothing heard in {heard.seconds:.0f} s ({level})",
                     "raise the input volume, or speak closer to the microphone while doctor listens")
    return Check("microphone", CheckStatus.OK, f"{device}; heard sound in {heard.seconds:.0f} s of listening ({level})")


def check_microphone() -> Check:
    """The default input device exists, and listening to it for LISTEN_S hears something."""
    found, sd = _devices("input")
    if sd is None:
        return found
    from mockint.audio import SAMPLE_RATE_HZ

    name = found.detail
    try:
        pcm = miclevel.record(sd, None, LISTEN_S, LISTEN_S + 2.0)
    except (sd.PortAudioError, ValueError) as e:
        return Check("microphone", CheckStatus.FAIL, f"{name}; but it cannot record ({e})",
                     platforms.portaudio_hint(str(e)) or "check that no other app holds the microphone, or pick one with --input-device")
    if not pcm:
        return Check("microphone", CheckStatus.FAIL, f"{name}; it delivered no audio",
                     "check the microphone's connection and " + platforms.microphone_permission())
    return judge_heard(heard_from(pcm, SAMPLE_RATE_HZ), name)


def check_speaker() -> Check:
    return _devices("output")[0]


def check_recordings() -> Check:
    folder = paths.recordings_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
        free_mb = shutil.disk_usage(folder).free // 2**20
    except OSError as e:
        return Check("recordings", CheckStatus.FAIL, f"'{folder}' is not writable: {e.strerror}",
                     "set MOCKINT_RECORDINGS to a writable folder")
    status = CheckStatus.OK if free_mb > 200 else CheckStatus.WARN
    return Check("recordings", status, f"{Path(os.path.abspath(folder))} writable, {free_mb} MB free",
                 "" if status is CheckStatus.OK else "free some disk space: a 3-minute answer takes about 6 MB")


CHECKS: tuple[tuple[Callable[[], Check], str], ...] = (
    (check_python, "Checking Python…"),
    (check_packages, "Checking the Python packages…"),
    (check_model, "Checking the speech model…"),
    (check_other_models, "Checking the other bundled models…"),
    (check_voice, "Checking the voice…"),
    (check_microphone, f"Listening to the microphone for {LISTEN_S:g} s: say something…"),
    (check_speaker, "Checking the speaker…"),
    (check_recordings, "Checking the recordings folder…"),
)


def check_row(check: Check) -> Any:
    """One check as the terminal shows it: its mark, its name, what was found and the fix (wrapped beside)."""
    from rich.table import Table

    marks = {CheckStatus.OK: "[green]ok[/]", CheckStatus.WARN: "[yellow]warn[/]", CheckStatus.FAIL: "[red]FAIL[/]"}
    row = Table.grid(padding=(0, 1))
    row.add_column(width=4, no_wrap=True)
    row.add_column(width=12, no_wrap=True, style="bold")
    row.add_column(overflow="fold")  # paths stay whole
    row.add_row(marks[check.status], check.name, check.detail + (f"\n→ {check.fix}" if check.fix else ""))
    return row


def run_checks(on_start: Callable[[str], None] = lambda note: None) -> Iterator[Check]:
    """Each check in turn; `on_start` gets a note on what is being checked (some take seconds)."""
    for check, note in CHECKS:
        on_start(note)
        yield check()
