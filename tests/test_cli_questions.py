"""`mockint questions [ID]`: the bank as a table, one question's walkthrough, and bad banks as one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from mockint.bank import Question, load_bank
from mockint.cli import app
from mockint.paths import BUNDLED_BANK

runner = CliRunner()
BAD = Path(__file__).parent / "data" / "bad_banks"
WIDE = {"COLUMNS": "400"}  # so that rich wraps as little as possible


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, ["questions", *args], env={**WIDE, **(env or {})})


def _flat(output: str) -> str:
    """The output with panel borders and wrapping removed, so wrapped sentences read whole again."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def _one_line_error(result: Result, expected: str) -> None:
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert isinstance(result.exception, SystemExit)


BUNDLED = load_bank(BUNDLED_BANK)


def test_questions_lists_the_five_ids_titles_and_principles() -> None:
    result = _run()
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    rows = [line for line in result.stdout.splitlines() if line.strip().split(" ")[0] in {q.id for q in BUNDLED}]
    assert len(rows) == 5
    for q in BUNDLED:
        row = next(line for line in rows if line.strip().startswith(q.id))
        assert q.title in row
        assert ", ".join(q.leadership_principles) in row
    assert "Next: read one with mockint questions ID" in _flat(result.stdout)


@pytest.mark.parametrize("question", BUNDLED, ids=[q.id for q in BUNDLED])
def test_questions_id_shows_the_complete_walkthrough(question: Question) -> None:
    result = _run(question.id)
    assert result.exit_code == 0, result.output
    shown = _flat(result.stdout)
    expected = [question.title, question.scenario, question.summary, question.sde2_reflection, question.senior_reflection]
    for guide in question.sections:
        expected += [f"{guide.section.value.capitalize()} · target {guide.target_s:g} s", guide.strong_example, guide.coaching, guide.common_mistake]
        expected += [f"“{phrase}”" for phrase in guide.key_phrases]
    for probe in question.probes:
        expected += [probe.question, probe.intent, probe.weak_answer, probe.weak_why, probe.strong_answer, probe.tagline]
    expected += [question.weak_answer.text, *question.weak_answer.flaws, question.weak_answer.bar_raiser]
    for angle in question.lp_angles:
        expected += [angle.name, angle.emphasise, angle.downplay]
    for level in question.levels:
        expected += [level.guidance, level.bar, level.reflection, level.budget_text.rstrip(".")]
    for item in question.quiz:
        expected += [item.question, f"Explanation: {' '.join(item.explanation.split())}"]
    if question.quiz:  # the bank holds no answer choices: the screen says so rather than explain unseen options
        expected.append("the answer choices are not in the question bank")
    expected.append(f"Next: practise it out loud with mockint practice --question {question.id}.")
    missing = [text for text in expected if " ".join(text.split()) not in shown]
    assert missing == []


def test_walkthrough_shows_page_values_and_level_budgets() -> None:
    shown = _flat(_run("disagree-and-commit").stdout)
    for text in (
        "Situation · target 30 s",
        "Task · target 20 s",
        "Action · target 90 s",
        "Result · target 20 s",
        "Reflection · target 15 s",
        "SDE 1 budget 90–120 s (Keep to 2 minutes)",
        "SDE 2 budget 120–150 s",
        "Senior SDE budget 150–180 s (2.5-3 minutes)",
        "Bar Raiser thinks: Sounds competent but fails on content. 'We' throughout Action.",
        "I voiced disagreement clearly but committed fully after final decision.",
    ):
        assert text in shown


def test_unknown_question_id_exits_1_with_the_fix() -> None:
    _one_line_error(_run("no-such-question"), "Error: Unknown question 'no-such-question'. Run 'mockint questions' to list them.")


BAD_CASES = {
    "not_toml": "q.toml: line 3: not valid TOML (",
    "missing_field": "q.toml: sections.action.coaching: missing",
    "wrong_type": "q.toml: sections.action.target_s: must be a positive number of seconds, not text",
    "unknown_section": "q.toml: sections.conclusion: unknown section 'conclusion'",
    "non_positive_target": "q.toml: sections.action.target_s: must be a positive number of seconds, not 0",
    "duplicate_id": "b.toml: id: 'tiny' is already used by",
    "empty": "no question files (*.toml) in this folder",
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_bank_is_one_line_on_stderr_and_exit_1(case: str) -> None:
    result = _run("--bank", str(BAD / case))
    _one_line_error(result, f"Error: {BAD / case}")
    assert BAD_CASES[case] in result.stderr


@pytest.mark.parametrize("case", ["wrong_type", "duplicate_id"])
def test_bad_bank_is_reported_for_a_question_id_too(case: str) -> None:
    _one_line_error(_run("tiny", "--bank", str(BAD / case)), BAD_CASES[case])


def test_mockint_bank_env_points_at_another_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKINT_BANK", str(BAD / "valid"))
    result = _run()
    assert result.exit_code == 0, result.output
    assert "tiny" in result.stdout and "disagree-and-commit" not in result.stdout
    monkeypatch.setenv("MOCKINT_BANK", str(BAD / "empty"))
    _one_line_error(_run(), "no question files")


def test_bank_option_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKINT_BANK", str(BAD / "empty"))
    result = _run("tiny", "--bank", str(BAD / "valid"))
    assert result.exit_code == 0, result.output
    assert "Tell me about a time you fixed something nobody asked you to" in result.stdout
    assert result.stderr == ""


def test_missing_bank_folder_is_reported(tmp_path: Path) -> None:
    _one_line_error(_run("--bank", str(tmp_path / "nowhere")), "question folder not found; pass --bank DIR or set MOCKINT_BANK")
