"""The bad-input catalogue: every fault and bad input we know of, with the exit code and message it must give.

Judged by bad_inputs.judge (one Error line, no traceback, no recording lost or changed, no temporary file,
no process left behind). Areas: audio, bank, sessions, filesystem, signals, cli, environment.
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

from bad_inputs import SESSION_IDS, Case, Kind, Outcome, Sandbox, Step

from mockint import store

PRACTICE = ("mockint", "practice", "--question", "refused-to-ship", "--no-voice", "--probes", "0")
AUDIO_FIX = "Pass a WAV, FLAC or MP3 recording."


def _wav(channels: int, rate_hz: int, data: bytes = b"\0" * 3200) -> bytes:
    block = 2 * max(channels, 1)
    return struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + len(data), b"WAVE", b"fmt ", 16, 1, channels, rate_hz,
                       rate_hz * block, block, 16, b"data", len(data)) + data  # fmt: skip


def write(name: str, content: bytes | str) -> Step:
    def step(box: Sandbox) -> None:
        data = content.encode() if isinstance(content, str) else content
        box.path(name).parent.mkdir(parents=True, exist_ok=True)
        box.path(name).write_bytes(data)

    return step


def fifo(name: str) -> Step:
    return lambda box: os.mkfifo(box.path(name))


def folder(name: str) -> Step:
    return lambda box: box.path(name).mkdir(parents=True)


def asset(name: str) -> Step:
    return lambda box: box.asset(name)


def steps(*all_steps: Step) -> Step:
    def step(box: Sandbox) -> None:
        for one in all_steps:
            one(box)

    return step


def too_long(box: Sandbox) -> str:
    """A path of 5000 characters (the system allows 4096, 255 per name)."""
    return str(box.inputs / "/".join(["d" * 200] * 25) / "answer.wav")


def long_name(box: Sandbox) -> str:
    return str(box.inputs / ("a" * 300 + ".wav"))


def cmd(*args: str | Callable[[Sandbox], str]) -> Callable[[Sandbox], list[str]]:
    """argv with sandbox paths: a string starting with 'in/' is an input file, a callable is called."""
    def argv(box: Sandbox) -> list[str]:
        return [a(box) if callable(a) else str(box.path(a[3:])) if a.startswith("in/") else a for a in args]

    return argv


def new_sessions(box: Sandbox) -> list[Path]:
    return [p for p in box.rec.iterdir() if p.name not in SESSION_IDS] if box.rec.is_dir() else []


def one_new_session(check: Callable[[Path], bool]) -> Callable[[Sandbox, Outcome], None]:
    def judge(box: Sandbox, outcome: Outcome) -> None:
        (made,) = new_sessions(box)
        assert check(made), (made, outcome.stderr[-2000:])

    return judge


def unscored(folder: Path) -> bool:
    session = store.load(folder)
    return session.scores == () and (folder / "answer.wav").is_file()


def partial(folder: Path) -> bool:
    session = store.load(folder)
    return not session.is_complete and session.answer is not None and (folder / "answer.wav").is_file()


def transcribing(box: Sandbox, output: str, pid: int) -> bool:
    return "Transcribing:" in output


def loading_model(box: Sandbox, output: str, pid: int) -> bool:
    return "Loading the speech model" in output


def playing(box: Sandbox, output: str, pid: int) -> bool:
    """The command's own stream is running on the virtual speaker (observable in PulseAudio)."""
    from audio_helpers import stream_running

    return stream_running(pid, "sink-inputs")


def needs_virtual_audio() -> str | None:
    return None if os.environ.get("PULSE_SERVER") and shutil.which("pactl") else "the virtual audio devices are not started"


def _long_answer(box: Sandbox) -> None:
    """Session 0's answer is the long recording (so it plays for minutes)."""
    shutil.copyfile(box.assets / "long.wav", box.session(0) / "answer.wav")


def env(**values: str | None | Callable[[Sandbox], str]) -> Callable[[Sandbox], dict[str, str | None]]:
    return lambda box: {k: v(box) if callable(v) else v for k, v in values.items()}


