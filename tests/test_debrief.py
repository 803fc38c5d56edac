"""Golden-file tests of the debrief. After an intended change, regenerate and review the diff:

    MOCKINT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_debrief.py && git diff tests/golden/
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from answers import A, R, S, build, strong_parts
from rich.console import Console

from mockint import debrief
from mockint.analysis import analyse
from mockint.bank import Level, Question, load_bank
from mockint.probes import choose_probes, judge_probe
from mockint.scorecard import ProbeJudgement, Scorecard
from mockint.scoring import score
from mockint.transcript import Transcript

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
BANK = {q.id: q for q in load_bank(ROOT / "prompts")}


def said(text: str) -> Transcript:
    return build([(S, text)]).transcript


HEARD: dict[str, list[Transcript]] = {}  # each case's transcripts: the answer's, then each probe answer's


def weak_case() -> tuple[Scorecard, Question, tuple[ProbeJudgement, ...]]:
    """The disagree-and-commit page's weak answer, told for Ownership, with two probes answered."""
    q = BANK["disagree-and-commit"]
    a = build([(S, "I noticed the webhook drop rate was high, so I escalated it to the Platform team by sending a Slack message."),
               (A, "They handled the fix and I supported the rollout."),
               (R, "The drop rate improved, and the team was happy with the results, but I did not lead the investigation or the fix.")])
    analysis = analyse(a.transcript, q, Level.SDE2, a.spans)
    card = score(analysis, q, lp="Ownership")
    chosen = [q.probes[c.index] for c in choose_probes(card, analysis, q, 2)]
    probe_answers = [said(chosen[0].weak_answer), said(chosen[1].strong_answer)]
    HEARD["weak-ownership"] = [a.transcript, *probe_answers]
    return card, q, tuple(judge_probe(p, heard) for p, heard in zip(chosen, probe_answers, strict=True))


def strong_case() -> tuple[Scorecard, Question, tuple[ProbeJudgement, ...]]:
    """The refused-to-ship page's strong example with its Senior Reflection, at senior level."""
    q = BANK["refused-to-ship"]
    a = build(strong_parts(q))
    HEARD["strong-senior"] = [a.transcript]
    return score(analyse(a.transcript, q, Level.SENIOR, a.spans), q), q, ()


CASES = {"weak-ownership": weak_case, "strong-senior": strong_case}


def as_json(card: Scorecard, q: Question, judged: tuple[ProbeJudgement, ...]) -> str:
    return json.dumps(debrief.to_dict(card, q, probe_judgements=judged), indent=2, ensure_ascii=False)


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MOCKINT_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with MOCKINT_UPDATE_GOLDEN=1 to create it"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs: rerun with MOCKINT_UPDATE_GOLDEN=1 and review the diff"


