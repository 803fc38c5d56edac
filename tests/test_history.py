from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sessiongen import MIDDLING, STRONG, WEAK, make_session

from mockint import history
from mockint.bank import Level
from mockint.errors import SessionError
from mockint.session import ScoreRecord, Session
from mockint.star import Section
from mockint.store import find, save, scan

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _with_score(s: Session, overall: int, verdict: str = "Lean Hire") -> Session:
    record = ScoreRecord(T0.isoformat(), "1", "base", overall, verdict, None, (), raw_scorecard={}, raw_judgements=())
    return replace(s, scores=(*s.scores, record))


def _attempts() -> list[Session]:
    """Three attempts at one question getting better, two at another, one unscored."""
    return [
        _with_score(make_session("disagree-and-commit", now=T0, text=WEAK), 35, "No Hire"),
        _with_score(make_session("disagree-and-commit", now=T0 + timedelta(days=2), text=MIDDLING), 58),
        _with_score(make_session("disagree-and-commit", now=T0 + timedelta(days=5), text=STRONG), 84, "Hire"),
        _with_score(make_session("refused-to-ship", now=T0 + timedelta(days=1), text=MIDDLING, level=Level.SENIOR), 60),
        make_session("refused-to-ship", now=T0 + timedelta(days=6), text=STRONG, level=Level.SENIOR),
    ]


def test_rows_show_date_question_level_total_score_and_verdict_oldest_first() -> None:
    chosen = history.select(reversed(_attempts()))
    rows = history.rows(chosen)
    assert [r.question_id for r in rows] == [
        "disagree-and-commit", "refused-to-ship", "disagree-and-commit", "disagree-and-commit", "refused-to-ship",
    ]
    first = rows[0]
    assert first.created_at == T0 and first.level is Level.SDE2
    assert (first.overall, first.verdict) == (35, "No Hire")
    assert rows[-1].overall is None and rows[-1].verdict is None
    # Total time is first word to last word: the generated strong answer is ~165 words at 2.5 words/s plus pauses.
    strong = rows[3]
    assert strong.total_s is not None and 60 < strong.total_s < 90


def test_select_filters_by_question_and_inclusive_dates() -> None:
    sessions = _attempts()
    assert len(history.select(sessions, question="refused-to-ship")) == 2
    assert len(history.select(sessions, since=date(2026, 11, 3))) == 3
    assert len(history.select(sessions, until=date(2026, 11, 2))) == 2
    assert len(history.select(sessions, since=date(2026, 11, 3), until=date(2026, 11, 6), question="disagree-and-commit")) == 2
    assert history.select(sessions, question="nope") == ()


def test_progress_groups_attempts_per_question_with_scores_and_section_times() -> None:
    targets = {"disagree-and-commit": {Section.ACTION: 60.0}}
    progress = history.progress(_attempts(), lambda q: targets.get(q, history.DEFAULT_TARGETS_S))
    assert [p.question_id for p in progress] == ["disagree-and-commit", "refused-to-ship"]
    dac = progress[0]
    assert dac.scores == (35, 58, 84)
    assert dac.target_s(Section.ACTION) == 60.0
    assert progress[1].target_s(Section.ACTION) == 90.0
    actions = dac.durations(Section.ACTION)
    assert len(actions) == 3
    # The strong answer has a long, detailed Action; the weak one barely has one.
    assert actions[2] is not None and (actions[0] is None or actions[2] > actions[0])
    assert history.trend(dac.scores) == 1
    assert history.sparkline(dac.scores, low=0, high=100) == "▃▅▇"


def test_sparkline_scales_marks_gaps_and_handles_flat_series() -> None:
    assert history.sparkline([0, 50, 100]) == "▁▅█"
    assert history.sparkline([None, 1, None]) == "·▅·"
    assert history.sparkline([]) == ""
    assert history.sparkline([None, None]) == "··"
    assert history.sparkline([200], low=0, high=100) == "█"


def test_trend_and_distance_from_target() -> None:
    assert history.trend([50, 49], tolerance=2) == 0
    assert history.trend([None, 80, 60]) == -1
    assert history.trend([5]) == 0
    assert history.distance_from_target([50.0, None, 25.0], 30.0) == (20.0, None, 5.0)


def test_scan_reports_unreadable_folders_and_find_resolves_names(tmp_path: Path) -> None:
    tmp_path = tmp_path / "recordings"
    sessions = _attempts()
    for s in sessions:
        save(s, tmp_path / s.id)
    (tmp_path / "20261201-000000-broken").mkdir()
    (tmp_path / "20261201-000000-broken" / "session.json").write_text("{")
    stored, bad = scan(tmp_path)
    assert len(stored) == 5
    assert [b.folder.name for b in bad] == ["20261201-000000-broken"]
    assert "not valid JSON" in bad[0].reason

    # "last" is the newest session that loads (the broken folder sorts later but is skipped).
    assert find(tmp_path, "last").session.id == sessions[4].id
    assert find(tmp_path, sessions[0].id).session == sessions[0]
    assert find(tmp_path, sessions[1].id[:11]).session.id == sessions[1].id  # unique prefix "20261103-09"
    assert find(tmp_path, str(tmp_path / sessions[2].id)).folder == tmp_path / sessions[2].id
    with pytest.raises(SessionError, match="matches 5 sessions"):
        find(tmp_path, "2026110")
    with pytest.raises(SessionError, match="No session 'zzz'"):
        find(tmp_path, "zzz")
    with pytest.raises(SessionError, match="No saved sessions"):
        find(tmp_path / "empty", "last")
