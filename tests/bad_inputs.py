"""The bad-input catalogue's harness: a sandbox per case, the command run as a user runs it, and what every
case must show (tests/test_bad_inputs.py; scripts/bad_input_catalogue.py writes docs/bad-input-catalogue.md).

Each case runs `python -m mockint ...` in a fresh sandbox (its own MOCKINT_HOME, a recordings folder holding
two saved sessions, an inputs folder) and is judged on: its exit code; one `Error:` line on stderr that names
the thing and what to do (or, for a signal, a clean stop within STOP_S); no traceback; every recording that
was there before, byte for byte; no temporary file left anywhere in the sandbox; no process left behind.
The cases themselves are in bad_input_cases.py.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from audio_helpers import STAR_ANSWER, synthesise
from sessiongen import make_session, write_silence_wav

from mockint.audio import Recording, write_wav
from mockint.store import save

ROOT = Path(__file__).resolve().parent.parent
STOP_S = 5.0  # a signal ends every command within this
SESSION_IDS = ("20261101-090000-refused-to-ship", "20261101-100000-disagree-and-commit")
_TEMP_NAME = re.compile(r"(\.tmp$|^\.mockint-write-check-|^\.model\.bin\.\d+\.tmp$)")


class Kind(StrEnum):
    ERROR = "error"  # one `Error:` line on stderr
    NOTE = "note"  # the command does what it can and says why (e.g. no answer heard): no Error line
    STOP = "stop"  # a signal: a clean stop with 128 + the signal


@dataclass
class Sandbox:
    root: Path
    assets: Path  # audio made once for all cases (make_assets)
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def rec(self) -> Path:
        return self.root / "rec"

    @property
    def inputs(self) -> Path:
        return self.root / "in"

    def path(self, name: str) -> Path:
        return self.inputs / name

    def asset(self, name: str) -> Path:
        """A copy of a shared asset in this sandbox's inputs."""
        target = self.inputs / name
        shutil.copyfile(self.assets / name, target)
        return target

    def session(self, index: int = 0) -> Path:
        return self.rec / SESSION_IDS[index]


Step = Callable[[Sandbox], object]


@dataclass(frozen=True)
class Case:
    area: str  # audio, bank, sessions, filesystem, signals, cli, environment
    name: str
    argv: Callable[[Sandbox], list[str]]
    exit_code: int
    says: tuple[str, ...] = ()  # what the message must contain (which thing, what to do)
    kind: Kind = Kind.ERROR
    setup: Step | None = None
    env: Callable[[Sandbox], dict[str, str | None]] | None = None  # None removes a variable
    signals: tuple[int, ...] = ()  # sent once `ready` holds (to the process group with `to_group`)
    ready: Callable[[Sandbox, str, int], bool] | None = None  # (sandbox, output so far, the command's pid)
    to_group: bool = False
    rerun: Callable[[Sandbox], list[str]] | None = None  # must then exit 0: the job finishes
    check: Callable[[Sandbox, Outcome], None] | None = None  # anything else this case promises
    changes_recordings: bool = False  # sessions may be added or re-scored (never a WAV changed, nothing lost)
    needs: Callable[[], str | None] | None = None  # why this case cannot run here (None: it can)
    asked: bool = False  # the fault comes mid-interview (a full disk), so the question was already asked
    closes_stdout: bool = False  # the reader of stdout goes away at once (`| head -0`)

    @property
    def id(self) -> str:
        return f"{self.area}: {self.name}"


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    stop_s: float | None  # from the first signal to the exit
    left: tuple[str, ...]  # processes of the command's session still running after it ended

    @property
    def message(self) -> str:
        """The line the user reads: the Error line, else the last line on stderr, else on stdout."""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("Error:")]
        if errors:
            return errors[0]
        stop = [line for line in lines if line.startswith(("Interrupted", "Stopped"))]
        if stop:
            return stop[-1]
        out = [line for line in self.stdout.splitlines() if line.strip()]
        return (lines or out or [""])[-1].strip()


# --- assets and sandboxes -------------------------------------------------------------------------------


