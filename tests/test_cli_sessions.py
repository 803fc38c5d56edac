from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sessiongen import MIDDLING, STRONG, WEAK, make_session, make_session_folders
from typer.testing import CliRunner

from mockint import paths
from mockint.bank import load_bank
from mockint.cli import app
from mockint.store import save

runner = CliRunner()
T0 = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)


@pytest.fixture
def recordings(home: Path) -> Path:
    root = paths.recordings_dir()
    taken: set[str] = set()
    for i, text in enumerate((WEAK, MIDDLING, STRONG)):
        s = make_session("disagree-and-commit", now=T0 + timedelta(days=i), text=text, taken=taken, old_score=40 + 20 * i)
        save(s, root / s.id)
    s = make_session("refused-to-ship", now=T0 + timedelta(days=4), text=STRONG)
    save(s, root / s.id)
    return root


def test_sessions_lists_rows_and_draws_progress_for_repeated_questions(recordings: Path) -> None:
    result = runner.invoke(app, ["sessions"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "4 sessions" in result.output
    assert "20261102-083000-disagree-and-commit" in result.output
    assert "2026-11-04 08:30" in result.output
    assert "disagree-and-commit: 3 attempts" in result.output
    assert "refused-to-ship: 1 attempt" not in result.output  # a single attempt has no trend to draw
    for section in ("situation", "task", "action", "result", "reflection"):
        assert section in result.output
    assert "▄▅▇" in result.output  # scores 40, 60, 80 on a 0-100 scale


def test_sessions_filters_by_question_and_date_and_prints_json(recordings: Path) -> None:
    result = runner.invoke(app, ["sessions", "--json", "--question", "disagree-and-commit", "--since", "2026-11-03"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == ["20261103-083000-disagree-and-commit", "20261104-083000-disagree-and-commit"]
    assert rows[1]["overall"] == 80 and rows[1]["level"] == "sde2" and rows[1]["total_s"] > 30
    bad = runner.invoke(app, ["sessions", "--until", "yesterday"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_sessions_reports_unreadable_folders_on_stderr(recordings: Path) -> None:
    (recordings / "20261201-000000-x").mkdir()
    (recordings / "20261201-000000-x" / "session.json").write_text("[")
    result = runner.invoke(app, ["sessions", "--no-progress"])
    assert result.exit_code == 0
    assert "Skipped 20261201-000000-x" in result.stderr and "not valid JSON" in result.stderr
    assert "Skipped" not in result.stdout


def test_replay_no_audio_prints_transcript_by_section_then_the_debrief(recordings: Path) -> None:
    result = runner.invoke(app, ["replay", "last", "--no-audio"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("20261106-083000-refused-to-ship") < out.index("── SITUATION ──") < out.index("── ACTION ──")
    assert "How did you get them to agree?" in out
    assert "Bar Raiser thinks" in out  # the debrief follows the transcript
    by_prefix = runner.invoke(app, ["replay", "20261103", "--no-audio"])
    assert by_prefix.exit_code == 0 and "20261103-083000-disagree-and-commit" in by_prefix.stdout


def test_replay_errors_are_one_line_on_stderr(recordings: Path) -> None:
    result = runner.invoke(app, ["replay", "2026110", "--no-audio"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: '2026110' matches 4 sessions") and result.stderr.count("\n") == 1
    bad = runner.invoke(app, ["replay", "last", "--section", "epilogue", "--no-audio"])
    assert bad.exit_code == 2


def test_rescore_exit_codes_outputs_and_second_run(home: Path, tmp_path: Path) -> None:
    root = tmp_path / "batch"
    questions = tuple(q.id for q in load_bank(paths.bank_dir()))
    folders = make_session_folders(root, 12, questions)
    (folders[5] / "answer.wav").write_bytes(b"")
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["rescore", str(root), "--json", str(report), "--csv", "-", "--jobs", "1"])
    assert result.exit_code == 3, result.output
    data = json.loads(report.read_text())
    assert data["counts"] == {"rescored": 11, "unchanged": 0, "imported": 0, "skipped": 1}
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 12 and rows[5]["status"] == "skipped" and "empty" in rows[5]["reason"]
    assert "12 items: 11 rescored, 0 unchanged, 0 imported, 1 skipped." in result.stderr  # stdout carries the CSV

    again = runner.invoke(app, ["rescore", str(root)])
    assert again.exit_code == 3
    assert "0 rescored, 11 unchanged" in again.stdout

    strict = runner.invoke(app, ["rescore", str(root), "--strict"])
    assert strict.exit_code == 1 and strict.stderr.startswith("Error: ") and "--strict" in strict.stderr

    fine = runner.invoke(app, ["rescore", *(str(f) for f in folders if f != folders[5])])
    assert fine.exit_code == 0 and "11 unchanged" in fine.stdout


@pytest.mark.parametrize("columns", ["60", "80", "200"])
def test_sessions_never_cut_an_id_short(recordings: Path, columns: str) -> None:
    result = runner.invoke(app, ["sessions", "--no-progress"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    ids = sorted(p.name for p in recordings.iterdir())
    words = result.stdout.split()
    assert all(i in words for i in ids), result.stdout
    assert "…" not in result.stdout
    assert ("question" in result.stdout.splitlines()[1]) is (columns == "200")  # dropped first: the id holds it
    assert "mockint replay ID" in " ".join(words)


def test_progress_arrows_show_which_way_a_value_went_and_colour_whether_that_is_better(home: Path) -> None:
    from io import StringIO

    from rich.console import Console

    from mockint import history
    from mockint.history_view import progress_view
    from mockint.store import scan

    root = paths.recordings_dir()
    taken: set[str] = set()
    for i, text in enumerate((WEAK, STRONG)):  # the Situation grows towards its 30 s; the (old) score falls
        s = make_session("disagree-and-commit", now=T0 + timedelta(days=i), text=text, taken=taken, old_score=80 - 40 * i)
        save(s, root / s.id)
        taken.add(s.id)
    (p,) = history.progress(s.session for s in scan(root)[0])
    console = Console(file=StringIO(), record=True, width=100, color_system="standard")
    console.print(progress_view(p))
    ansi = console.export_text(styles=True, clear=False)
    rows = {line.split()[0]: line.rstrip() for line in console.export_text().splitlines() if line.strip()}
    assert rows["score"].endswith("↓") and rows["situation"].endswith("↑"), rows
    ansi_rows = {line.split()[0]: line for line in ansi.splitlines() if line.strip()}
    assert "\x1b[31m↓" in ansi_rows["score"]  # lower, and that is worse: red
    assert "\x1b[32m↑" in ansi_rows["situation"]  # longer, and closer to its target: green


def test_the_legend_explains_the_bars_and_arrows(recordings: Path) -> None:
    result = runner.invoke(app, ["sessions"], env={"COLUMNS": "100"})
    text = " ".join(result.stdout.split())
    assert "Bars: one per attempt, oldest first" in text and "Arrows: ↑ more, ↓ less, → about the same" in text
