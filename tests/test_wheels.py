"""Every dependency installs from wheels on macOS arm64, macOS x86_64 and Windows x64 at Python 3.11-3.13.

pip needs the network to resolve, and tests never touch it: scripts/check_wheels.py is run by hand and its
output kept in docs/wheels.txt, which is checked here (complete, all resolved, for today's dependencies).
MOCKINT_RESOLVER_CHECK=1 also runs the resolver live.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT, load_script

EVIDENCE = ROOT / "docs" / "wheels.txt"


def _lines() -> list[str]:
    return EVIDENCE.read_text(encoding="utf-8").splitlines()


def test_the_recorded_check_covers_every_platform_and_python_and_all_resolved() -> None:
    check = load_script("check_wheels")
    rows = [line.split() for line in _lines()[1:] if not line.startswith("#")]
    assert {(r[0], r[1]) for r in rows} == {(t, p) for t in check.TARGETS for p in check.PYTHONS}
    assert all(r[2] == "ok" for r in rows), [" ".join(r) for r in rows if r[2] != "ok"]
    assert all("ctranslate2" in " ".join(r) and "onnxruntime" in " ".join(r) for r in rows)


def test_the_recorded_check_is_for_the_current_dependencies() -> None:
    check = load_script("check_wheels")
    assert f"(dependencies {check.deps_digest()})" in _lines()[0], (
        "pyproject.toml's dependencies changed since docs/wheels.txt was made: run "
        "'.venv/bin/python scripts/check_wheels.py --out docs/wheels.txt' (needs the network) and commit it")


@pytest.mark.skipif(os.environ.get("MOCKINT_RESOLVER_CHECK") != "1", reason="needs the network: set MOCKINT_RESOLVER_CHECK=1")
def test_the_resolver_finds_wheels_for_every_platform_now(tmp_path: Path) -> None:
    check = load_script("check_wheels")
    assert check.main(["--out", str(tmp_path / "wheels.txt")]) == 0