def make_assets(folder: Path) -> Path:
    """The audio the cases share, made once: speech, a long answer, German, silence, noise."""
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "done").exists():
        return folder
    speech = synthesise([text for _, text in STAR_ANSWER], folder / "speech.wav", tail_s=0.5)
    write_wav(folder / "long.wav", Recording(speech.pcm * 3))  # about 2.5 min
    subprocess.run(["espeak-ng", "-v", "de", "-w", str(folder / "german-22k.wav"),
                    "Ich habe in meiner letzten Firma als Entwickler gearbeitet. Jeden Abend fiel das Bezahlsystem "
                    "aus, und niemand hatte mich gebeten, mich darum zu kümmern. Ich habe den Fehler selbst gesucht, "
                    "behoben und getestet."], check=True, capture_output=True)  # fmt: skip
    from mockint.audio import load_audio

    write_wav(folder / "german.wav", load_audio(folder / "german-22k.wav"))
    write_wav(folder / "silence.wav", Recording(b"\x00\x00" * 16_000 * 30))
    rng = __import__("random").Random(13)
    noise = b"".join(rng.randint(-12000, 12000).to_bytes(2, "little", signed=True) for _ in range(16_000 * 10))
    write_wav(folder / "noise.wav", Recording(noise))
    (folder / "done").touch()
    return folder


def make_sandbox(root: Path, assets: Path) -> Sandbox:
    box = Sandbox(root, assets)
    for folder in (box.home, box.rec, box.inputs):
        folder.mkdir(parents=True)
    for index, (session_id, question) in enumerate(zip(SESSION_IDS, ("refused-to-ship", "disagree-and-commit"), strict=True)):
        when = datetime(2026, 11, 1, 9 + index, 0, tzinfo=UTC)
        session = make_session(question, now=when, old_score=55)
        assert session.id == session_id
        folder = box.rec / session_id
        save(session, folder)
        for turn in session.turns:
            assert turn.audio_file is not None
            write_silence_wav(folder / turn.audio_file, 0.5)
    return box


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def temp_files(root: Path) -> list[str]:
    return [str(p.relative_to(root)) for p in root.rglob("*") if _TEMP_NAME.search(p.name)]


# --- running a case -------------------------------------------------------------------------------------


