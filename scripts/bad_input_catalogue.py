"""Run the bad-input catalogue (tests/bad_input_cases.py) and write docs/bad-input-catalogue.md: one row per case
with the exit code and the message the user saw (paths made generic), each case judged as the tests judge it.

    .venv/bin/python scripts/bad_input_catalogue.py [--out FILE]

tests/test_bad_inputs.py checks that the document lists every case with its exit code.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from bad_input_cases import CASES  # noqa: E402
from bad_inputs import Case, headline, judge, make_assets, make_sandbox, normalise, run, snapshot  # noqa: E402

HEADER = """# Bad-input catalogue

Every fault and bad input mockint is tested against (`tests/bad_input_cases.py`, run by `tests/test_bad_inputs.py`):
each runs `python -m mockint ...` in a sandbox of its own and must give the exit code below, one `Error:` line that
says what failed, which thing and what to do (or, for a signal, a clean stop within 5 s), no traceback, no recording
lost or changed, no temporary file left, and no process left running. A note (`note`) is a command that does what it
can and says why; `stop` is a signal. Written by `scripts/bad_input_catalogue.py`; paths are shown as `<tmp>`.

| area | case | exit | kind | message |
|---|---|---|---|---|
"""


def _row(case: Case, exit_code: int, message: str) -> str:
    cells = [case.area, case.name, str(exit_code), case.kind.value, message]
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bad-input-catalogue.md")
    args = parser.parse_args()
    rows, failed = [], []
    with tempfile.TemporaryDirectory(prefix="mockint-catalogue-") as tmp:
        assets = make_assets(Path(tmp) / "assets")
        for number, case in enumerate(CASES):
            if case.needs is not None and (reason := case.needs()):
                print(f"skip  {case.id}: {reason}", file=sys.stderr)
                rows.append(_row(case, case.exit_code, f"(not run here: {reason})"))
                continue
            box = make_sandbox(Path(tmp) / f"case-{number}", assets)
            if case.setup is not None:
                case.setup(box)
            before = snapshot(box.rec)
            started = time.monotonic()
            outcome = run(case, box)
            try:
                judge(case, box, before, outcome)
                verdict = "ok  "
            except AssertionError as e:
                verdict = "FAIL"
                failed.append(f"{case.id}: {str(e)[:300]}")
            print(f"{verdict} {time.monotonic() - started:5.1f} s  {case.id}", file=sys.stderr)
            message = normalise(headline(case, outcome), box) or "(nothing printed)"
            rows.append(_row(case, outcome.exit_code, f"`{message.replace('`', chr(39))}`"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(HEADER + "\n".join(rows) + f"\n\n{len(CASES)} cases.\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(CASES)} cases, {len(failed)} failed)", file=sys.stderr)
    for line in failed:
        print(f"FAILED {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