def terminal_text(card: Scorecard, q: Question, judged: tuple[ProbeJudgement, ...]) -> str:
    console = Console(record=True, width=100, color_system=None, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(debrief.render(card, q, probe_judgements=judged))
    text = console.export_text()
    console.file.close()
    return text


@pytest.mark.parametrize("case", sorted(CASES))
def test_terminal_debrief_matches_golden(case: str) -> None:
    check_golden(f"{case}.txt", terminal_text(*CASES[case]()))


@pytest.mark.parametrize("case", sorted(CASES))
def test_json_debrief_matches_golden(case: str) -> None:
    check_golden(f"{case}.json", as_json(*CASES[case]()) + "\n")


@pytest.mark.parametrize("case", sorted(CASES))
def test_markdown_debrief_matches_golden(case: str) -> None:
    card, q, judged = CASES[case]()
    check_golden(f"{case}.md", debrief.to_markdown(card, q, probe_judgements=judged))


# --- what the debrief must say, independent of layout ----------------------------------------------------


def test_weak_debrief_cites_evidence_with_times_and_speaks_in_the_seeds_voice() -> None:
    card, q, judged = weak_case()
    text = terminal_text(card, q, judged)
    assert "Bar Raiser thinks: Sounds competent but fails on content." in text
    assert "for Ownership." in text
    assert "0:00 \u201cI noticed the webhook drop rate was high" in text
    assert "Three things to fix first" in text and "1. " in text
    assert "Emphasise: Scope boundary and initiative." in text
    assert "Downplay: Team collaboration or escalation." in text
    assert "I brought a solution, not just a problem." in text  # the probe's tagline
    assert q.level(Level.SDE2).reflection[:40] in text


def test_fillers_are_never_reported_as_none_when_they_cannot_be_heard() -> None:
    card, q, judged = strong_case()
    for text in (terminal_text(card, q, judged), debrief.to_markdown(card, q)):
        assert "not proof there were none" in text
        assert "0 fillers" not in text and "no fillers." not in text.casefold()


def test_json_is_the_scorecard_plus_the_bank_advice_and_round_trips() -> None:
    card, q, judged = weak_case()
    data = json.loads(as_json(card, q, judged))
    assert Scorecard.from_dict(data["scorecard"]) == card
    assert [ProbeJudgement.from_dict(j) for j in data["probe_judgements"]] == list(judged)
    assert data["lp_angle"]["name"] == "Ownership"
    assert data["level"]["reflection"] == q.level(Level.SDE2).reflection
    assert {c["section"] for c in data["coaching"]} >= {"task", "action", "result"}


def test_markdown_lists_findings_with_times_and_the_timeline() -> None:
    card, q, judged = weak_case()
    md = debrief.to_markdown(card, q, probe_judgements=judged)
    assert md.startswith("# Debrief: Describe a Time You Disagreed")
    assert "## Timeline" in md and "missing" in md
    assert "- ✗ **Owning, not routing** (fail)" in md
    assert "`0:00` “I noticed the webhook drop rate was high" in md


def test_render_accepts_a_session_through_its_latest_score() -> None:
    from mockint.session import ScoreRecord, Session, Turn, TurnKind

    card, q, judged = weak_case()
    record = ScoreRecord("2026-11-25T17:00:00+00:00", card.rubric_version, "base", card.overall, card.verdict,
                         card, judged)
    answer = build([(S, "I escalated it.")]).transcript
    session = Session("s1", "2026-11-25T17:00:00+00:00", q.id, Level.SDE2, "Ownership", "base",
                      (Turn(TurnKind.ANSWER, q.title, None, answer),), (record,))
    assert debrief.to_markdown(session, q) == debrief.to_markdown(card, q, probe_judgements=judged)
    assert terminal_text(session, q, ()) == terminal_text(card, q, judged)  # type: ignore[arg-type]


# --- `mockint analyze`: the debrief on a recorded answer ---------------------------------------------------


def test_analyze_unknown_lp_angle_is_a_usage_error_naming_the_angles(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from mockint.cli import app

    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "a.wav"), "--question", "disagree-and-commit", "--lp", "Frugality"])
    assert result.exit_code == 2
    assert "Deliver Results, Ownership, Invent and Simplify" in result.stderr


