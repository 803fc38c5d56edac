"""Set-up on each OS, run on Linux with the OS faked: scripts/setup.sh under a stub `uname` (an Intel Mac) and
with no sha256sum, and scripts/setup.py's checks with its Shell watched (Windows without the C++ runtime,
an Intel Mac with only Python 3.14, the venv layout). Nothing is installed and nothing downloaded."""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT, load_script

TOOLS = ("dirname", "cat", "cut", "id", "mkdir", "cp", "chmod")  # what setup.sh needs besides the stubs


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/bash\n" + body + "\n", encoding="utf-8")
    path.chmod(0o755)


def _intel_mac(tmp_path: Path, pythons: Sequence[str]) -> tuple[Path, dict[str, str]]:
    """A copy of setup.sh in a scratch repo, and a PATH with a Mac's uname, brew and `pythons`, no sha256sum."""
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "setup.sh", repo / "scripts")
    shutil.copy(ROOT / "pyproject.toml", repo)
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for tool in TOOLS:
        os.symlink(shutil.which(tool) or f"/usr/bin/{tool}", bin_ / tool)
    log = tmp_path / "log"
    _stub(bin_, "uname", 'case "$1" in -m) echo x86_64 ;; *) echo Darwin ;; esac')
    _stub(bin_, "brew", f'echo "brew $*" >> {log}; [ "$1" = list ] && exit 1; exit 0')
    venv_python = f'echo "venv-python $*" >> {log}'
    for name in pythons:  # a Python that makes a venv whose python only logs; anything else runs for real
        _stub(bin_, name, f'echo "{name} $*" >> {log}\n'
                          f'if [ "$1" = -m ] && [ "$2" = venv ]; then mkdir -p "$3/bin"; '
                          f'printf "#!/bin/bash\\n%s\\n" \'{venv_python}\' > "$3/bin/python"; chmod +x "$3/bin/python"; exit 0; fi\n'
                          f'exec {sys.executable} "$@"')
    env = {"PATH": str(bin_), "HOME": str(tmp_path), "LOG": str(log)}
    return repo, env


