"""The test suite's own promises: a library's warning never fails an unrelated test while ours do, and the virtual
audio server is out of reach of the signals a test run sends to its process group."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from audio_helpers import need

ROOT = Path(__file__).resolve().parent.parent

LIBRARY = '''
import threading, warnings

class Finaliser:
    def __del__(self):
        raise RuntimeError("a library's finaliser failed")

def warn_in_a_thread():
    t = threading.Thread(target=lambda: warnings.warn("a library's warning", UserWarning))
    t.start()
    t.join()

def leak_a_file():
    f = open(__file__)
    f.cycle = f  # found only by the garbage collector, in whatever code runs then
'''

PROBES = '''
import gc, threading, warnings
import somelib

def test_library_finaliser(): somelib.Finaliser(); gc.collect()
def test_library_warning_in_its_thread(): somelib.warn_in_a_thread()
def test_library_leaked_file(): somelib.leak_a_file(); gc.collect()

class Ours:
    def __del__(self):
        raise RuntimeError("our finaliser failed")

def test_our_finaliser(): Ours(); gc.collect()
def test_our_warning(): warnings.warn("ours", UserWarning)
def test_our_thread():
    def boom(): raise ValueError("ours")
    t = threading.Thread(target=boom); t.start(); t.join()
'''


def test_a_librarys_warnings_are_shown_and_ours_fail(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "somelib.py").write_text(LIBRARY)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_probes.py").write_text(PROBES)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "lib")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(ROOT / "pyproject.toml"),
         "--rootdir", str(tmp_path), str(tmp_path / "tests" / "test_probes.py")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    failed = sorted(line.split("::")[1].split(" ")[0] for line in result.stdout.splitlines() if line.startswith("FAILED"))
    assert failed == ["test_our_finaliser", "test_our_thread", "test_our_warning"], result.stdout[-3000:]


def test_the_virtual_audio_server_runs_in_a_session_of_its_own(tmp_path: Path) -> None:
    for tool in ("pulseaudio", "pactl", "parec"):
        need(shutil.which(tool) is not None, f"{tool} is not installed")
    folder = tmp_path / "va"
    env = {**os.environ, "VIRTUAL_AUDIO_DIR": str(folder)}
    script = str(ROOT / "scripts" / "virtual-audio.sh")
    subprocess.run(["bash", script, "start"], env=env, check=True, capture_output=True, timeout=60)
    try:
        pids = [int((folder / f"{name}.pid").read_text()) for name in ("pulseaudio", "keepalive-mic", "keepalive-speaker")]
        # A signal to this test run's process group (Ctrl-C in its terminal, a test's killpg) cannot reach them.
        assert all(os.getsid(pid) == pid and os.getpgid(pid) != os.getpgrp() for pid in pids)
    finally:
        subprocess.run(["bash", script, "stop"], env=env, capture_output=True, timeout=60)
    assert not folder.exists()
