"""The functional core never imports devices, models or numpy (STYLE.md: functional core, imperative shell)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mockint"
CORE = ("transcript", "bank", "star", "rubric", "probes", "debrief", "turn", "session", "fillers", "history")
FORBIDDEN = {"sounddevice", "webrtcvad", "pyttsx3", "faster_whisper", "ctranslate2", "numpy", "av"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", [m for m in CORE if (PACKAGE / f"{m}.py").exists()])
def test_core_module_imports_no_device_model_or_numpy(module: str) -> None:
    assert _imports(PACKAGE / f"{module}.py") & FORBIDDEN == set()


def test_core_modules_import_no_shell_module() -> None:
    shell = {"mockint.audio", "mockint.asr", "mockint.recorder", "mockint.voice", "mockint.interview", "mockint.cli"}
    for module in CORE:
        path = PACKAGE / f"{module}.py"
        if not path.exists():
            continue
        tree = ast.parse(path.read_text())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert imported & shell == set(), f"{module}.py imports {imported & shell}"
