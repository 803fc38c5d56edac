from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sessiongen import WEAK, make_session

from mockint import session as session_mod
from mockint.bank import Level
from mockint.errors import SessionError
from mockint.scoring import score_session, transcript_digest
from mockint.session import SCHEMA_VERSION, ScoreRecord, Session, Turn, TurnKind, from_dict, to_dict
from mockint.store import load, new_session_id, save
from mockint.transcript import Transcript, Word

NOW = datetime(2026, 11, 25, 17, 30, 12, tzinfo=UTC)


def _scored(s: Session) -> Session:
    record = ScoreRecord(
        scored_at=NOW.isoformat(),
        rubric_version="1",
        model="base",
        overall=71,
        verdict="Lean Hire",
        scorecard=None,
        probe_judgements=(),
        raw_scorecard={"overall": 71, "checks": [{"id": "we", "ok": False}]},
        raw_judgements=({"strength": "strong"},),
        transcript_digest=transcript_digest(s.turns),
    )
    return replace(s, scores=(record,))


def test_new_session_id_is_sortable_slug_and_avoids_taken_ids() -> None:
    sid = new_session_id(NOW, "Disagree & Commit!")
    assert sid == "20261125-173012-disagree-commit"
    assert new_session_id(NOW, "Disagree & Commit!", {sid}) == sid + "-2"
    assert new_session_id(NOW, "x", {"20261125-173012-x", "20261125-173012-x-2"}) == "20261125-173012-x-3"


def test_to_dict_from_dict_round_trips_every_field() -> None:
    s = _scored(make_session("ownership-webhook", now=NOW, level=Level.SENIOR))
    again = from_dict(json.loads(json.dumps(to_dict(s))), "test")
    assert again == s
    assert again.answer is not None and again.answer.kind is TurnKind.ANSWER
    assert len(again.probe_turns) == 1 and again.probe_turns[0].probe_index == 0
    assert again.latest_score is not None and again.latest_score.overall == 71


def test_save_then_load_round_trips_and_leaves_no_temp_file(tmp_path: Path) -> None:
    s = _scored(make_session("q", now=NOW, text=WEAK))
    save(s, tmp_path / s.id)
    assert load(tmp_path / s.id) == s
    assert sorted(p.name for p in (tmp_path / s.id).iterdir()) == ["session.json"]
    assert json.loads((tmp_path / s.id / "session.json").read_text())["schema_version"] == SCHEMA_VERSION


def test_save_is_atomic_when_writing_fails_midway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "s"
    old = make_session("q", now=NOW)
    save(old, folder)
    before = (folder / "session.json").read_bytes()

    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    # os.fsync is the standard library, not our code: simulate the disk filling up during the write.
    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(SessionError, match="No space left on device"):  # one line for the user, not a traceback
        save(_scored(old), folder)
    assert (folder / "session.json").read_bytes() == before
    assert not (folder / "session.json.tmp").exists()
    assert load(folder) == old


def test_load_missing_folder_or_file_is_a_one_line_session_error(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match="No session.json") as e:
        load(tmp_path / "nope")
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "is empty"),
        (b'{"schema_version": 1, "id": "x"', "not valid JSON"),
        (b"\xff\xfe garbage", "not valid JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"schema_version": 1, "id": "x"}', "missing field"),
        (b'{"schema_version": "one"}', "not a version number"),
    ],
)
def test_load_corrupt_file_is_a_one_line_session_error(tmp_path: Path, content: bytes, match: str) -> None:
    (tmp_path / "session.json").write_bytes(content)
    with pytest.raises(SessionError, match=match) as e:
        load(tmp_path)
    assert "\n" not in str(e.value)
    assert str(tmp_path / "session.json") in str(e.value)


def test_invalid_values_inside_valid_json_are_session_errors() -> None:
    d = to_dict(make_session("q", now=NOW))
    bad_level = {**d, "level": "principal"}
    with pytest.raises(SessionError, match="invalid content"):
        from_dict(bad_level, "test")
    bad_turn = json.loads(json.dumps(d))
    bad_turn["turns"][0]["transcript"]["words"][0]["start_s"] = "soon"
    with pytest.raises(SessionError, match="invalid content"):
        from_dict(bad_turn, "test")


def test_audio_file_must_be_a_plain_name_inside_the_folder() -> None:
    d = json.loads(json.dumps(to_dict(make_session("q", now=NOW))))
    d["turns"][0]["audio_file"] = "../../etc/passwd"
    with pytest.raises(SessionError, match="plain file name"):
        from_dict(d, "test")


def test_future_schema_version_is_refused_with_upgrade_advice(tmp_path: Path) -> None:
    d = to_dict(make_session("q", now=NOW))
    d["schema_version"] = SCHEMA_VERSION + 1
    (tmp_path / "session.json").write_text(json.dumps(d))
    with pytest.raises(SessionError, match=f"format version {SCHEMA_VERSION + 1}, newer.*Upgrade mockint") as e:
        load(tmp_path)
    assert "\n" not in str(e.value)