def test_setup_sh_on_an_intel_mac_without_sha256sum_picks_python_3_13(tmp_path: Path) -> None:
    repo, env = _intel_mac(tmp_path, ("python3", "python3.13"))
    run = subprocess.run(["/bin/bash", str(repo / "scripts/setup.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    log = (tmp_path / "log").read_text(encoding="utf-8")
    assert "brew install portaudio" in log and "espeak" not in log
    assert "python3.13 -m venv .venv" in log and "python3 -m venv" not in log
    digest = hashlib.sha256((repo / "pyproject.toml").read_bytes()).hexdigest()[:16]
    assert (repo / ".venv/.mockint-installed").read_text(encoding="utf-8").strip() == digest
    assert "venv-python -m pip install" in log and "ensure_default_model" in log


def test_setup_sh_on_an_intel_mac_with_only_a_newer_python_names_the_one_to_install(tmp_path: Path) -> None:
    repo, env = _intel_mac(tmp_path, ("python3",))
    run = subprocess.run(["/bin/bash", str(repo / "scripts/setup.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "brew install python@3.13" in run.stderr
    assert not (repo / ".venv").exists()


@pytest.fixture(scope="module")
def setup() -> ModuleType:
    return load_script("setup")


class WatchedShell:
    """scripts/setup.py's Shell, watched: commands are recorded and succeed unless listed in `failing`."""

    def __init__(self, programs: Sequence[str] = (), files: Sequence[str] = (), versions: dict[str, tuple[int, int]] | None = None,
                 failing: Sequence[str] = ()) -> None:
        self.programs, self.files, self.versions, self.failing = set(programs), set(files), versions or {}, failing
        self.ran: list[list[str]] = []
        self.written: dict[Path, str] = {}

    def run(self, argv: Sequence[str]) -> int:
        self.ran.append(list(argv))
        return 1 if any(" ".join(argv).startswith(f) for f in self.failing) else 0

    def which(self, name: str) -> str | None:
        return f"/usr/local/bin/{name}" if name in self.programs else None

    def exists(self, path: Path) -> bool:
        return path.as_posix() in self.files or path.name in self.files

    def version_of(self, argv: Sequence[str]) -> tuple[int, int] | None:
        return self.versions.get(" ".join(argv))

    def write(self, path: Path, text: str) -> None:
        self.written[path] = text


def _shell(setup: ModuleType, watched: WatchedShell) -> object:
    return setup.Shell(run=watched.run, which=watched.which, exists=watched.exists, version_of=watched.version_of,
                       write=watched.write)


def test_windows_without_the_cpp_runtime_stops_naming_it(setup: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    watched = WatchedShell(programs=("py",))
    code = setup.main([], setup.Machine("windows", "x86_64"), _shell(setup, watched))
    err = capsys.readouterr().err
    assert code == 1 and "MSVCP140.dll" in err and "vc_redist.x64.exe" in err and "\n" not in err.strip()
    assert watched.ran == []


def test_windows_with_the_runtime_makes_a_scripts_venv_and_installs(setup: ModuleType, tmp_path: Path) -> None:
    watched = WatchedShell(files=("msvcp140.dll",))
    code = setup.main([], setup.Machine("windows", "x86_64"), _shell(setup, watched))
    assert code == 0
    venv = setup.venv_python(setup.Machine("windows", "x86_64"))
    assert venv.parts[-3:] == (".venv", "Scripts", "python.exe")
    assert [sys.executable, "-m", "venv", str(setup.ROOT / ".venv")] in watched.ran
    assert any(cmd[:4] == [str(venv), "-m", "pip", "install"] and "-e" in cmd for cmd in watched.ran)
    assert list(watched.written.values()) == [setup.stamp(ROOT / "pyproject.toml", "") + "\n"]


def test_an_intel_mac_skips_python_3_14_for_an_installed_3_12(setup: ModuleType) -> None:
    mac = setup.Machine("macos", "x86_64")
    watched = WatchedShell(programs=("python3.12",), versions={"/usr/local/bin/python3.12": (3, 12)})
    assert setup.find_python(mac, _shell(setup, watched), ["python3"], (3, 14)) == ["/usr/local/bin/python3.12"]
    with pytest.raises(setup.SetupError, match="3.11-3.13.*brew install python@3.13"):
        setup.find_python(mac, _shell(setup, WatchedShell()), ["python3"], (3, 14))


def test_an_apple_silicon_mac_keeps_a_newer_python_and_installs_portaudio(setup: ModuleType) -> None:
    mac = setup.Machine("macos", "arm64")
    assert setup.find_python(mac, _shell(setup, WatchedShell()), ["python3"], (3, 14)) == ["python3"]
    watched = WatchedShell(programs=("brew",), failing=("brew list",))
    setup.system_packages(mac, _shell(setup, watched), False)
    assert watched.ran == [["brew", "list", "portaudio"], ["brew", "install", "portaudio"]]


def test_windows_finds_a_fitting_python_through_the_launcher(setup: ModuleType) -> None:
    watched = WatchedShell(programs=("py",), versions={"py -3.12": (3, 12)})
    assert setup.find_python(setup.Machine("windows", "x86_64"), _shell(setup, watched), ["python"], (3, 10)) == ["py", "-3.12"]


def test_dry_run_changes_nothing(setup: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    watched = WatchedShell(programs=("brew",))
    assert setup.main(["--dry-run"], setup.Machine("macos", "arm64"), _shell(setup, watched)) == 0
    assert watched.ran == [] and watched.written == {}
    assert "would run: brew list portaudio" in capsys.readouterr().err


def test_setup_py_runs_under_old_pythons_syntax() -> None:
    source = (ROOT / "scripts" / "setup.py").read_text(encoding="utf-8")
    ast.parse(source, feature_version=(3, 8))  # it must start under whatever Python the machine has
