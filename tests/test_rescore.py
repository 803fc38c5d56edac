from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import soundfile
from fakes import FakeTranscriber
from sessiongen import STRONG, make_session_folders, timed_transcript, write_silence_wav

from mockint import paths
from mockint.audio import check_wav, read_wav
from mockint.bank import Level, Question, load_bank
from mockint.errors import MockintError
from mockint.rescore import EXIT_SKIPPED, ItemStatus, OneAtATime, RescoreOptions, StrictStop, run
from mockint.rescore_items import Item, ItemKind, discover
from mockint.session import SCHEMA_VERSION
from mockint.store import load

NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def questions() -> dict[str, Question]:
    return {q.id: q for q in load_bank(paths.bank_dir())}


def _hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def _break_ten(folders: list[Path]) -> dict[str, str]:
    """Damage ten sessions, each differently; returns folder name -> a word its reason must contain."""
    f = folders
    expected: dict[str, str] = {}

    def wav(folder: Path) -> Path:
        return folder / "answer.wav"

    wav(f[3]).write_bytes(wav(f[3]).read_bytes()[:-600])  # cut short after it was written
    expected[f[3].name] = "truncated"
    wav(f[17]).write_bytes(wav(f[17]).read_bytes()[:20])  # cut inside the header
    expected[f[17].name] = "truncated"
    wav(f[29]).write_bytes(b"")
    expected[f[29].name] = "empty"
    wav(f[41]).write_bytes(wav(f[41]).read_bytes()[:44])  # a header and no samples
    expected[f[41].name] = "no audio"
    (f[58] / "session.json").write_text('{"schema_version": 1, "id": ')
    expected[f[58].name] = "not valid JSON"
    data = json.loads((f[73] / "session.json").read_text())
    data["schema_version"] = SCHEMA_VERSION + 1
    (f[73] / "session.json").write_text(json.dumps(data))
    expected[f[73].name] = "newer than this mockint"
    (f[88] / "probe-1.wav").unlink()
    expected[f[88].name] = "Missing audio file"
    (f[101] / "session.json").unlink()
    expected[f[101].name] = "No session.json"
    data = json.loads((f[120] / "session.json").read_text())
    data["question_id"] = "tell-me-about-yourself"
    (f[120] / "session.json").write_text(json.dumps(data))
    expected[f[120].name] = "unknown question 'tell-me-about-yourself'"
    data = json.loads((f[150] / "session.json").read_text())
    data["level"] = "principal"
    (f[150] / "session.json").write_text(json.dumps(data))
    expected[f[150].name] = "invalid content"
    return expected


def test_rescore_200_sessions_with_10_broken_reports_all_10_and_rescores_190(
    tmp_path: Path, questions: dict[str, Question]
) -> None:
    root = tmp_path / "recordings"
    folders = make_session_folders(root, 200, tuple(questions))
    expected = _break_ten(folders)
    before = _hashes(root)
    old = {p.name: json.loads((p / "session.json").read_text()) for p in folders if p.name not in expected}

    summary = run(discover([root]), questions, RescoreOptions(), now=NOW)

    assert len(summary.results) == 200
    skipped = {r.path.name: r.reason or "" for r in summary.skipped}
    assert set(skipped) == set(expected)
    for name, word in expected.items():
        assert word in skipped[name], (name, skipped[name])
        assert "\n" not in skipped[name]
    assert summary.count(ItemStatus.RESCORED) == 190
    assert summary.exit_code == EXIT_SKIPPED == 3

    after = _hashes(root)
    assert after.keys() == before.keys()  # no file added or removed (no temp files left)
    changed = {k for k in before if before[k] != after[k]}
    # Only the re-scored sessions' session.json changed: every WAV and every broken item is byte-identical.
    assert changed == {f"{name}/session.json" for name in old}
    for name, data in old.items():
        new = json.loads((root / name / "session.json").read_text())
        assert new["scores"][:-1] == data["scores"]  # history kept, the new score appended
        assert {k: v for k, v in new.items() if k != "scores"} == {k: v for k, v in data.items() if k != "scores"}
        assert new["scores"][-1]["rubric_version"] != data["scores"][-1]["rubric_version"]
    rescored = next(r for r in summary.results if r.status is ItemStatus.RESCORED)
    assert rescored.previous is not None and rescored.overall is not None and rescored.verdict

    again = run(discover([root]), questions, RescoreOptions(), now=LATER)
    assert again.count(ItemStatus.UNCHANGED) == 190 and len(again.skipped) == 10
    assert _hashes(root) == after  # the second run is a no-op


