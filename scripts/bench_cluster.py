"""Re-scoring on a Ray cluster against the local path, on this machine, in one run: the same answers
re-transcribed by `mockint rescore --retranscribe --jobs 2` and by `--cluster local` (one worker per core),
each as the command a user runs (model loading and, for the cluster, starting Ray included).
Prints both times, the ratio, the overhead per item, and a paper estimate for a bigger cluster.

    .venv/bin/python scripts/bench_cluster.py [--answers 40]

The answers are cut from the English speech in ../shared/audio-samples as scripts/bench_retranscribe.py
cuts them (20-45 s each), each saved as a session. Heavy: a few minutes of CPU on 2 cores.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from sessiongen import make_session  # noqa: E402

from mockint import paths  # noqa: E402
from mockint.audio import write_wav  # noqa: E402
from mockint.bank import load_bank  # noqa: E402
from mockint.store import save  # noqa: E402

PROGRAMME_HOURS = 500.0  # 500 students x 20 sessions x 3 minutes
ANSWER_S = 180.0


def _answers(count: int) -> list:  # type: ignore[type-arg]
    spec = importlib.util.spec_from_file_location("bench_retranscribe", ROOT / "scripts" / "bench_retranscribe.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.answers(count))


def make_sessions(root: Path, count: int) -> float:
    """`count` saved sessions whose answer.wav is real speech; returns the seconds of audio."""
    qids = [q.id for q in load_bank(paths.bank_dir())]
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    total = 0.0
    for i, recording in enumerate(_answers(count)):
        session = make_session(qids[i % len(qids)], now=start + timedelta(hours=i), with_probe=False)
        save(session, root / session.id)
        write_wav(root / session.id / "answer.wav", recording)
        total += recording.duration_s
    return total


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, dict[str, int]]:
    """Wall seconds, CPU seconds of the command and everything it started, and its result counts."""
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mockint", *args, "--json", "-"], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = os.times()
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, json.loads(done.stdout)["counts"]


def ray_start_s(env: dict[str, str]) -> float:
    """Seconds to start a local Ray instance, join it and leave it: the fixed cost of --cluster local."""
    code = "from mockint.cluster import connect\nwith connect('local') as c: c.workers"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=40)
    count = parser.parse_args().answers
    workers = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    try:
        audio_s = make_sessions(work / "local", count)
        shutil.copytree(work / "local", work / "cluster")
        print(f"{count} answers, {audio_s / 60:.1f} min of speech; {workers} cores; load {os.getloadavg()[0]:.1f}")
        local_s, local_cpu, counts = timed(["rescore", str(work / "local"), "--retranscribe", "--jobs", "2"], env)
        print(f"local --jobs 2:           {local_s:6.1f} s wall, {local_cpu:6.1f} CPU-s  {counts}")
        cluster_s, _, counts = timed(["rescore", str(work / "cluster"), "--retranscribe", "--cluster", "local"], env)
        # (no CPU figure: Ray's workers are not the command's children, so os.times cannot see them)
        print(f"--cluster local ({workers} workers): {cluster_s:6.1f} s wall  {counts}")
        start_s = ray_start_s(env)
        per_item = (cluster_s - start_s - local_s) / count
        print(f"ratio cluster/local: {cluster_s / local_s:.2f}x wall; starting Ray here: {start_s:.1f} s; "
              f"overhead per item beyond that: {per_item:+.2f} s (local {local_s / count:.2f} s/item)")  # fmt: skip
        # Paper estimate: each worker (one core, one model) hears audio at the measured rate of this run.
        worker_s_per_audio_s = (cluster_s - start_s) * workers / audio_s
        items = PROGRAMME_HOURS * 3600 / ANSWER_S
        print(f"measured: {worker_s_per_audio_s:.3f} worker-seconds per second of speech")
        for n in (10, 100):
            hours = PROGRAMME_HOURS * worker_s_per_audio_s / n
            print(f"paper estimate, {PROGRAMME_HOURS:.0f} h of audio ({items:.0f} answers) on {n} workers: {hours:.1f} h")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
