"""The bad-input catalogue (bad_input_cases.py), each case run as a user runs it and judged by bad_inputs.judge:
the right exit code, one `Error:` line naming what, which and what to do, no traceback, no recording lost or
changed, no temporary file, no process left behind; a signal stops a command within 5 s and a rerun finishes.
docs/bad-input-catalogue.md is the table of these cases (scripts/bad_input_catalogue.py writes it).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from audio_helpers import need_espeak
from bad_input_cases import CASES
from bad_inputs import Case, judge, make_assets, make_sandbox, run, snapshot

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "bad-input-catalogue.md"
AREAS = ("audio", "bank", "sessions", "filesystem", "signals", "cli", "environment")


@pytest.fixture(scope="module")
def assets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_espeak()
    return make_assets(tmp_path_factory.mktemp("bad-input-assets"))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, assets: Path, tmp_path: Path) -> None:
    reason = case.needs() if case.needs is not None else None
    if reason:
        pytest.skip(reason)
    box = make_sandbox(tmp_path / "box", assets)
    if case.setup is not None:
        case.setup(box)
    before = snapshot(box.rec)
    judge(case, box, before, run(case, box))
    shutil.rmtree(box.root)  # kept when the case fails, to look at


def test_the_catalogue_holds_at_least_60_cases_in_every_area() -> None:
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)
    counts = Counter(c.area for c in CASES)
    assert set(counts) == set(AREAS) and min(counts.values()) >= 4, counts


def test_the_catalogue_document_has_every_case_with_its_exit_code() -> None:
    rows = re.findall(r"^\| (\w+) \| (.+?) \| (\d+) \| ", DOC.read_text(encoding="utf-8"), flags=re.M)
    documented = {(area, name.replace("\\|", "|")): int(code) for area, name, code in rows}
    expected = {(c.area, c.name): c.exit_code for c in CASES}
    assert documented == expected, "run: .venv/bin/python scripts/bad_input_catalogue.py (then review the diff)"
