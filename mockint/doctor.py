"""`mockint doctor`: what works on this machine, and what to do about what doesn't.

Each check returns a `Check`; nothing here prints. Device and engine libraries are imported inside the checks.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from importlib import metadata
from pathlib import Path

from typing import Any

from mockint import miclevel, model, paths, platforms
from mockint.errors import DeviceError, ModelNotAvailable


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
        return Check("speech model", CheckStatus.OK, f"Whisper base (bundled) at {status.path}: {status.detail}")
    try:
        folder = model.ensure_default_model()
    except ModelNotAvailable as e:
        return Check("speech model", CheckStatus.FAIL, str(e), "run 'make setup'")
    return Check("speech model", CheckStatus.OK, f"Whisper base (bundled) assembled now at {folder} ({status.detail})")


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
    english = [v for v in voices if "en" in (getattr(v, "id", "") + getattr(v, "name", "")).lower()]
    names = ", ".join(sorted({getattr(v, "name", "?") for v in english})[:5])
    return Check("voice", CheckStatus.OK, f"pyttsx3 with {len(voices)} voices ({len(english)} English: {names}…)")


def _devices(kind: str) -> Check:
    name = "microphone" if kind == "input" else "speaker"
    try:
        import sounddevice as sd
    except OSError as e:  # PortAudio library missing
        return Check(name, CheckStatus.FAIL, f"PortAudio not found ({e})", _install_hint("portaudio"))
    try:
        default = sd.query_devices(kind=kind)
    except (sd.PortAudioError, ValueError) as e:
        fix = "plug in a microphone, or use 'mockint practice --answer-file FILE'" if kind == "input" else \
              "connect a speaker, or use --no-voice"
        return Check(name, CheckStatus.FAIL, f"no default {kind} device ({e})", fix)
    channels = "max_input_channels" if kind == "input" else "max_output_channels"
    count = sum(1 for d in sd.query_devices() if d[channels] > 0)
    return Check(name, CheckStatus.OK, f"default: {default['name']} ({count} {kind} devices)")


def check_microphone() -> Check:
    """The default input device, and half a second recorded from it: its level, or the permission to fix."""
    found = _devices("input")
    if found.status is not CheckStatus.OK:
        return found
    import sounddevice as sd

    try:
        sample = miclevel.record_sample(sd, None)
    except (sd.PortAudioError, ValueError) as e:
        fix = platforms.portaudio_hint(str(e)) or "pass another microphone with --input-device"
        return Check("microphone", CheckStatus.FAIL, f"{found.detail}; cannot record: {e}", fix)
    if sample.seconds == 0:
        return Check("microphone", CheckStatus.FAIL, f"{found.detail}; it delivered no audio",
                     "check the microphone's connection and " + platforms.microphone_permission())
    if sample.is_digital_silence:
        status = CheckStatus.FAIL if miclevel.silent_limit_s() > 0 else CheckStatus.WARN
        return Check("microphone", status, f"{found.detail}; {sample.seconds:g} s recorded: exact digital silence",
                     platforms.microphone_permission())
    quiet = sample.peak_dbfs is not None and sample.peak_dbfs < -60
    level = f"{found.detail}; {sample.seconds:g} s recorded: level {sample.rms_dbfs} dBFS, peak {sample.peak_dbfs} dBFS"
    return Check("microphone", CheckStatus.WARN if quiet else CheckStatus.OK, level,
                 "very quiet: raise the input volume or move closer" if quiet else "")


def check_speaker() -> Check:
    return _devices("output")


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


CHECKS = (check_python, check_packages, check_model, check_voice, check_microphone, check_speaker, check_recordings)


def run_checks() -> tuple[Check, ...]:
    return tuple(check() for check in CHECKS)