def test_rescore_with_two_worker_processes_gives_the_same_results(tmp_path: Path, questions: dict[str, Question]) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    make_session_folders(one, 40, tuple(questions))
    shutil.copytree(one, two)
    serial = run(discover([one]), questions, RescoreOptions(jobs=1), now=NOW)
    parallel = run(discover([two]), questions, RescoreOptions(jobs=2), now=NOW, bank_folder=paths.bank_dir())
    assert [(r.path.name, r.status, r.overall) for r in serial.results] == [
        (r.path.name, r.status, r.overall) for r in parallel.results
    ]
    assert _hashes(one) == _hashes(two)


def test_strict_stops_at_the_first_bad_item(tmp_path: Path, questions: dict[str, Question]) -> None:
    folders = make_session_folders(tmp_path / "r", 6, tuple(questions))
    (folders[2] / "session.json").write_text("{")
    seen: list[ItemStatus] = []
    with pytest.raises(StrictStop, match="not valid JSON.*--strict"):
        run(discover([tmp_path / "r"]), questions, RescoreOptions(strict=True), now=NOW, on_result=lambda r: seen.append(r.status))
    assert seen == [ItemStatus.RESCORED, ItemStatus.RESCORED, ItemStatus.SKIPPED]
    assert issubclass(StrictStop, MockintError)


def test_discover_takes_session_folders_session_files_audio_files_and_folders_of_them(tmp_path: Path) -> None:
    (tmp_path / "s1").mkdir()
    (tmp_path / "s1" / "session.json").write_text("{}")
    (tmp_path / "answers").mkdir()
    for name in ("b.flac", "a.WAV", "notes.txt"):
        (tmp_path / "answers" / name).write_bytes(b"x")
    items = discover([tmp_path / "s1", tmp_path / "s1" / "session.json", tmp_path / "answers", tmp_path / "x.mp3"])
    assert items == (
        Item(tmp_path / "s1", ItemKind.SESSION),
        Item(tmp_path / "answers" / "a.WAV", ItemKind.AUDIO),
        Item(tmp_path / "answers" / "b.flac", ItemKind.AUDIO),
        Item(tmp_path / "x.mp3", ItemKind.AUDIO),
    )


def test_check_wav_accepts_a_header_left_stale_by_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    write_silence_wav(path, 0.1)
    raw = bytearray(path.read_bytes())
    raw[40:44] = b"\x00\x00\x00\x00"  # WavAppender died before rewriting the sizes
    path.write_bytes(bytes(raw))
    check_wav(path)
    assert read_wav(path).duration_s == pytest.approx(0.1)


def _fake_asr(*texts: str) -> OneAtATime:
    fake = FakeTranscriber()
    for text in texts:
        fake.enqueue(timed_transcript(text))
    return OneAtATime(fake, "fake-model")