def test_v0_session_is_upgraded_through_the_named_step(data_dir: Path, tmp_path: Path) -> None:
    assert session_mod._UPGRADES[0].__name__ == "_v0_to_v1"
    s = load(data_dir / "sessions" / "v0-20250301-101500")
    assert s.id == "20250301-101500-ownership-webhook"
    assert s.question_id == "ownership-webhook"
    assert s.level is Level.SENIOR
    assert s.model == "unknown"
    assert s.answer is not None
    assert s.answer.audio_file == "answer.wav"
    assert s.answer.transcript.text.startswith("No ticket existed, so I took it on.")
    assert s.answer.transcript.words[3].start_s == 1.5
    assert s.answer.transcript.duration_s == 9.4
    assert s.probe_turns == ()
    assert s.latest_score is not None
    assert (s.latest_score.overall, s.latest_score.verdict, s.latest_score.rubric_version) == (62, "Lean Hire", "0.1")
    # Loading never rewrites the old file; saving writes the current version.
    copy = tmp_path / "copy"
    shutil.copytree(data_dir / "sessions" / "v0-20250301-101500", copy)
    save(s, copy)
    assert json.loads((copy / "session.json").read_text())["schema_version"] == SCHEMA_VERSION
    assert load(copy) == s


def test_v0_with_text_only_spreads_words_over_the_recording() -> None:
    data = {"id": "a", "question": "q", "created": "2025-01-01T00:00:00+00:00", "transcript": "one two three four", "duration": 8.0}
    s = from_dict(data, "test")
    assert s.answer is not None
    assert [w.start_s for w in s.answer.transcript.words] == [0.0, 2.0, 4.0, 6.0]
    assert s.level is Level.SDE2 and s.scores == ()


def test_transcript_digest_changes_when_any_word_changes() -> None:
    a = make_session("q", now=NOW)
    b = make_session("q", now=NOW, text=WEAK)
    assert transcript_digest(a.turns) == transcript_digest(make_session("q", now=NOW).turns)
    assert transcript_digest(a.turns) != transcript_digest(b.turns)


_words = st.lists(
    st.builds(
        Word,
        text=st.text(min_size=1, max_size=12),
        start_s=st.floats(0, 600, allow_nan=False),
        end_s=st.floats(0, 600, allow_nan=False),
        probability=st.floats(0, 1),
    ),
    max_size=20,
)


@given(answer=_words, probe=_words, level=st.sampled_from(Level), lp=st.none() | st.text(max_size=20))
def test_a_saved_session_loads_back_stable_and_keeps_its_transcript_digest(
    answer: list[Word], probe: list[Word], level: Level, lp: str | None
) -> None:
    turns = (
        Turn(TurnKind.ANSWER, "Q?", "answer.wav", Transcript(tuple(answer), 600.0)),
        Turn(TurnKind.PROBE, "P?", None, Transcript(tuple(probe), 12.3456), 0),
    )
    s = Session("id", NOW.isoformat(), "q", level, lp, "base", turns, ())
    once = from_dict(json.loads(json.dumps(to_dict(s))), "test")
    twice = from_dict(json.loads(json.dumps(to_dict(once))), "test")
    assert twice == once
    # Fresh ASR times carry more digits than the file keeps: the digest must not see the difference,
    # or a second rescore would score again what it has already scored.
    assert transcript_digest(s.turns) == transcript_digest(once.turns)


def test_score_session_appends_once_per_rubric_model_and_transcript() -> None:
    from mockint.bank import load_bank
    from mockint.paths import bank_dir
    from mockint.rubric import RUBRIC_VERSION

    question = load_bank(bank_dir())[0]
    s = make_session(question.id, now=NOW)
    scored = score_session(s, question, now=NOW)
    record = scored.latest_score
    assert record is not None and len(scored.scores) == 1
    assert (record.rubric_version, record.model) == (RUBRIC_VERSION, "base")
    assert record.scorecard is not None and record.scorecard.overall == record.overall and len(record.probe_judgements) == 1
    assert score_session(scored, question, now=NOW) is scored  # nothing new: the same object comes back
    other_model = score_session(scored, question, model="small.en", now=NOW)
    assert [r.model for r in other_model.scores] == ["base", "small.en"]
    changed = replace(scored, turns=(make_session(question.id, now=NOW, text=WEAK).turns[0], *scored.turns[1:]))
    assert len(score_session(changed, question, now=NOW).scores) == 2

    with pytest.raises(SessionError, match="no recorded answer"):
        score_session(replace(s, turns=s.turns[1:]), question, now=NOW)
    bad_probe = replace(s, turns=(s.turns[0], replace(s.turns[1], probe_index=len(question.probes))))
    with pytest.raises(SessionError, match="Was the question file changed"):
        score_session(bad_probe, question, now=NOW)
