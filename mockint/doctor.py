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

from mockint import model, paths
from mockint.errors import ModelNotAvailable


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


def _install_hint(debian: str, brew: str) -> str:
    if sys.platform == "darwin":
        return f"brew install {brew}"
    if shutil.which("apt-get"):
        return f"sudo apt-get install -y {debian}"
    return f"install {debian} with your package manager"


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
                         _install_hint("espeak-ng alsa-utils", "espeak-ng"))
    try:
        import pyttsx3

        engine = pyttsx3.init()
        voices = engine.getProperty("voices") or []
    except (ImportError, RuntimeError, OSError) as e:
        return Check("voice", CheckStatus.FAIL, f"text-to-speech engine failed to start: {e}",
                     _install_hint("espeak-ng libespeak-ng1 alsa-utils", "espeak-ng") + ", or use --no-voice")
    english = [v for v in voices if "en" in (getattr(v, "id", "") + getattr(v, "name", "")).lower()]
    names = ", ".join(sorted({getattr(v, "name", "?") for v in english})[:5])
    return Check("voice", CheckStatus.OK, f"pyttsx3 with {len(voices)} voices ({len(english)} English: {names}…)")


def _devices(kind: str) -> Check:
    name = "microphone" if kind == "input" else "speaker"
    try:
        import sounddevice as sd
    except OSError as e:  # PortAudio library missing
        return Check(name, CheckStatus.FAIL, f"PortAudio not found ({e})", _install_hint("libportaudio2", "portaudio"))
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
    return _devices("input")


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


CHECKS = (check_python, check_packages, check_model, check_other_models, check_voice, check_microphone, check_speaker,
          check_recordings)


def run_checks() -> tuple[Check, ...]:
    return tuple(check() for check in CHECKS)
