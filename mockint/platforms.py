"""What differs between Linux, macOS and Windows: install hints, permission settings, folders, path shapes.

Every function takes the system as an argument (default: this machine's), so each platform's answer can be
tested on any of them. Nothing here touches a device; the checks that do live in recorder, voice and doctor.
"""

from __future__ import annotations

import os
import re
import sys
from enum import StrEnum
from pathlib import Path, PurePath


class System(StrEnum):
    LINUX = "linux"
    MACOS = "macos"
    WINDOWS = "windows"
    OTHER = "other"


def current(platform: str | None = None) -> System:
    """The system `platform` (a `sys.platform` value) names; this machine's by default."""
    name = sys.platform if platform is None else platform
    if name.startswith("linux"):
        return System.LINUX
    if name == "darwin":
        return System.MACOS
    if name in ("win32", "cygwin"):
        return System.WINDOWS
    return System.OTHER


# --- paths the user types -----------------------------------------------------------------------------

_DRIVE = re.compile(r"^[A-Za-z]:")


def looks_like_path(text: str) -> bool:
    """True for a file-system path on any OS ('./m', '~/m', '/m', 'C:\\m', 'C:m', '\\\\server\\m'), False for a
    bare name such as a Whisper model size ('small.en')."""
    return "/" in text or "\\" in text or text.startswith((".", "~")) or bool(_DRIVE.match(text))


# --- folders -----------------------------------------------------------------------------------------------


def user_data_dir(system: System | None = None, home: Path | None = None) -> Path:
    """Where mockint keeps per-user data (the model cache) when MOCKINT_HOME is not set.

    Linux: $XDG_DATA_HOME/mockint or ~/.local/share/mockint, as before platformdirs. macOS:
    ~/Library/Application Support/mockint, unless an older mockint already made ~/.local/share/mockint
    there (kept, so its model cache is reused). Windows: %LOCALAPPDATA%\\mockint (not Roaming: the model
    is 145 MB and must not be synced).
    """
    system = system or current()
    home = home or Path.home()
    legacy = _xdg_data_home(home) / "mockint"
    if system in (System.LINUX, System.OTHER):
        return legacy
    if system is System.MACOS:
        return legacy if legacy.is_dir() else home / "Library" / "Application Support" / "mockint"
    import platformdirs

    return Path(platformdirs.user_data_dir("mockint", appauthor=False, roaming=False))


def _xdg_data_home(home: Path) -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    return Path(xdg).expanduser() if xdg else home / ".local" / "share"


def is_narrow_path(path: PurePath | str) -> bool:
    """True when `path` holds characters beyond ASCII. CTranslate2 on Windows opens model files through
    narrow (ANSI code page) file names, and loads are reported to fail under such user folders."""
    return not str(path).isascii()


def ascii_model_cache(default: Path, system: System | None = None, program_data: str | None = None) -> Path:
    """The model cache to use instead of `default`: on Windows, a folder whose path is plain ASCII.

    `default` is kept everywhere else, and on Windows when it is ASCII already. Otherwise the cache moves
    to %ProgramData%\\mockint\\models (writable by every user; C:\\ProgramData on a standard install),
    which is ASCII on every Windows we know of; if even that is not, `default` is kept.
    """
    if (system or current()) is not System.WINDOWS or not is_narrow_path(default):
        return default
    base = program_data if program_data is not None else os.environ.get("ProgramData", "")
    if not base or is_narrow_path(base):
        return default
    return Path(base) / "mockint" / "models"


# --- what to tell the user ---------------------------------------------------------------------------------


def microphone_permission(system: System | None = None) -> str:
    """Where this system lets a program use the microphone: what to check when a microphone gives silence."""
    system = system or current()
    if system is System.MACOS:
        return ("allow your terminal app in System Settings > Privacy & Security > Microphone, then quit and "
                "reopen the terminal (macOS gives a program without permission silence, not an error)")
    if system is System.WINDOWS:
        return ("turn on Settings > Privacy & security > Microphone > 'Microphone access' and 'Let desktop apps "
                "access your microphone'")
    return "check that the microphone is not muted (pavucontrol, or Settings > Sound > Input) and is the one in use"


def install_hint(need: str, system: System | None = None) -> str:
    """The command (or step) that installs `need`: 'portaudio', 'voice' or 'msvc'."""
    system = system or current()
    hints = {
        System.LINUX: {
            "portaudio": "sudo apt-get install -y libportaudio2",
            "voice": "sudo apt-get install -y espeak-ng libespeak-ng1 alsa-utils",
            "msvc": "",
        },
        System.MACOS: {
            "portaudio": "brew install portaudio",
            # pyttsx3 speaks through macOS's own NSSpeechSynthesizer: there is nothing to install.
            "voice": "add a voice in System Settings > Accessibility > Spoken Content, or check that 'say hello' speaks",
            "msvc": "",
        },
        System.WINDOWS: {
            # sounddevice's Windows wheel carries its own PortAudio DLL.
            "portaudio": "reinstall sounddevice: .venv\\Scripts\\python -m pip install --force-reinstall sounddevice",
            "voice": "add a voice in Settings > Time & language > Speech",
            "msvc": "install the Microsoft Visual C++ Redistributable (x64): https://aka.ms/vs/17/release/vc_redist.x64.exe",
        },
    }
    table = hints.get(system)
    if table is None:
        return f"install {need} with your package manager"
    return table[need]


def portaudio_hint(message: str, system: System | None = None) -> str:
    """What to do about a PortAudio error, from its text: -9985 (device unavailable) on Windows is the
    microphone privacy switch far more often than a broken device."""
    if "-9985" in message or "unavailable" in message.casefold():
        return "The device is in use or blocked: " + microphone_permission(system) + "."
    return ""


# --- choosing among devices ------------------------------------------------------------------------------------

# The host API to prefer when one microphone is listed under several: the one that opens at 16 kHz mono
# without surprises. On Windows, WASAPI shared mode only opens at the mixer's rate (48 kHz, so 16 kHz
# needs conversion) and WDM-KS is exclusive; MME converts for us.
_HOST_API_ORDER = {
    System.WINDOWS: ("MME", "Windows DirectSound", "Windows WASAPI", "Windows WDM-KS"),
    System.MACOS: ("Core Audio",),
    System.LINUX: ("ALSA", "JACK Audio Connection Kit", "OSS"),
}


def host_api_rank(host_api: str, system: System | None = None) -> int:
    """Lower is better; host APIs not listed come last."""
    order = _HOST_API_ORDER.get(system or current(), ())
    return order.index(host_api) if host_api in order else len(order)
