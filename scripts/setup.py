"""Set up mockint on this machine, on any OS, with Python alone: prerequisites checked and named, .venv, the
Python packages, the bundled speech model. Idempotent: a second run with nothing changed takes seconds.

    Windows (PowerShell):  py scripts\\setup.py            then  .venv\\Scripts\\mockint practice
    macOS, Linux:          python3 scripts/setup.py         then  .venv/bin/mockint practice
    --test                 also the test tools (pytest, mypy...); the audio and browser tests need Linux
    --dry-run              say what would be done, do nothing

It runs under any Python 3.8+ and picks one that every dependency has wheels for (docs/wheels.txt):
3.11-3.13 on an Intel Mac (onnxruntime's last x86_64 macOS wheels stop at 3.13), 3.11 or newer elsewhere.
On Debian/Ubuntu, `make practice` (scripts/setup.sh) does the same and also installs the system packages.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
MIN_PYTHON = (3, 11)
NEWEST_PYTHON = (3, 13)  # the newest checked by scripts/check_wheels.py on every platform
INTEL_MAC_NEWEST = (3, 13)  # onnxruntime 1.23.2, the last with x86_64 macOS wheels, has none for 3.14
VC_REDIST = "https://aka.ms/vs/17/release/vc_redist.x64.exe"
DEBIAN_PACKAGES = ("espeak-ng", "libespeak-ng1", "alsa-utils", "libportaudio2")


class SetupError(Exception):
    """A prerequisite that is missing and that set-up cannot install: the message says how to."""


@dataclass(frozen=True)
class Machine:
    system: str  # "linux", "macos", "windows" or "other"
    arch: str  # "x86_64", "arm64", ...

    @property
    def newest_python(self) -> Tuple[int, int]:
        return INTEL_MAC_NEWEST if (self.system, self.arch) == ("macos", "x86_64") else (99, 0)


def this_machine() -> Machine:
    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform, "other")
    arch = platform.machine().lower()
    return Machine(system, {"amd64": "x86_64", "aarch64": "arm64"}.get(arch, arch))


@dataclass
class Shell:
    """What set-up does to the machine, so tests can watch instead (the defaults are the real thing)."""

    run: Callable[[Sequence[str]], int] = lambda argv: subprocess.call(list(argv))
    which: Callable[[str], Optional[str]] = shutil.which
    exists: Callable[[Path], bool] = lambda path: path.exists()
    version_of: Callable[[Sequence[str]], Optional[Tuple[int, int]]] = lambda argv: _version_of(argv)
    write: Callable[[Path, str], None] = lambda path, text: path.write_text(text, encoding="utf-8") and None


def _version_of(argv: Sequence[str]) -> Optional[Tuple[int, int]]:
    try:
        out = subprocess.run([*argv, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True,
                             text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    parts = out.stdout.split()
    return (int(parts[0]), int(parts[1])) if out.returncode == 0 and len(parts) == 2 else None


def say(text: str) -> None:
    print(f"setup: {text}", file=sys.stderr, flush=True)


# --- prerequisites -------------------------------------------------------------------------------------------


def python_fits(machine: Machine, version: Tuple[int, int]) -> bool:
    return MIN_PYTHON <= version <= machine.newest_python


def find_python(machine: Machine, shell: Shell, current: Sequence[str], current_version: Tuple[int, int]) -> List[str]:
    """The Python to make .venv with: this one if it fits, else the newest installed one that does."""
    if python_fits(machine, current_version):
        return list(current)
    versions = [(3, minor) for minor in range(NEWEST_PYTHON[1], MIN_PYTHON[1] - 1, -1)]
    for major, minor in versions:
        if not python_fits(machine, (major, minor)):
            continue
        if machine.system == "windows":
            candidate = ["py", f"-{major}.{minor}"] if shell.which("py") else []
        else:
            found = shell.which(f"python{major}.{minor}")
            candidate = [found] if found else []
        if candidate and shell.version_of(candidate) == (major, minor):
            return candidate
    raise SetupError(f"mockint needs Python {_range(machine)} (this is {current_version[0]}.{current_version[1]}). "
                     f"Install one: {_python_hint(machine)}, then run set-up again.")


def _range(machine: Machine) -> str:
    newest = machine.newest_python
    return f"3.{MIN_PYTHON[1]}-3.{newest[1]}" if newest < (99, 0) else f"3.{MIN_PYTHON[1]} or newer"


def _python_hint(machine: Machine) -> str:
    if machine.system == "windows":
        return "winget install Python.Python.3.13 (or python.org; not the Microsoft Store alias)"
    if machine.system == "macos":
        return "brew install python@3.13"
    return "sudo apt-get install -y python3 python3-venv (Debian 13 and Ubuntu 24.04 have 3.11+)"


def has_msvc_runtime(shell: Shell, system_root: Optional[str] = None) -> bool:
    """ctranslate2's DLL needs MSVCP140.dll (the Visual C++ 2015-2022 runtime); a fresh Windows lacks it."""
    root = system_root if system_root is not None else os.environ.get("SystemRoot", "C:\\Windows")
    return shell.exists(Path(root) / "System32" / "msvcp140.dll")