def needs_unshare() -> str | None:
    """Mounting a small or read-only filesystem for one command needs a private mount namespace."""
    try:
        ok = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True).returncode == 0
    except OSError:
        ok = False
    return None if ok else "unshare cannot make a mount namespace here"


def mounted(options: str, argv: Callable[[Sandbox], list[str]]) -> Callable[[Sandbox], list[str]]:
    """Run argv with a tmpfs (`options`) over the recordings folder, in a mount namespace of its own; files
    left in that tmpfs are listed into in/left-on-tmpfs.txt before it goes."""
    script = ('mount -t tmpfs -o "$1" tmpfs "$2" && shift 3 && { "$@"; rc=$?; '
              'find "$0" -name "*.tmp" > "$0.left"; exit $rc; }')  # fmt: skip

    def wrapped(box: Sandbox) -> list[str]:
        import sys

        inner = argv(box)
        inner = [sys.executable, "-m", "mockint", *inner[1:]] if inner[:1] == ["mockint"] else inner
        return ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, str(box.rec), options,
                str(box.rec), "--", *inner]  # fmt: skip

    return wrapped


def nothing_left_on_tmpfs(box: Sandbox, outcome: Outcome) -> None:
    left = Path(f"{box.rec}.left")
    assert left.is_file() and left.read_text() == "", left.read_text() if left.is_file() else "no listing"
    left.unlink()


def _make_many_sessions(count: int) -> Step:
    def step(box: Sandbox) -> None:
        from sessiongen import make_session_folders

        from mockint import paths
        from mockint.bank import load_bank

        template = box.assets / f"sessions-{count}"
        if not template.is_dir():
            ids = tuple(q.id for q in load_bank(paths.bank_dir()))
            make_session_folders(template.with_suffix(".tmp-build"), count, ids)
            template.with_suffix(".tmp-build").rename(template)
        for child in template.iterdir():
            shutil.copytree(child, box.rec / child.name)
        for path in box.rec.glob("*/session.json"):
            os.utime(path, (1_000_000_000, 1_000_000_000))  # so a rescored one is seen at once

    return step


def rescoring(box: Sandbox, output: str, pid: int) -> bool:
    """The workers have saved a first re-scored session (observable: its session.json's time)."""
    first = sorted(box.rec.iterdir())[:40]
    return any((f / "session.json").stat().st_mtime > 1_000_000_001 for f in first)


def _cut_at(box: Sandbox, outcome: Outcome, cap_s: float) -> None:
    from mockint.audio import read_wav

    (made,) = new_sessions(box)
    assert read_wav(made / "answer.wav").duration_s == cap_s
    assert "Transcribing: 1:10 of 1:10" in outcome.stderr, outcome.stderr[-2000:]


def _two_with_one_id(box: Sandbox) -> None:
    from mockint import paths

    bank = box.path("bank")
    bank.mkdir()
    source = paths.bank_dir() / "refused-to-ship.toml"
    shutil.copyfile(source, bank / "a.toml")
    shutil.copyfile(source, bank / "b.toml")


def _schema(box: Sandbox, version: int) -> None:
    import json

    path = box.session(0) / "session.json"
    data = json.loads(path.read_text())
    data["schema_version"] = version
    path.write_text(json.dumps(data))


def _no_sessions(box: Sandbox) -> None:
    shutil.rmtree(box.rec)
    box.rec.mkdir()