def test_audio_files_become_new_scored_sessions_and_are_never_modified(tmp_path: Path, questions: dict[str, Question]) -> None:
    src = tmp_path / "elsewhere"
    src.mkdir()
    write_silence_wav(src / "plain.wav", 0.5)
    soundfile.write(src / "stereo.flac", [[0.01, -0.01]] * 22_050, 44_100)
    (src / "broken.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVE")
    (src / "empty.mp3").write_bytes(b"")
    before = _hashes(src)
    into = tmp_path / "recordings"
    qid = next(iter(questions))
    asr = _fake_asr(STRONG, STRONG)
    options = RescoreOptions(question_id=qid, level=Level.SENIOR, into=into)

    summary = run(discover([src]), questions, options, now=NOW, transcriber_factory=lambda: asr)

    by_name = {r.path.name: r for r in summary.results}
    assert by_name["plain.wav"].status is ItemStatus.IMPORTED and by_name["stereo.flac"].status is ItemStatus.IMPORTED
    assert by_name["broken.wav"].status is ItemStatus.SKIPPED and "truncated" in (by_name["broken.wav"].reason or "")
    assert by_name["empty.mp3"].status is ItemStatus.SKIPPED
    assert _hashes(src) == before
    plain = by_name["plain.wav"]
    assert plain.session_id is not None and plain.overall is not None
    session = load(into / plain.session_id)
    assert (session.question_id, session.level, session.model) == (qid, Level.SENIOR, "fake-model")
    assert session.answer is not None and session.answer.transcript.text == timed_transcript(STRONG).text
    assert (into / plain.session_id / "answer.wav").read_bytes() == (src / "plain.wav").read_bytes()  # copied as is
    flac_session = into / str(by_name["stereo.flac"].session_id)
    assert read_wav(flac_session / "answer.wav").sample_rate_hz == 16_000  # converted
    assert sorted(p.name for p in into.iterdir()) == sorted([plain.session_id, flac_session.name])

    # Importing the same files again finds the sessions made the first time: nothing is transcribed or written.
    snapshot = _hashes(into)
    again = run(discover([src]), questions, options, now=LATER, transcriber_factory=lambda: asr)
    assert [r.status for r in again.results if r.path.name in {"plain.wav", "stereo.flac"}] == [ItemStatus.UNCHANGED] * 2
    assert _hashes(into) == snapshot and len(asr._transcriber.calls) == 2


def test_audio_files_without_a_known_question_are_skipped_with_the_reason(tmp_path: Path, questions: dict[str, Question]) -> None:
    write_silence_wav(tmp_path / "a.wav", 0.2)
    for qid, reason in ((None, "needs --question"), ("nope", "unknown question 'nope'")):
        summary = run(
            discover([tmp_path / "a.wav"]), questions, RescoreOptions(question_id=qid, into=tmp_path / "r"),
            now=NOW, transcriber_factory=lambda: _fake_asr(),
        )
        assert reason in (summary.skipped[0].reason or "")


def test_retranscribe_replaces_transcripts_keeps_scores_and_always_hears_again(
    tmp_path: Path, questions: dict[str, Question]
) -> None:
    folders = make_session_folders(tmp_path / "r", 2, tuple(questions))
    wavs_before = {p: p.read_bytes() for f in folders for p in f.glob("*.wav")}
    asr = _fake_asr(*[STRONG, "I measured it."] * 4)
    summary = run(discover([tmp_path / "r"]), questions, RescoreOptions(retranscribe=True), now=NOW, transcriber_factory=lambda: asr)
    assert [r.status for r in summary.results] == [ItemStatus.RESCORED, ItemStatus.RESCORED]
    s = load(folders[0])
    assert s.model == "fake-model" and len(s.scores) == 2
    assert s.scores[-1].model == "fake-model" and s.scores[0].model == "base"
    assert s.probe_turns[0].transcript.text == "I measured it."
    again = run(
        discover([tmp_path / "r"]), questions, RescoreOptions(retranscribe=True), now=LATER,
        transcriber_factory=lambda: asr, model_name="fake-model",
    )
    # Heard again by the same model (it may read the whole recording differently); the same words change nothing.
    assert [r.status for r in again.results] == [ItemStatus.UNCHANGED, ItemStatus.UNCHANGED]
    assert len(asr._transcriber.calls) == 8 and len(load(folders[0]).scores) == 2
    assert {p: p.read_bytes() for f in folders for p in f.glob("*.wav")} == wavs_before