def system_packages(machine: Machine, shell: Shell, want_test: bool) -> None:
    """Install or name what the OS must provide besides Python packages."""
    if machine.system == "windows":
        # sounddevice's wheel carries PortAudio; SAPI speaks; only the C++ runtime may be missing.
        if not has_msvc_runtime(shell):
            raise SetupError(f"The Microsoft Visual C++ runtime (MSVCP140.dll) is missing; the speech recogniser needs "
                             f"it. Install it: winget install Microsoft.VCRedist.2015+.x64 (or {VC_REDIST}), then run "
                             "set-up again.")
    elif machine.system == "macos":
        # The voice is macOS's own (NSSpeechSynthesizer, and `say` as the fallback): only PortAudio is needed.
        if not shell.which("brew"):
            raise SetupError("Homebrew is needed for PortAudio: install it from https://brew.sh, then run set-up again.")
        if shell.run(["brew", "list", "portaudio"]) != 0:
            say("installing PortAudio with Homebrew")
            _must(shell, ["brew", "install", "portaudio"], "brew install portaudio")
    elif machine.system == "linux" and shell.which("apt-get"):
        missing = [p for p in DEBIAN_PACKAGES if shell.run(["dpkg-query", "-W", p]) != 0]
        if missing:
            sudo = [] if hasattr(os, "geteuid") and os.geteuid() == 0 else ["sudo"]
            say("installing system packages: " + " ".join(missing))
            _must(shell, [*sudo, "apt-get", "install", "-y", "--no-install-recommends", *missing], "installing " + " ".join(missing))
        if want_test:
            say("the audio and browser tests need more system packages: run 'make test' (scripts/setup.sh --test)")
    else:
        say("install PortAudio and a text-to-speech engine (espeak-ng) with your package manager")


def _must(shell: Shell, argv: Sequence[str], what: str) -> None:
    if shell.run(argv) != 0:
        raise SetupError(f"{what} failed; run it by hand to see why, then run set-up again.")


# --- the virtual environment, packages and model -------------------------------------------------------------


def venv_python(machine: Machine, root: Path = ROOT) -> Path:
    return root / ".venv" / ("Scripts/python.exe" if machine.system == "windows" else "bin/python")


def stamp(pyproject: Path, extras: str) -> str:
    """What was installed: the first 16 hex digits of pyproject.toml's SHA-256, and the extras (as setup.sh)."""
    return hashlib.sha256(pyproject.read_bytes()).hexdigest()[:16] + extras


def python_packages(machine: Machine, shell: Shell, python: Sequence[str], want_test: bool, root: Path = ROOT) -> Path:
    venv = venv_python(machine, root)
    if not shell.exists(venv):
        say("creating .venv")
        _must(shell, [*python, "-m", "venv", str(root / ".venv")], "creating .venv")
    extras = "[test]" if want_test else ""
    stamp_file = root / ".venv" / ".mockint-installed"
    wanted = stamp(root / "pyproject.toml", extras)
    done = stamp_file.read_text(encoding="utf-8").strip() if stamp_file.is_file() else ""
    if done != wanted:
        say("installing Python packages into .venv (first time: a few minutes)")
        pip = [str(venv), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        _must(shell, [*pip, "-U", "pip"], "updating pip")
        _must(shell, [*pip, "--prefer-binary", "-e", f"{root}{extras}"], "installing mockint's packages")
        shell.write(stamp_file, wanted + "\n")
    return venv


def prepare_model(shell: Shell, venv: Path) -> None:
    code = ("import sys\nfrom mockint.errors import MockintError\nfrom mockint.model import ensure_default_model\n"
            "try:\n    ensure_default_model()\nexcept MockintError as e:\n    sys.exit(f'setup: {e}')")
    _must(shell, [str(venv), "-c", code], "preparing the speech model")


def main(argv: Optional[Sequence[str]] = None, machine: Optional[Machine] = None, shell: Optional[Shell] = None) -> int:
    parser = argparse.ArgumentParser(description="Set up mockint on this machine (any OS).")
    parser.add_argument("--test", action="store_true", help="also install the test tools")
    parser.add_argument("--dry-run", action="store_true", help="say what would be done, do nothing")
    args = parser.parse_args(argv)
    machine = machine or this_machine()
    shell = shell or Shell()
    if args.dry_run:
        real = shell
        shell = Shell(run=lambda a: (say("would run: " + " ".join(a)), 0)[1], which=real.which, exists=real.exists,
                      version_of=real.version_of, write=lambda path, text: say(f"would write {path}"))
    try:
        system_packages(machine, shell, args.test)
        python = find_python(machine, shell, [sys.executable], (sys.version_info[0], sys.version_info[1]))
        venv = python_packages(machine, shell, python, args.test)
        prepare_model(shell, venv)
    except SetupError as e:
        say(str(e))
        return 1
    mockint = venv.with_name("mockint.exe" if machine.system == "windows" else "mockint")
    say(f"ready: {mockint} practice")
    return 0


if __name__ == "__main__":
    sys.exit(main())
