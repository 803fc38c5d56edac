from __future__ import annotations

import importlib.util
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

# The same examples on every run, so that a fresh clone's `make test` passes or fails the same way each time;
# HYPOTHESIS_PROFILE=explore searches new ones (and what it finds becomes a test).
settings.register_profile("fixed", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# The assembled speech model is a cache shared by every test (assembling it copies 145 MB);
# tests of the cache itself point MOCKINT_MODEL_CACHE at a temporary folder.
MODEL_CACHE = Path(os.environ.get("MOCKINT_MODEL_CACHE") or Path.home() / ".local/share/mockint/models")


# A suite started in the background (`make test &`, nohup, a script's `&`) inherits Ctrl-C ignored, and so would
# every command a test starts and then stops with SIGINT: it would never stop (a practice run hung, a cluster
# driver finished with exit 0). Handled here as Python does by default: a handler, unlike an ignored signal,
# is not passed on to the commands this process starts.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def data_dir() -> Path:
    return Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own MOCKINT_HOME and recordings folder; the model cache is shared read-only
    through MOCKINT_TEST_MODEL_CACHE when a test needs the real model."""
    h = tmp_path / "home"
    h.mkdir()
    monkeypatch.setenv("MOCKINT_HOME", str(h))
    monkeypatch.setenv("MOCKINT_RECORDINGS", str(tmp_path / "recordings"))
    monkeypatch.delenv("MOCKINT_BANK", raising=False)
    monkeypatch.setenv("MOCKINT_MODEL_CACHE", str(MODEL_CACHE))
    # The virtual microphone gives exact zeros until something plays into it; a real one never does. The
    # silent-microphone check (miclevel.py) is off unless a test turns it on.
    monkeypatch.setenv("MOCKINT_SILENT_MIC_S", "0")
    return h


def load_script(name: str) -> ModuleType:
    """Import scripts/<name>.py as a module (the scripts are not part of the package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the script is executed
    spec.loader.exec_module(module)
    return module


_FIGURES: list[str] = []


@pytest.fixture
def report_figure() -> Callable[[str], None]:
    """`report_figure(line)`: a measured figure printed at the end of the run (README claims quote them)."""
    return _FIGURES.append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("figures measured in this run")
        for line in _FIGURES:
            terminalreporter.write_line(line)
