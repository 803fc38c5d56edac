"""Golden files for what users see and what is saved: CLI screens and a session.json written by a whole
interview on fakes. They pin behaviour across refactors; after an intended change, regenerate and review:

    MOCKINT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_outputs.py && git diff tests/golden/
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes import FakeClock, FakeMic, FakeSpeaker, FakeTranscriber
from sessiongen import MIDDLING, STRONG, WEAK, save_history, timed_transcript
from test_debrief import check_golden
from typer.testing import CliRunner

from mockint import paths
from mockint.audio import Recording
from mockint.bank import Level, load_bank
from mockint.cli import app
from mockint.interview import InterviewPlan, run_interview

runner = CliRunner()
T0 = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture
def recordings(home: Path) -> Path:
    return save_history(paths.recordings_dir(), T0)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("cli-sessions.txt", ["sessions"]),
        ("cli-replay-no-audio.txt", ["replay", "last", "--no-audio"]),
        ("cli-questions.txt", ["questions"]),
        ("cli-questions-id.txt", ["questions", "wrong-call-recovery"]),
    ],
)
def test_cli_screen_matches_golden(recordings: Path, name: str, args: list[str]) -> None:
    result = runner.invoke(app, args, env=ENV)
    assert result.exit_code == 0, result.output
    check_golden(name, result.stdout)


def test_saved_session_of_an_interview_matches_golden(home: Path) -> None:
    question = next(q for q in load_bank(paths.bank_dir()) if q.id == "disagree-and-commit")
    transcriber = FakeTranscriber()
    for text in (MIDDLING, WEAK, STRONG):
        transcriber.enqueue(timed_transcript(text))
    clock = FakeClock()
    mic = FakeMic(*(Recording(b"\x01\x00" * 16_000) for _ in range(3)), clock=clock)
    plan = InterviewPlan(question, Level.SDE2, lp="Ownership", probe_count=2, model="fake-asr")
    _session, folder = run_interview(
        plan, mic=mic, speaker=FakeSpeaker(), transcriber=transcriber, clock=clock,
        now=datetime(2026, 11, 25, 17, 30, 12, tzinfo=UTC), recordings=paths.recordings_dir(),
    )  # fmt: skip
    check_golden("interview-session.json", (folder / "session.json").read_text(encoding="utf-8"))
