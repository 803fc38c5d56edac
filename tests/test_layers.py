"""Every module has a layer, and the layers keep their promises (STYLE.md: functional core, imperative shell).

core: pure and deterministic, standard library only; imports only other core modules.
view: draws (rich renderables, or HTML as a string) and returns it; imports core and view modules, never a device or a model.
shell: devices, models, files, processes and the command line; may import anything, third-party lazily.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mockint"
README = PACKAGE.parent / "README.md"

CORE = frozenset({
    "errors", "transcript", "text", "bank", "star", "cues", "timing", "analysis", "rubric", "scorecard",
    "checks", "delivery", "scoring", "probes", "fillers", "session", "history", "endpointer", "hallucinations",
    "hearing", "report_data", "livesection", "starfeatures",
})  # fmt: skip
VIEW = frozenset({
    "debrief", "timeline", "history_view", "walkthrough", "liveview", "rescore_report", "report_page", "report_index",
    "report_svg", "report_assets",
})  # fmt: skip
SHELL = frozenset({
    "__init__", "__main__", "cli", "paths", "store", "audio", "vad", "asr", "batch", "model", "recorder", "voice",
    "live", "interview", "practice", "replay", "rescore", "rescore_items", "doctor", "report", "terminal",
    "exits", "usage", "userpaths",
    "platforms", "speech", "miclevel", "atomic", "textout", "keys", "devices",
    "cluster",
})  # fmt: skip
DEVICES_AND_MODELS = {"sounddevice", "webrtcvad", "pyttsx3", "faster_whisper", "ctranslate2", "numpy", "av", "ray"}


def _modules() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py"))


def _top_level_imports(module: str) -> set[str]:
    """Modules imported at module level (not inside functions): the package's own as 'mockint.x'."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "mockint":
                names.update(f"mockint.{a.name}" for a in node.names)
            else:
                names.add(node.module)
    return names


def _all_imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_every_module_has_exactly_one_layer() -> None:
    assert not CORE & VIEW and not CORE & SHELL and not VIEW & SHELL
    assert sorted(CORE | VIEW | SHELL) == _modules(), "give each new module a layer here and in the README's Layout"


def test_the_readme_layout_names_every_module() -> None:
    layout = README.read_text(encoding="utf-8").split("## Layout", 1)[1]
    missing = [m for m in _modules() if not m.startswith("__") and f"`{m}`" not in layout]
    assert not missing, f"README's Layout does not name {missing}"


@pytest.mark.parametrize("module", sorted(CORE))
def test_core_module_imports_only_the_standard_library_and_core(module: str) -> None:
    imported = _all_imports(module)
    assert imported & (DEVICES_AND_MODELS | {"rich", "typer"}) == set()
    ours = {n.removeprefix("mockint.") for n in _top_level_imports(module) if n.startswith("mockint.")}
    assert ours <= CORE, f"{module}.py imports {ours - CORE}"


@pytest.mark.parametrize("module", sorted(VIEW))
def test_view_module_imports_no_device_or_model(module: str) -> None:
    assert _all_imports(module) & DEVICES_AND_MODELS == set()
