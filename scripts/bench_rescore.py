"""Re-scoring speed from saved transcripts: sessions per second, end to end (discover, load, check the WAV
headers, segment, score, judge probes, save atomically), as `mockint rescore` runs it.

    .venv/bin/python scripts/bench_rescore.py [--sessions 600] [--jobs 1 2] [--profile]

Sessions are generated (tests/sessiongen.py: strong, weak and middling answers with word timings and one
probe answer each) into a temporary folder. The question bank is loaded once per process, never per session.
The second pass over the same folder is the no-op run (everything already scored).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from sessiongen import make_session_folders  # noqa: E402

from mockint import paths  # noqa: E402
from mockint.bank import load_bank  # noqa: E402
from mockint.rescore import ItemStatus, RescoreOptions, run  # noqa: E402
from mockint.rescore_items import discover  # noqa: E402
from mockint.store import load  # noqa: E402


def _cpu_s() -> float:
    """CPU time of this process and of its children that have finished (the worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=600)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--profile", action="store_true", help="profile the single-process run and print the top functions")
    args = parser.parse_args()

    bank_folder = paths.bank_dir()
    questions = {q.id: q for q in load_bank(bank_folder)}
    with tempfile.TemporaryDirectory(prefix="bench-rescore-") as tmp:
        base = Path(tmp)
        t = time.perf_counter()
        template = make_session_folders(base / "template", args.sessions, tuple(questions))
        words = sum(len(w.transcript.words) for w in load(template[0]).turns)
        print(f"generated {args.sessions} sessions in {time.perf_counter() - t:.1f} s "
              f"(answer + probe: ~{words} words per session, {len(questions)} questions)")
        for jobs in args.jobs:
            root = base / f"jobs{jobs}"
            shutil.copytree(base / "template", root)
            items = discover([root])
            profiler = cProfile.Profile() if args.profile and jobs == 1 else None
            t, cpu = time.perf_counter(), _cpu_s()
            if profiler:
                profiler.enable()
            first = run(items, questions, RescoreOptions(jobs=jobs), now=datetime.now(UTC), bank_folder=bank_folder)
            if profiler:
                profiler.disable()
            first_s, cpu_s = time.perf_counter() - t, _cpu_s() - cpu
            t = time.perf_counter()
            second = run(discover([root]), questions, RescoreOptions(jobs=jobs), now=datetime.now(UTC), bank_folder=bank_folder)
            second_s = time.perf_counter() - t
            assert first.count(ItemStatus.RESCORED) == args.sessions, first.skipped[:3]
            assert second.count(ItemStatus.UNCHANGED) == args.sessions
            # Wall-clock sessions/s is what the user sees right now, on a machine shared with other work.
            # Sessions per CPU-second (this process and its finished workers) is what one core does when
            # nothing else runs, so 2x that bounds a quiet 2-core machine.
            print(f"jobs={jobs}: rescore {args.sessions / first_s:7.0f} sessions/s ({first_s:.2f} s, "
                  f"{args.sessions / cpu_s:.0f} per CPU-second, load average {os.getloadavg()[0]:.1f}); "
                  f"second run (no-op) {args.sessions / second_s:7.0f} sessions/s ({second_s:.2f} s)")
            if profiler:
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)


if __name__ == "__main__":
    main()