def _cut_wav(box: Sandbox) -> None:
    wav = box.session(0) / "answer.wav"
    data = wav.read_bytes()
    wav.write_bytes(data[: len(data) // 2])


RESCORE_MANY = 600  # sessions: enough for the workers to be busy when the signal comes
RESCORE = ("mockint", "rescore", "--jobs", "2")


def rescore_signal(name: str, *signums: int, to_group: bool = True) -> Case:
    return Case("signals", name, lambda box: [*RESCORE, str(box.rec)], 128 + signums[0],
                ("Interrupted after", "Run the same command again"), Kind.STOP, steps(_no_sessions, _make_many_sessions(RESCORE_MANY)),
                signals=signums, ready=rescoring, to_group=to_group, rerun=lambda box: [*RESCORE, str(box.rec)],
                changes_recordings=True)  # fmt: skip


def practice_signal(name: str, *signums: int, rerun: bool = False) -> Case:
    return Case("signals", name, cmd(*PRACTICE, "--answer-file", "in/long.wav", "--max-answer-s", "80"), 128 + signums[0],
                ("Interrupted. The partial session is saved in", "mockint rescore --retranscribe"), Kind.STOP,
                asset("long.wav"), signals=signums, ready=transcribing, changes_recordings=True,
                check=one_new_session(partial),
                rerun=(lambda box: ["mockint", "rescore", "--retranscribe", str(new_sessions(box)[0])]) if rerun else None)  # fmt: skip


CASES: tuple[Case, ...] = (
    # --- audio: files that are not a usable recording, checked before anything is asked ---------------------
    Case("audio", "transcribe a missing file", cmd("mockint", "transcribe", "in/nope.wav"), 1, ("nope.wav", "does not exist", "Check the path")),
    Case("audio", "transcribe a 0-byte WAV", cmd("mockint", "transcribe", "in/empty.wav"), 1, ("empty.wav", "empty (0 bytes)", "pick another file"), setup=write("empty.wav", b"")),
    Case("audio", "transcribe a text file named .wav", cmd("mockint", "transcribe", "in/notes.wav"), 1, ("notes.wav", "not audio", AUDIO_FIX), setup=write("notes.wav", "these are my notes, not audio\n")),
    Case("audio", "transcribe a WAV cut to its first 30 bytes", cmd("mockint", "transcribe", "in/cut.wav"), 1, ("cut.wav", "no audio data", "damaged"), setup=write("cut.wav", _wav(1, 16000)[:30])),
    Case("audio", "transcribe a WAV whose header says 0 channels", cmd("mockint", "transcribe", "in/ch0.wav"), 1, ("ch0.wav", "damaged WAV (0 channels", "pick another file"), setup=write("ch0.wav", _wav(0, 16000))),
    Case("audio", "transcribe a WAV whose header says 0 Hz", cmd("mockint", "transcribe", "in/rate0.wav"), 1, ("rate0.wav", "damaged WAV", "0 Hz"), setup=write("rate0.wav", _wav(1, 0))),
    Case("audio", "transcribe a WAV header with no samples", cmd("mockint", "transcribe", "in/hdr.wav"), 1, ("hdr.wav", "contains no audio", "pick another file"), setup=write("hdr.wav", _wav(1, 16000, b""))),
    Case("audio", "transcribe a folder", cmd("mockint", "transcribe", "in/takes.wav"), 1, ("takes.wav", "is a folder, not a file", AUDIO_FIX), setup=folder("takes.wav")),
    Case("audio", "transcribe a named pipe (must not hang)", cmd("mockint", "transcribe", "in/pipe.wav"), 1, ("pipe.wav", "not a regular file", AUDIO_FIX), setup=fifo("pipe.wav")),
    Case("audio", "transcribe random bytes named .mp3", cmd("mockint", "transcribe", "in/noise.mp3"), 1, ("noise.mp3", "Cannot decode", AUDIO_FIX), setup=write("noise.mp3", bytes(range(256)) * 40)),
    Case("audio", "analyze a 0-byte WAV, before the model loads", cmd("mockint", "analyze", "in/empty.wav", "--question", "refused-to-ship"), 1, ("empty.wav", "empty (0 bytes)"), setup=write("empty.wav", b"")),
    Case("audio", "practice --answer-file of 0 bytes", cmd(*PRACTICE, "--answer-file", "in/empty.wav"), 1, ("empty.wav", "empty (0 bytes)", "Record the answer again"), setup=write("empty.wav", b"")),
    Case("audio", "practice --answer-file: a text file named .wav", cmd(*PRACTICE, "--answer-file", "in/notes.wav"), 1, ("notes.wav", "not audio", AUDIO_FIX), setup=write("notes.wav", "notes")),
    Case("audio", "practice --answer-file: a 30-byte WAV header", cmd(*PRACTICE, "--answer-file", "in/cut.wav"), 1, ("cut.wav", "no audio data"), setup=write("cut.wav", _wav(1, 16000)[:30])),
    Case("audio", "practice --answer-file: 0 channels", cmd(*PRACTICE, "--answer-file", "in/ch0.wav"), 1, ("ch0.wav", "damaged WAV"), setup=write("ch0.wav", _wav(0, 16000))),
    Case("audio", "practice --answer-file: 0 Hz", cmd(*PRACTICE, "--answer-file", "in/rate0.wav"), 1, ("rate0.wav", "damaged WAV"), setup=write("rate0.wav", _wav(1, 0))),
    Case("audio", "practice --answer-file: a folder", cmd(*PRACTICE, "--answer-file", "in/takes"), 1, ("takes", "is a folder, not a file", AUDIO_FIX), setup=folder("takes")),
    Case("audio", "practice --answer-file: a named pipe", cmd(*PRACTICE, "--answer-file", "in/pipe.wav"), 1, ("pipe.wav", "not a regular file"), setup=fifo("pipe.wav")),
    Case("audio", "practice: a missing --probe-file, before the question", cmd(*PRACTICE[:-1], "1", "--answer-file", "in/speech.wav", "--probe-file", "in/nope.wav"), 1, ("nope.wav", "does not exist"), setup=asset("speech.wav")),
    Case("audio", "practice: 30 s of silence is reported, kept, not scored", cmd(*PRACTICE, "--answer-file", "in/silence.wav"), 0, ("didn't hear an answer: 30 s of silence", "mockint doctor"), Kind.NOTE, asset("silence.wav"), changes_recordings=True, check=one_new_session(unscored)),
    Case("audio", "practice: an answer in German is reported, kept, not scored", cmd(*PRACTICE, "--answer-file", "in/german.wav"), 0, ("sounded like German", "Answer in English"), Kind.NOTE, asset("german.wav"), changes_recordings=True, check=one_new_session(unscored)),
    Case("audio", "practice: 10 s of noise is reported, kept, not scored", cmd(*PRACTICE, "--answer-file", "in/noise.wav"), 0, ("Check the microphone with 'mockint doctor'",), Kind.NOTE, asset("noise.wav"), changes_recordings=True, check=one_new_session(unscored)),
    Case("audio", "analyze 30 s of silence", cmd("mockint", "analyze", "in/silence.wav", "--question", "refused-to-ship"), 1, ("silence.wav", "30 s of silence", "mockint doctor"), setup=asset("silence.wav")),
    Case("audio", "analyze an answer in German", cmd("mockint", "analyze", "in/german.wav", "--question", "refused-to-ship"), 1, ("german.wav", "German", "Answer in English"), setup=asset("german.wav")),
    Case("audio", "practice: an answer longer than --max-answer-s is cut there, with progress", cmd(*PRACTICE, "--answer-file", "in/long.wav", "--max-answer-s", "70"), 0, ("only its first 1:10 is used",), Kind.NOTE, asset("long.wav"), changes_recordings=True, check=lambda box, out: _cut_at(box, out, 70.0)),
    Case("audio", "rescore --strict: a named pipe among the audio files", cmd("mockint", "rescore", "--strict", "--question", "refused-to-ship", "in/pipe.wav"), 1, ("pipe.wav", "not a regular file", "--strict"), setup=fifo("pipe.wav")),
    Case("audio", "rescore --strict: a 0-byte WAV", cmd("mockint", "rescore", "--strict", "--question", "refused-to-ship", "in/empty.wav"), 1, ("empty.wav", "empty (0 bytes)"), setup=write("empty.wav", b"")),
    # --- bank ---------------------------------------------------------------------------------------------
    Case("bank", "--bank names a missing folder", cmd("mockint", "questions", "--bank", "in/nobank"), 1, ("nobank", "not found", "pass --bank DIR")),
    Case("bank", "--bank names a file", cmd("mockint", "questions", "--bank", "in/q.toml"), 1, ("q.toml", "is not a folder", "pass --bank DIR"), setup=write("q.toml", "id = 'x'\n")),
    Case("bank", "--bank names an empty folder", cmd("mockint", "questions", "--bank", "in/bank"), 1, ("bank", "no question files", "add one"), setup=folder("bank")),
    Case("bank", "a question file that is not TOML", cmd("mockint", "questions", "--bank", "in/bank"), 1, ("q.toml", "line 1", "not valid TOML", "fix the syntax"), setup=write("bank/q.toml", "id = = 'x'\n")),
    Case("bank", "a question file nested 200,000 arrays deep", cmd("mockint", "questions", "--bank", "in/bank"), 1, ("q.toml", "nested too deeply", "fix the file"), setup=write("bank/q.toml", "id = " + "[" * 200_000 + "]" * 200_000 + "\n")),
    Case("bank", "a question file that is not UTF-8", cmd("mockint", "questions", "--bank", "in/bank"), 1, ("q.toml", "not UTF-8", "save the file as UTF-8"), setup=write("bank/q.toml", b"title = '\xff\xfe'\n")),
    Case("bank", "a question file without a title", cmd("mockint", "questions", "--bank", "in/bank"), 1, ("q.toml", "title"), setup=write("bank/q.toml", "id = 'my-question'\n")),
    Case("bank", "two question files with one id", cmd("mockint", "questions", "--bank", "in/bank"), 1, ("already used", "give each question its own id"), setup=lambda box: _two_with_one_id(box)),
    Case("bank", "practice --question not in the bank", cmd("mockint", "practice", "--question", "no-such-question", "--no-voice"), 1, ("no-such-question", "mockint questions")),
    Case("bank", "analyze --question not in the bank, before transcribing", cmd("mockint", "analyze", "in/speech.wav", "--question", "nope"), 1, ("nope", "mockint questions"), setup=asset("speech.wav")),
    Case("bank", "questions ID not in the bank", cmd("mockint", "questions", "nope"), 1, ("nope", "mockint questions")),
    Case("bank", "rescore --strict an audio file without --question", cmd("mockint", "rescore", "--strict", "in/speech.wav"), 1, ("speech.wav", "needs --question ID"), setup=asset("speech.wav")),
    # --- sessions ------------------------------------------------------------------------------------------
    Case("sessions", "replay an unknown session", cmd("mockint", "replay", "nope", "--no-audio"), 1, ("nope", "mockint sessions")),
    Case("sessions", "replay a prefix that matches two sessions", cmd("mockint", "replay", "20261101", "--no-audio"), 1, ("matches 2 sessions", "Type more of the id")),
    Case("sessions", "replay a session.json that is not JSON", cmd("mockint", "replay", SESSION_IDS[0], "--no-audio"), 1, ("session.json", "not valid JSON", "restore it"), setup=lambda box: (box.session(0) / "session.json").write_text("{not json")),
    Case("sessions", "replay an empty session.json", cmd("mockint", "replay", SESSION_IDS[0], "--no-audio"), 1, ("session.json", "is empty", "Delete the folder or re-record"), setup=lambda box: (box.session(0) / "session.json").write_text("")),
    Case("sessions", "replay a session.json nested 200,000 deep", cmd("mockint", "replay", SESSION_IDS[0], "--no-audio"), 1, ("session.json", "nested too deeply", "restore it"), setup=lambda box: (box.session(0) / "session.json").write_text("[" * 200_000 + "]" * 200_000)),
    Case("sessions", "replay a session saved by a newer mockint", cmd("mockint", "replay", SESSION_IDS[0], "--no-audio"), 1, ("session.json", "Upgrade mockint"), setup=lambda box: _schema(box, 99)),
    Case("sessions", "replay last with no sessions", cmd("mockint", "replay", "last", "--no-audio"), 1, ("No saved sessions", "mockint practice"), setup=lambda box: _no_sessions(box)),
    Case("sessions", "replay a session name of 5000 characters", lambda box: ["mockint", "replay", too_long(box), "--no-audio"], 1, ("too long", "Use a shorter path")),
    Case("sessions", "report an unknown session", cmd("mockint", "report", "nope", "--no-voice"), 1, ("nope", "mockint sessions")),
    Case("sessions", "rescore --strict a folder without session.json", cmd("mockint", "rescore", "--strict", "in/old"), 1, ("old", "not a saved session", "--strict"), setup=folder("old")),
    Case("sessions", "rescore --strict a session whose WAV was cut short", lambda box: ["mockint", "rescore", "--strict", str(box.session(0))], 1, ("answer.wav", "truncated", "Restore it from a backup"), setup=lambda box: _cut_wav(box)),
    Case("sessions", "rescore --strict a session whose WAV is missing", lambda box: ["mockint", "rescore", "--strict", str(box.session(1))], 1, ("probe-1.wav", "Missing audio file", "Restore it"), setup=lambda box: (box.session(1) / "probe-1.wav").rename(box.inputs / "moved.wav")),
    # --- filesystem ----------------------------------------------------------------------------------------
    Case("filesystem", "practice: the recordings folder is a file", cmd(*PRACTICE, "--answer-file", "in/speech.wav"), 1, ("rec-file", "is a file, not a folder", "MOCKINT_RECORDINGS"), setup=steps(asset("speech.wav"), write("rec-file", "x")), env=env(MOCKINT_RECORDINGS=lambda box: str(box.path("rec-file")))),
    Case("filesystem", "practice: the recordings folder is inside a file", cmd(*PRACTICE, "--answer-file", "in/speech.wav"), 1, ("rec-file/rec", "Not a directory", "MOCKINT_RECORDINGS"), setup=steps(asset("speech.wav"), write("rec-file", "x")), env=env(MOCKINT_RECORDINGS=lambda box: str(box.path("rec-file") / "rec"))),
    Case("filesystem", "practice: the recordings folder is on a read-only disk", mounted("ro,size=1m", cmd(*PRACTICE, "--answer-file", "in/speech.wav")), 1, ("Recordings folder", "Read-only file system", "MOCKINT_RECORDINGS"), setup=asset("speech.wav"), check=nothing_left_on_tmpfs, needs=needs_unshare),
    Case("filesystem", "practice: the disk fills up while the answer is saved", mounted("size=256k", cmd(*PRACTICE, "--answer-file", "in/speech.wav")), 1, ("No space left on device", "Free some disk space", "Nothing was recorded"), setup=asset("speech.wav"), check=nothing_left_on_tmpfs, needs=needs_unshare, asked=True),
    Case("filesystem", "analyze --markdown into a missing folder, before transcribing", cmd("mockint", "analyze", "in/speech.wav", "--question", "refused-to-ship", "--markdown", "in/none/d.md"), 1, ("none/d.md", "does not exist", "pass another path"), setup=asset("speech.wav")),
    Case("filesystem", "analyze --markdown names a folder", cmd("mockint", "analyze", "in/speech.wav", "--question", "refused-to-ship", "--markdown", "in"), 1, ("is a folder", "Pass a file name"), setup=asset("speech.wav")),
    Case("filesystem", "rescore --json into a missing folder: nothing is scored", lambda box: ["mockint", "rescore", str(box.rec), "--json", "/missing/dir/x.json"], 1, ("JSON report (--json)", "/missing/dir/x.json", "does not exist", "pass another path")),
    Case("filesystem", "rescore --csv names a folder: nothing is scored", lambda box: ["mockint", "rescore", str(box.rec), "--csv", str(box.inputs)], 1, ("CSV report", "is a folder", "Pass a file name")),
    Case("filesystem", "rescore --into names a file", cmd("mockint", "rescore", "--question", "refused-to-ship", "in/speech.wav", "--into", "in/into-file"), 1, ("into-file", "is a file, not a folder", "--into"), setup=steps(asset("speech.wav"), write("into-file", "x"))),
    Case("filesystem", "report --out names a folder", cmd("mockint", "report", "last", "--no-voice", "--out", "in"), 1, ("Is a directory", "--out")),
    Case("filesystem", "transcribe a file name of 300 characters", lambda box: ["mockint", "transcribe", long_name(box)], 1, ("too long", "Use a shorter path")),
    Case("filesystem", "transcribe a path of 5000 characters", lambda box: ["mockint", "transcribe", too_long(box)], 1, ("too long", "Use a shorter path")),
    Case("filesystem", "analyze a path of 5000 characters", lambda box: ["mockint", "analyze", too_long(box), "--question", "refused-to-ship"], 1, ("too long", "Use a shorter path")),
    Case("filesystem", "practice --answer-file of 5000 characters", lambda box: [*PRACTICE, "--answer-file", too_long(box)], 1, ("too long", "Use a shorter path")),
    Case("filesystem", "questions --bank of 5000 characters", lambda box: ["mockint", "questions", "--bank", too_long(box)], 1, ("cannot be used", "File name too long", "pass --bank DIR")),
    Case("filesystem", "rescore a path of 5000 characters", lambda box: ["mockint", "rescore", too_long(box)], 1, ("too long", "Use a shorter path")),
    Case("filesystem", "--model of 5000 characters", lambda box: ["mockint", "transcribe", str(box.rec / SESSION_IDS[0] / "answer.wav"), "--model", too_long(box)], 1, ("File name too long", "Omit --model")),
    Case("filesystem", "--model names a folder without model.bin", cmd("mockint", "transcribe", "in/speech.wav", "--model", "in/models"), 1, ("models", "has no model.bin", "omit --model"), setup=steps(asset("speech.wav"), folder("models"))),
    # --- signals: a clean stop within 5 s, work so far kept, nothing left running, a rerun finishes -------------
    practice_signal("practice: Ctrl-C while the answer is transcribed", signal.SIGINT, rerun=True),
    practice_signal("practice: Ctrl-C twice while the answer is transcribed", signal.SIGINT, signal.SIGINT),
    practice_signal("practice: SIGTERM while the answer is transcribed", signal.SIGTERM),
    practice_signal("practice: SIGHUP while the answer is transcribed", signal.SIGHUP),
    Case("signals", "practice: Ctrl-C while the model loads: nothing saved", cmd(*PRACTICE, "--answer-file", "in/speech.wav"), 130, ("Stopped (Ctrl-C)",), Kind.STOP, asset("speech.wav"), signals=(signal.SIGINT,), ready=loading_model),
    Case("signals", "analyze: Ctrl-C while transcribing", cmd("mockint", "analyze", "in/long.wav", "--question", "refused-to-ship"), 130, ("Stopped (Ctrl-C)",), Kind.STOP, asset("long.wav"), signals=(signal.SIGINT,), ready=transcribing),
    Case("signals", "transcribe: SIGTERM while transcribing", cmd("mockint", "transcribe", "in/long.wav"), 143, ("Stopped (SIGTERM)",), Kind.STOP, asset("long.wav"), signals=(signal.SIGTERM,), ready=transcribing),
    Case("signals", "replay: SIGTERM while the answer plays", cmd("mockint", "replay", SESSION_IDS[0], "--no-voice"), 143, ("Stopped (SIGTERM)",), Kind.STOP, _long_answer, signals=(signal.SIGTERM,), ready=playing, needs=needs_virtual_audio),
    Case("signals", "replay: Ctrl-C while the answer plays", cmd("mockint", "replay", SESSION_IDS[0], "--no-voice"), 130, ("Stopped (Ctrl-C)",), Kind.STOP, _long_answer, signals=(signal.SIGINT,), ready=playing, needs=needs_virtual_audio),
    rescore_signal("rescore --jobs 2: Ctrl-C (to the process group)", signal.SIGINT),
    rescore_signal("rescore --jobs 2: Ctrl-C twice", signal.SIGINT, signal.SIGINT),
    rescore_signal("rescore --jobs 2: SIGTERM to the main process only", signal.SIGTERM, to_group=False),
    rescore_signal("rescore --jobs 2: SIGHUP (terminal closed)", signal.SIGHUP),
    # --- cli: usage errors are one Error line and exit 2 ----------------------------------------------------
    Case("cli", "an unknown command", cmd("mockint", "pratice"), 2, ("No such command", "See 'mockint --help'")),
    Case("cli", "an unknown option", cmd("mockint", "practice", "--bogus"), 2, ("--bogus", "See 'mockint practice --help'")),
    Case("cli", "--level that does not exist", cmd("mockint", "practice", "--level", "principal"), 2, ("--level", "use sde1, sde2 or senior")),
    Case("cli", "--probes below 0", cmd("mockint", "practice", "--probes", "-1"), 2, ("--probes", "See 'mockint practice --help'")),
    Case("cli", "--max-answer-s below 5 s", cmd("mockint", "practice", "--max-answer-s", "1"), 2, ("--max-answer-s", "See 'mockint practice --help'")),
    Case("cli", "--lp the question has no angle for", cmd("mockint", "practice", "--question", "disagree-and-commit", "--lp", "Frugality Forever"), 2, ("--lp", "has no angle", "it has:")),
    Case("cli", "--probe-file without --answer-file", cmd("mockint", "practice", "--probe-file", "in/x.wav"), 2, ("--probe-file", "add --answer-file FILE")),
    Case("cli", "rescore without a PATH", cmd("mockint", "rescore"), 2, ("Missing argument 'PATH'", "See 'mockint rescore --help'")),
    Case("cli", "rescore --jobs 0", cmd("mockint", "rescore", "--jobs", "0", "in"), 2, ("--jobs", "See 'mockint rescore --help'")),
    Case("cli", "replay --section that is not a STAR section", cmd("mockint", "replay", "last", "--section", "intro"), 2, ("--section", "use one of situation")),
    Case("cli", "report --index with session names", cmd("mockint", "report", "--index", "last"), 2, ("--index", "drop the SESSION names")),
    Case("cli", "sessions --since that is not a date", cmd("mockint", "sessions", "--since", "yesterday"), 2, ("--since", "use YYYY-MM-DD")),
    Case("cli", "practice --input-device that does not exist", cmd("mockint", "practice", "--no-voice", "--input-device", "no-such-microphone"), 1, ("no-such-microphone", "--answer-file", "mockint doctor")),
    # --- environment ----------------------------------------------------------------------------------------
    Case("environment", "PYTHONIOENCODING=ascii: the question bank", cmd("mockint", "questions", "refused-to-ship"), 0, ("Refused to Ship",), Kind.NOTE, env=env(PYTHONIOENCODING="ascii")),
    Case("environment", "PYTHONIOENCODING=ascii: a practice session", cmd(*PRACTICE, "--answer-file", "in/speech.wav"), 0, ("Session saved in",), Kind.NOTE, asset("speech.wav"), env=env(PYTHONIOENCODING="ascii"), changes_recordings=True),
    Case("environment", "LC_ALL=C and TERM=dumb: sessions", cmd("mockint", "sessions"), 0, ("2 sessions",), Kind.NOTE, env=env(LC_ALL="C", LANG="C", TERM="dumb", PYTHONIOENCODING="")),
    Case("environment", "MOCKINT_RECORDINGS is a file: sessions", cmd("mockint", "sessions"), 1, ("rec-file", "is a file, not a folder", "MOCKINT_RECORDINGS"), setup=write("rec-file", "x"), env=env(MOCKINT_RECORDINGS=lambda box: str(box.path("rec-file")))),
    Case("environment", "MOCKINT_RECORDINGS of 5000 characters: practice", cmd(*PRACTICE, "--answer-file", "in/speech.wav"), 1, ("recordings folder", "File name too long", "MOCKINT_RECORDINGS"), setup=asset("speech.wav"), env=env(MOCKINT_RECORDINGS=too_long)),
    Case("environment", "MOCKINT_BANK names a missing folder", cmd("mockint", "questions"), 1, ("nobank", "not found", "MOCKINT_BANK"), env=env(MOCKINT_BANK=lambda box: str(box.path("nobank")))),
    Case("environment", "MOCKINT_MODEL_CACHE is a file", cmd("mockint", "transcribe", "in/speech.wav"), 1, ("cache-file", "MOCKINT_MODEL_CACHE"), setup=steps(asset("speech.wav"), write("cache-file", "x")), env=env(MOCKINT_MODEL_CACHE=lambda box: str(box.path("cache-file")))),
    Case("environment", "HOME unset: the question bank", cmd("mockint", "questions"), 0, ("Questions",), Kind.NOTE, env=env(HOME=None)),
    Case("environment", "stdout closed early (mockint questions ID | head -0)", cmd("mockint", "questions", "refused-to-ship"), 1, (), Kind.NOTE, closes_stdout=True),
)
