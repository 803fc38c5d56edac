"""Speed of `mockint report --index`: the index page plus every session's report, over generated sessions.

    .venv/bin/python scripts/bench_report.py [--sessions 200] [--runs 3] [--profile]

Sessions come from tests/sessiongen.py (strong, weak and middling answers with word timings, one probe each,
a score from an older rubric, so every page scores its session again in memory, the slow path). Each run is
the real command in a fresh process (`python -m mockint report --index`, interpreter start-up included),
timed from the outside. The budget is 5 s for 200 sessions.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from sessiongen import make_session_folders  # noqa: E402

from mockint import paths  # noqa: E402
from mockint.bank import load_bank  # noqa: E402

BUDGET_S = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="also profile one run in this process and print the top functions")
    args = parser.parse_args()

    questions = {q.id: q for q in load_bank(paths.bank_dir())}
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        root = Path(tmp) / "recordings"
        make_session_folders(root, args.sessions, tuple(questions))
        env = {**os.environ, "MOCKINT_RECORDINGS": str(root), "PYTHONPATH": str(ROOT)}
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "mockint", "report", "--index"], env=env, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                sys.exit(f"report --index failed: {done.stderr}")
        pages = sorted(root.glob("*/report.html"))
        size_kb = sum(p.stat().st_size for p in pages) / len(pages) / 1024
        index_kb = (root / "index.html").stat().st_size / 1024
        print(done.stdout.strip())
        print(f"{args.sessions} sessions, {len(questions)} questions: report --index took "
              + ", ".join(f"{t:.2f} s" for t in times) + f" (best {min(times):.2f} s, budget {BUDGET_S:.0f} s); "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        print(f"pages: {len(pages)} reports of {size_kb:.0f} KB on average, index {index_kb:.0f} KB")
        if args.profile:
            from mockint.report import report_index

            profiler = cProfile.Profile()
            profiler.runcall(report_index, root, questions)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
        if min(times) > BUDGET_S:
            sys.exit(f"over budget: {min(times):.2f} s > {BUDGET_S:.0f} s")


if __name__ == "__main__":
    main()