def base_env(box: Sandbox) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKINT_") or k == "MOCKINT_MODEL_CACHE"}
    env.update(MOCKINT_HOME=str(box.home), MOCKINT_RECORDINGS=str(box.rec), COLUMNS="200", PYTHONDONTWRITEBYTECODE="1")
    # The package these tests belong to, whatever the current folder (the command runs in the sandbox).
    paths = [str(ROOT), *(str(Path(p).resolve()) for p in env.get("PYTHONPATH", "").split(os.pathsep) if p)]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def _reset_signals() -> None:
    """The child starts with default signal handling even if this process ignores some (nohup, a background job)."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def run(case: Case, box: Sandbox, argv: list[str] | None = None, timeout_s: float = 300.0) -> Outcome:
    """Run the case's command in `box` (a new session, so its processes can be found and signalled)."""
    env = base_env(box)
    for name, value in (case.env(box) if case.env is not None else {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    command = argv if argv is not None else case.argv(box)
    if command[:1] == ["mockint"]:
        command = [sys.executable, "-m", "mockint", *command[1:]]
    closed = case.closes_stdout and argv is None
    stdout: int = subprocess.PIPE
    if closed:
        read_end, stdout = os.pipe()
        os.close(read_end)
    proc = subprocess.Popen(command, cwd=box.root, env=env, stdin=subprocess.DEVNULL, stdout=stdout,
                            stderr=subprocess.PIPE, start_new_session=True, preexec_fn=_reset_signals)  # fmt: skip
    if closed:
        os.close(stdout)
    out: list[bytes] = []
    err: list[bytes] = []
    both: list[bytes] = []  # stdout and stderr as they came, for `ready`
    readers = [threading.Thread(target=_drain, args=(proc.stderr, err, both), daemon=True)]
    if proc.stdout is not None:
        readers.append(threading.Thread(target=_drain, args=(proc.stdout, out, both), daemon=True))
    for reader in readers:
        reader.start()
    stop_s = None
    try:
        if case.signals and argv is None:
            stop_s = _signal(case, box, proc, both, timeout_s)
        proc.wait(timeout=timeout_s)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for reader in readers:
        reader.join(timeout=10)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    text = [b"".join(chunks).decode("utf-8", "replace") for chunks in (out, err)]
    return Outcome(proc.returncode, text[0], text[1], stop_s, _left_behind(proc.pid))


def _drain(stream: object, into: list[bytes], both: list[bytes]) -> None:
    for chunk in iter(lambda: stream.read1(4096), b""):  # type: ignore[attr-defined]
        into.append(chunk)
        both.append(chunk)


def _signal(case: Case, box: Sandbox, proc: subprocess.Popen[bytes], output: list[bytes], timeout_s: float) -> float:
    assert case.ready is not None
    deadline = time.monotonic() + timeout_s
    while not case.ready(box, b"".join(output).decode("utf-8", "replace"), proc.pid):
        assert proc.poll() is None, f"the command ended before the signal: {b''.join(output).decode()[-2000:]}"
        assert time.monotonic() < deadline, "the command never got to the point where the signal is sent"
        time.sleep(0.02)
    sent_at = time.monotonic()
    for number, signum in enumerate(case.signals):
        if number:
            time.sleep(0.2)  # a second press, a moment later
        if proc.poll() is None:
            (os.killpg if case.to_group else os.kill)(proc.pid, signum)
    proc.wait(timeout=30)
    return time.monotonic() - sent_at


def _left_behind(sid: int) -> tuple[str, ...]:
    """Live (not zombie) processes still in the command's session, allowing STOP_S for them to go."""
    deadline = time.monotonic() + STOP_S
    while True:
        left = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            fields = text.rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[3]) == sid:
                left.append(text.split(" (", 1)[1].split(")", 1)[0])
        if not left or time.monotonic() > deadline:
            return tuple(left)
        time.sleep(0.1)


# --- what every case must show ---------------------------------------------------------------------------


def judge(case: Case, box: Sandbox, before: Mapping[str, str], outcome: Outcome) -> None:
    """Assert everything the catalogue promises for this case."""
    shown = f"stdout:\n{outcome.stdout[-1500:]}\nstderr:\n{outcome.stderr[-3000:]}"
    assert outcome.exit_code == case.exit_code, shown
    assert "Traceback" not in outcome.stderr + outcome.stdout and "╭" not in outcome.stderr, shown
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error")]
    if case.kind is Kind.ERROR:
        assert len(errors) == 1 and lines[-1] == errors[0], shown  # one Error line, and it is the last word
        assert case.asked or "Interviewer:" not in outcome.stderr, shown  # checked before anything was asked
    else:
        assert errors == [], shown
    said = outcome.message if case.kind is Kind.ERROR else outcome.stdout + outcome.stderr
    for fragment in case.says:
        assert fragment in said, (fragment, shown)
    if case.kind is Kind.STOP:
        assert outcome.stop_s is not None and outcome.stop_s < STOP_S, (outcome.stop_s, shown)
    assert outcome.left == (), (outcome.left, shown)
    after = snapshot(box.rec) if box.rec.is_dir() else {}
    lost = sorted(set(before) - set(after))
    changed = [n for n in before if n in after and after[n] != before[n] and (n.endswith(".wav") or not case.changes_recordings)]
    assert lost == [] and changed == [], (lost, changed, shown)
    if not case.changes_recordings:
        assert after.keys() == before.keys(), (sorted(set(after) - set(before)), shown)
    assert temp_files(box.root) == [], (temp_files(box.root), shown)
    if case.check is not None:
        case.check(box, outcome)
    if case.rerun is not None:
        again = run(case, box, case.rerun(box))
        assert again.exit_code == 0 and "Traceback" not in again.stderr, again.stderr[-3000:]


def headline(case: Case, outcome: Outcome) -> str:
    """The line of the output that matters for this case: its Error line, or the line holding what it must say."""
    if case.kind is not Kind.ERROR and case.says:
        for line in (outcome.stdout + "\n" + outcome.stderr).splitlines():
            if case.says[0] in line:
                return line.strip()
    return outcome.message


def normalise(text: str, box: Sandbox) -> str:
    """A message with the sandbox's paths made generic, for the catalogue's table."""
    text = text.replace(str(box.root), "<tmp>")
    return re.sub(r"\d{8}-\d{6}-", "<date>-", text)
