"""`mockint rescore --cluster`: a real local Ray cluster (a head and one more worker node, each a process of its
own, loopback only) re-scores generated sessions with the same results as the local path, byte for byte."""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import soundfile
from fakes import HashingAsr
from sessiongen import STRONG, WEAK, make_session, make_session_folders, write_silence_wav
from typer.testing import CliRunner

from mockint import paths
from mockint.bank import Question, load_bank
from mockint.cli import app
from mockint.cluster import connect
from mockint.rescore import ItemStatus, RescoreOptions, Summary, run
from mockint.rescore_items import discover
from mockint.store import load, save

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning")


@dataclass
class LocalCluster:
    address: str
    env: dict[str, str]
    nodes: list[subprocess.Popen[bytes]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ray_node(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    ray = str(Path(sys.executable).parent / "ray")
    common = ["--block", "--node-ip-address", "127.0.0.1", "--num-cpus", "1", "--disable-usage-stats",
              "--dashboard-agent-listen-port", str(_free_port())]  # fmt: skip
    with open(log, "wb") as out:  # its own process group: the whole node is ended by that id
        return subprocess.Popen([ray, "start", *args, *common], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _end(proc: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=10)
            time.sleep(1)  # the node's other processes leave after `ray start --block`
        except subprocess.TimeoutExpired:
            pass


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[LocalCluster]:
    """A head node and one more worker node (1 CPU each), token-authenticated, on 127.0.0.1 only."""
    work = Path(tempfile.mkdtemp(prefix="mockint-ray-", dir="/tmp"))  # short: Ray's socket paths must fit
    token = work / "token"
    token.write_text(secrets.token_hex(32))
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN_PATH": str(token),
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}  # fmt: skip
    port = _free_port()
    address = f"127.0.0.1:{port}"
    nodes = [_ray_node(["--head", "--port", str(port), "--include-dashboard", "false", "--temp-dir", str(work / "t")], env, work / "head.log")]
    try:
        _wait_for(lambda: _answers(port), 90, "the Ray head")
        nodes.append(_ray_node(["--address", address], env, work / "worker.log"))
        with pytest.MonkeyPatch.context() as mp:
            for key in ("RAY_USAGE_STATS_ENABLED", "RAY_AUTH_MODE", "RAY_AUTH_TOKEN_PATH"):
                mp.setenv(key, env[key])
            with connect(address) as cluster:
                _wait_for(lambda: cluster.workers == 2, 90, "the second Ray node")
            yield LocalCluster(address, env, nodes)
    finally:
        for node in reversed(nodes):
            _end(node)
        shutil.rmtree(work, ignore_errors=True)


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def _wait_for(condition: object, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"{what} did not come up in {timeout_s} s"
        time.sleep(0.5)


@pytest.fixture(scope="module")
def questions() -> dict[str, Question]:
    return {q.id: q for q in load_bank(paths.bank_dir())}


def _hashes(root: Path, *, clock: bool = True) -> dict[str, str]:
    """Every file's SHA-256; with `clock=False` the time a session was scored at is left out (two commands run
    at their own times, a second apart or more, write the same session with different times)."""
    def content(p: Path) -> bytes:
        data = p.read_bytes()
        return data if clock else re.sub(rb'"scored_at": "[^"]*"', b'"scored_at": ""', data)

    return {str(p.relative_to(root)): hashlib.sha256(content(p)).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def _rows(summary: Summary, root: Path) -> list[tuple[str, str, str | None, int | None, str]]:
    """Each result, its reason with the folder's root left out (the two copies live in different folders)."""
    return [(r.path.name, r.status.value, r.session_id, r.overall, (r.reason or "").replace(str(root), "ROOT"))
            for r in summary.results]  # fmt: skip


def _break_ten(folders: list[Path]) -> None:
    """Ten sessions damaged in different ways (as tests/test_rescore.py does); those of them that exist."""
    f = {k: folder for k, folder in enumerate(folders) if k in (3, 17, 29, 41, 58, 73, 88, 101, 120, 150)}
    for k, cut in ((3, -600), (17, 20), (29, 0), (41, 44)):
        if k in f:
            wav = f[k] / "answer.wav"
            wav.write_bytes(wav.read_bytes()[:cut] if cut else b"")
    if len(folders) <= 58:
        return
    (f[58] / "session.json").write_text('{"schema_version": 1, "id": ')
    (f[88] / "probe-1.wav").unlink()
    (f[101] / "session.json").unlink()
    for k, key, value in ((73, "schema_version", 99), (120, "question_id", "tell-me-about-yourself"), (150, "level", "principal")):
        data = json.loads((f[k] / "session.json").read_text())
        data[key] = value
        (f[k] / "session.json").write_text(json.dumps(data))


def _two_copies(tmp_path: Path, questions: dict[str, Question], count: int = 200) -> tuple[Path, Path]:
    local, remote = tmp_path / "local", tmp_path / "cluster"
    _break_ten(make_session_folders(local, count, tuple(questions)))
    shutil.copytree(local, remote)
    return local, remote


def test_200_sessions_with_10_broken_score_on_the_cluster_as_they_do_locally(
    ray_cluster: LocalCluster, tmp_path: Path, questions: dict[str, Question]
) -> None:
    local, remote = _two_copies(tmp_path, questions)
    expected = run(discover([local]), questions, RescoreOptions(), now=NOW)
    seen: list[ItemStatus] = []
    with connect(ray_cluster.address) as cluster:
        assert cluster.workers == 2
        got = run(discover([remote]), questions, RescoreOptions(), now=NOW, on_result=lambda r: seen.append(r.status), spread=cluster)
        assert _rows(got, remote) == _rows(expected, local) and got.exit_code == expected.exit_code == 3
        assert got.count(ItemStatus.RESCORED) == 190 and len(got.skipped) == 10 and len(seen) == 200
        assert _hashes(remote) == _hashes(local)  # every session file byte for byte, no file added or left behind
        again = run(discover([remote]), questions, RescoreOptions(), now=LATER, spread=cluster)
    assert again.count(ItemStatus.UNCHANGED) == 190 and _hashes(remote) == _hashes(local)


def test_retranscribing_200_sessions_survives_a_worker_killed_mid_run(
    ray_cluster: LocalCluster, tmp_path: Path, questions: dict[str, Question]
) -> None:
    local, remote = _two_copies(tmp_path, questions)
    pids = tmp_path / "pids"
    asr = HashingAsr(delay_s=0.02, pid_log=pids)
    options = RescoreOptions(retranscribe=True)
    expected = run(discover([local]), questions, options, now=NOW, transcriber_factory=HashingAsr(), model_name="fake-model")
    killed: list[int] = []

    def kill_a_worker() -> None:  # once four batches have started, end the process of the worker hearing them
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(_pids(pids)) < 4:
            time.sleep(0.05)
        if _pids(pids):
            killed.append(_pids(pids)[-1])
            os.kill(killed[0], signal.SIGKILL)

    killer = threading.Thread(target=kill_a_worker)
    with connect(ray_cluster.address) as cluster:
        killer.start()
        got = run(discover([remote]), questions, options, now=NOW, transcriber_factory=asr, model_name="fake-model", spread=cluster)
        killer.join()
    assert killed, "no worker started hearing"
    after = _pids(pids)[_pids(pids).index(killed[0]) + 1 :]
    assert set(after) - {killed[0]}, "the killed worker's batches were heard by another worker"
    assert _rows(got, remote) == _rows(expected, local) and got.count(ItemStatus.RESCORED) == 190
    assert _hashes(remote) == _hashes(local)


def _pids(log: Path) -> list[int]:
    return [int(line) for line in log.read_text().split()] if log.exists() else []


def test_shipped_audio_and_imported_files_give_the_local_results(
    ray_cluster: LocalCluster, tmp_path: Path, questions: dict[str, Question]
) -> None:
    local, remote = _two_copies(tmp_path, questions, count=24)  # sessions 3, 17 are broken among the first 24
    source = tmp_path / "elsewhere"
    source.mkdir()
    write_silence_wav(source / "plain.wav", 0.5)
    soundfile.write(source / "stereo.flac", [[0.01, -0.01]] * 22_050, 44_100)
    before = _hashes(source)
    qid = next(iter(questions))
    options = {side: RescoreOptions(question_id=qid, retranscribe=True, into=tmp_path / f"into-{side}") for side in ("l", "c")}
    expected = run(discover([local, source]), questions, options["l"], now=NOW, transcriber_factory=HashingAsr(), model_name="fake-model")
    with connect(ray_cluster.address, ship_audio=True) as cluster:
        got = run(discover([remote, source]), questions, options["c"], now=NOW, transcriber_factory=HashingAsr(), model_name="fake-model",
                  spread=cluster)  # fmt: skip
    assert _rows(got, remote) == _rows(expected, local) and got.count(ItemStatus.IMPORTED) == 2
    assert _hashes(remote) == _hashes(local) and _hashes(tmp_path / "into-c") == _hashes(tmp_path / "into-l")
    assert _hashes(source) == before  # the recorded audio is only read


DRIVER = """
import sys
from pathlib import Path
from datetime import datetime
from fakes import HashingAsr
from mockint import paths
from mockint.bank import load_bank
from mockint.cluster import connect
from mockint.rescore import RescoreOptions
from mockint.rescore_items import discover
from mockint.rescore_report import BatchInterrupted, run_with_progress
from rich.console import Console

address, root, now = sys.argv[1:4]
questions = {q.id: q for q in load_bank(paths.bank_dir())}
with connect(address) as cluster:
    try:
        run_with_progress(discover([Path(root)]), questions, RescoreOptions(retranscribe=True), Console(stderr=True), spread=cluster,
                          now=datetime.fromisoformat(now), transcriber_factory=HashingAsr(0.1), model_name="fake-model")
    except BatchInterrupted as e:
        print(f"interrupted after {e.done} of {e.total}", flush=True)
        sys.exit(130)
"""


def test_ctrl_c_stops_the_cluster_work_cleanly_and_a_rerun_finishes(
    ray_cluster: LocalCluster, tmp_path: Path, questions: dict[str, Question]
) -> None:
    local, remote = tmp_path / "local", tmp_path / "cluster"
    make_session_folders(local, 60, tuple(questions))
    shutil.copytree(local, remote)
    before = _hashes(remote)
    driver = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(DRIVER), ray_cluster.address, str(remote), NOW.isoformat()],
        env=ray_cluster.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    _wait_for(lambda: _hashes(remote) != before or driver.poll() is not None, 120, "the first saved session")
    driver.send_signal(signal.SIGINT)
    out, err = driver.communicate(timeout=60)
    assert driver.returncode == 130, out + err
    assert "interrupted after" in out and "Traceback" not in err, err
    done = sum(1 for k in before if before[k] != _hashes(remote).get(k))
    assert 0 < done < 60
    assert all(load(f) for f in remote.iterdir())  # every session whole; no temporary file left
    assert _hashes(remote).keys() == before.keys()

    expected = run(discover([local]), questions, RescoreOptions(retranscribe=True), now=NOW,
                   transcriber_factory=HashingAsr(), model_name="fake-model")  # fmt: skip
    with connect(ray_cluster.address) as cluster:
        _wait_for(lambda: cluster.ray.available_resources().get("CPU") == 2, 30, "the interrupted run's workers to end")
        rerun = run(discover([remote]), questions, RescoreOptions(retranscribe=True), now=NOW,
                    transcriber_factory=HashingAsr(), model_name="fake-model", spread=cluster)  # fmt: skip
    assert rerun.count(ItemStatus.UNCHANGED) == done and rerun.count(ItemStatus.RESCORED) == 60 - done
    assert [r.overall for r in rerun.results] == [r.overall for r in expected.results]
    assert _hashes(remote) == _hashes(local)


def test_cli_cluster_gives_the_local_json_and_exit_code(ray_cluster: LocalCluster, tmp_path: Path, questions: dict[str, Question],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    for key in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN_PATH"):
        monkeypatch.setenv(key, ray_cluster.env[key])
    local, remote = _two_copies(tmp_path, questions, count=30)
    runner = CliRunner()
    mine = runner.invoke(app, ["rescore", str(local), "--json", str(tmp_path / "l.json")])
    theirs = runner.invoke(app, ["rescore", str(remote), "--cluster", ray_cluster.address, "--json", str(tmp_path / "c.json")])
    assert mine.exit_code == theirs.exit_code == 3, theirs.output
    strip = lambda text: text.replace(str(local), "ROOT").replace(str(remote), "ROOT")  # noqa: E731
    assert strip((tmp_path / "c.json").read_text()) == strip((tmp_path / "l.json").read_text())
    assert _hashes(remote, clock=False) == _hashes(local, clock=False)  # the commands ran at their own times


def test_without_ray_the_cluster_option_says_how_to_get_it(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['ray'] = None\nfrom mockint.cli import app\n"
            f"app(['rescore', {str(tmp_path)!r}, '--cluster', 'local'])")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: --cluster needs Ray: pip install 'mockint[cluster]'"


def test_a_cluster_that_is_not_there_is_one_line_and_exit_1(tmp_path: Path) -> None:
    make_session_folders(tmp_path / "r", 2, ("ownership-webhook-drop",))
    started = time.monotonic()
    result = CliRunner().invoke(app, ["rescore", str(tmp_path / "r"), "--cluster", f"127.0.0.1:{_free_port()}"])
    assert result.exit_code == 1 and time.monotonic() - started < 30
    assert result.output.startswith("Error: Nothing answers at '127.0.0.1:") and result.output.count("\n") == 1, result.output
    assert CliRunner().invoke(app, ["rescore", str(tmp_path / "r"), "--ship-audio"]).exit_code == 2


@pytest.mark.slow
def test_real_whisper_retranscribe_on_a_local_cluster_scores_as_the_local_path(tmp_path: Path, questions: dict[str, Question]) -> None:
    from audio_helpers import mockint_cmd, need_espeak, synthesise

    need_espeak()
    local = tmp_path / "local"
    qid = "ownership-webhook-drop" if "ownership-webhook-drop" in questions else next(iter(questions))
    for k, text in enumerate((STRONG, WEAK)):
        session = make_session(qid, now=datetime(2026, 11, 1 + k, 9, 0, tzinfo=UTC), text=text, with_probe=False)
        save(session, local / session.id)
        synthesise([s for s in text.split(". ") if s], local / session.id / "answer.wav", tail_s=1.0)
    remote = tmp_path / "cluster"
    shutil.copytree(local, remote)
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN_PATH": str(tmp_path / "token"),
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    (tmp_path / "token").write_text(secrets.token_hex(32))
    mine = subprocess.run(mockint_cmd("rescore", str(local), "--retranscribe", "--json", "-"), env=env, capture_output=True, text=True)
    theirs = subprocess.run(mockint_cmd("rescore", str(remote), "--retranscribe", "--cluster", "local", "--json", "-"),
                            env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
    assert mine.returncode == theirs.returncode == 0, theirs.stderr
    assert "Traceback" not in theirs.stderr
    rows = [[(r["status"], r["overall"]) for r in json.loads(p.stdout)["results"]] for p in (mine, theirs)]
    assert rows[0] == rows[1] and rows[0][0][0] == "rescored"
    for folder in local.iterdir():
        here, there = load(folder), load(remote / folder.name)
        assert there.answer is not None and here.answer is not None
        assert there.answer.transcript.text == here.answer.transcript.text != ""
        assert there.turns == here.turns  # every word, its times and its probability
        assert there.scores[-1].overall == here.scores[-1].overall