def test_analyze_prints_the_debrief_and_writes_markdown_for_the_lp(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from typer.testing import CliRunner

    from mockint.cli import app
    from mockint.model import model_status

    if shutil.which("espeak-ng") is None or not model_status().is_ready:
        pytest.skip("needs espeak-ng and the assembled speech model")
    q = BANK["disagree-and-commit"]
    wav = tmp_path / "weak.wav"
    subprocess.run(["espeak-ng", "-s", "160", "-w", str(wav), q.weak_answer.text], check=True, capture_output=True)
    md = tmp_path / "debrief.md"
    runner = CliRunner()
    result = runner.invoke(app, ["analyze", str(wav), "--question", q.id, "--lp", "ownership", "--markdown", str(md)])
    assert result.exit_code == 0, result.output
    assert "Bar Raiser thinks: Sounds competent but fails on content." in " ".join(result.stdout.split())
    assert "things to fix first" in result.stdout and "--full" in result.stdout  # the one-screen summary
    assert "Emphasise:" not in result.stdout and len(result.stdout.splitlines()) <= 24
    assert "Debrief written to" in result.stderr
    text = md.read_text(encoding="utf-8")  # the Markdown is the whole debrief, whichever the screen shows
    assert text.startswith("# Debrief: ") and "LP: Ownership" in text and "Owning, not routing" in text
    full = runner.invoke(app, ["analyze", str(wav), "--question", q.id, "--lp", "ownership", "--full"])
    assert "for Ownership." in full.stdout and "Emphasise: Scope boundary and initiative." in full.stdout
    data = json.loads(runner.invoke(app, ["analyze", str(wav), "--question", q.id, "--json"]).stdout)
    assert data["debrief"]["scorecard"]["verdict"] in ("No Hire", "Leaning No Hire")
    assert data["debrief"]["lp_angle"] is None and [s["section"] for s in data["sections"]][0] == "situation"


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_debriefs_say_only_what_was_said(case: str) -> None:
    from honesty import check_debrief

    card, q, judged = CASES[case]()
    text, md = terminal_text(card, q, judged), debrief.to_markdown(card, q, probe_judgements=judged)
    check_debrief(card, HEARD[case], judged, [text, md, as_json(card, q, judged), summary_text(card, q)])


def summary_text(card: Scorecard, q: Question, width: int = 80) -> str:
    console = Console(record=True, width=width, color_system=None, file=io.StringIO())
    console.print(debrief.summary(card, q))
    return console.export_text()


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("width", [80, 120])
def test_the_summary_fits_one_screen_with_the_verdict_the_timeline_and_every_fix(case: str, width: int) -> None:
    card, q, _ = CASES[case]()
    text = summary_text(card, q, width)
    lines = text.rstrip("\n").splitlines()
    assert len(lines) <= 20, text
    assert lines[0].startswith(f"{card.overall}/100 {card.verdict} · Bar Raiser thinks: ")
    for s in card.sections:
        assert re.search(rf"^{s.section.value.capitalize()} +(\d+ s|—) +{s.target_s:.0f} s .* {s.timing.value} *$", text, re.M), text
    assert re.search(r"^Total +\d+ s", text, re.M) and debrief.fixes_heading(len(card.fixes)) in text
    flat = " ".join(text.split())
    for i, fix in enumerate(card.fixes, start=1):
        assert f"{i}. {' '.join(fix.text.split())}" in flat  # the fixes scoring chose, word for word
    assert re.search(r"^Delivery: \d+ wpm · ", text, re.M)
    assert "Coaching" not in text and "Follow-up probes" not in text  # those are for --full


QUOTE_ROW = re.compile("^ +\\d+:\\d\\d \u201c")  # a fix's quote: its time, then the words said


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_summary_given_too_few_rows_drops_quotes_last_fix_first_and_keeps_verdict_and_fixes(case: str) -> None:
    card, q, _ = CASES[case]()
    whole = summary_text(card, q, 80)
    quotes = [line for line in whole.splitlines() if QUOTE_ROW.match(line)]

    def shown(rows: int) -> str:
        console = Console(record=True, width=80, color_system=None, file=io.StringIO())
        console.print(debrief.summary(card, q, rows=rows))
        return console.export_text()

    assert shown(len(whole.splitlines())) == whole  # room enough: nothing left out
    for dropped in range(1, len(quotes) + 1):
        text = shown(len(whole.splitlines()) - dropped)
        assert len(text.splitlines()) == len(whole.splitlines()) - dropped, text
        assert [line for line in text.splitlines() if QUOTE_ROW.match(line)] == quotes[: len(quotes) - dropped]
        assert text.startswith(f"{card.overall}/100 {card.verdict}")
        flat = " ".join(text.split())
        assert all(f"{i}. {' '.join(fx.text.split())}" in flat for i, fx in enumerate(card.fixes, start=1))
    assert shown(3) == shown(len(whole.splitlines()) - len(quotes))  # never less than the verdict, timeline, fixes


def test_a_quote_too_long_for_one_line_is_cut_after_a_whole_word_outside_the_quotes() -> None:
    card, q, _ = CASES["weak-ownership"]()
    text = summary_text(card, q, 60)
    cut = [line for line in text.splitlines() if line.rstrip().endswith("\u201d\u2026")]
    assert cut and all(len(line.rstrip()) <= 60 for line in text.splitlines())
    quote = cut[0].split("\u201c", 1)[1].split("\u201d", 1)[0]
    assert any(e.text.startswith(quote + " ") for f in card.findings for e in f.evidence)
