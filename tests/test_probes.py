from __future__ import annotations

import json
from pathlib import Path

import pytest
from answers import A, R, S, X, build, strong_parts

from mockint.analysis import analyse
from mockint.bank import Level, Probe, Question, load_bank
from mockint.probes import choose_probes, judge_probe, probe_kinds
from mockint.rubric import load_rubric
from mockint.scorecard import ProbeJudgement, Scorecard, Verdict
from mockint.scoring import score
from mockint.star import Section
from mockint.transcript import Transcript

ROOT = Path(__file__).resolve().parent.parent
BANK = {q.id: q for q in load_bank(ROOT / "prompts")}
ALL_PROBES = [(q.id, i) for q in BANK.values() for i in range(len(q.probes))]


def said(text: str) -> Transcript:
    return build([(S, text)]).transcript


def card_for(q: Question, parts: list[tuple[Section, str]]) -> Scorecard:
    a = build(parts)
    return score(analyse(a.transcript, q, Level.SDE2, a.spans), q)


def replace(parts: list[tuple[Section, str]], section: Section, text: str) -> list[tuple[Section, str]]:
    return [(sec, text if sec is section else t) for sec, t in parts]


def test_probe_kinds_name_only_known_checks() -> None:
    r = load_rubric()
    for kind in r.probe_kinds:
        assert set(kind.checks) <= set(r.checks), kind.name


@pytest.mark.parametrize(("qid", "i"), ALL_PROBES)
def test_every_seed_probe_has_a_kind(qid: str, i: int) -> None:
    assert probe_kinds(BANK[qid].probes[i])


@pytest.mark.parametrize(("qid", "i"), ALL_PROBES)
def test_the_pages_strong_probe_answer_passes_and_its_weak_answer_fails(qid: str, i: int) -> None:
    probe = BANK[qid].probes[i]
    strong = judge_probe(probe, said(probe.strong_answer))
    assert strong.verdict is Verdict.PASS, strong.message
    assert strong.strong_overlap > 0.7
    weak = judge_probe(probe, said(probe.weak_answer))
    assert weak.verdict is Verdict.FAIL, weak.message
    assert probe.weak_why in weak.message
    assert weak.evidence and weak.evidence[0].start_s == pytest.approx(0.4)
    assert weak.tagline == probe.tagline and weak.intent == probe.intent


def test_slack_answer_to_the_influence_probe_fails_even_when_worded_differently() -> None:
    probe = BANK["disagree-and-commit"].probes[0]
    j = judge_probe(probe, said("Honestly I escalated it to their manager and then they took care of the rest."))
    assert j.verdict is Verdict.FAIL and "escalated" in j.message
    assert j.evidence[0].text.startswith("Honestly I escalated")


def test_a_we_answer_without_the_number_is_only_partly_there() -> None:
    probe = BANK["disagree-and-commit"].probes[2]  # How did you measure the impact...
    j = judge_probe(probe, said("We correlated the drop rate with payment confirmation times. We tracked adoption of the alert pattern and revenue recovery."))
    assert j.verdict in (Verdict.WARN, Verdict.FAIL)
    assert "no number" in j.message and "\u2018I\u2019" in j.message


def test_empty_probe_answer_fails() -> None:
    j = judge_probe(BANK["refused-to-ship"].probes[0], Transcript((), 0.0))
    assert j.verdict is Verdict.FAIL and j.message == "No answer heard."


def test_probe_judgement_round_trips_through_json() -> None:
    probe = BANK["broader-impact"].probes[3]
    j = judge_probe(probe, said(probe.strong_answer))
    assert ProbeJudgement.from_dict(json.loads(json.dumps(j.to_dict()))) == j


# --- choosing -----------------------------------------------------------------------------------------------

Q = BANK["disagree-and-commit"]  # probes: influence/ownership, commit, measure the impact, do differently
STRONG = strong_parts(Q)


def index(q: Question, probe: Probe) -> int:
    return q.probes.index(probe)


def test_no_numbers_asks_how_you_measured_the_impact_first() -> None:
    parts = replace(STRONG, R, "The drop rate improved a lot and the Platform team adopted my alert pattern as a standard.")
    chosen = choose_probes(card_for(Q, parts), Q, 2)
    assert chosen[0].question.startswith("How did you measure the impact")


def test_routing_asks_the_influence_and_ownership_probe_first() -> None:
    parts = replace(STRONG, A, "I escalated it to the Platform team. I sent them a Slack message. They handled the fix.")
    chosen = choose_probes(card_for(Q, parts), Q, 2)
    assert "ownership" in probe_kinds(chosen[0])
    assert chosen[0] is Q.probes[0]


def test_generic_reflection_asks_what_you_would_do_differently() -> None:
    parts = replace(STRONG, X, "I learned that communication is important.")
    chosen = choose_probes(card_for(Q, parts), Q, 1)
    assert chosen[0].question.startswith("What would you do differently")


def test_no_gaps_falls_back_to_page_order() -> None:
    q = BANK["changed-mind-with-data"]
    card = card_for(q, strong_parts(q))
    assert choose_probes(card, q, 4) == q.probes
    assert choose_probes(card, q, 2) == q.probes[:2]


def test_choice_is_deterministic_distinct_and_bounded() -> None:
    weak = build([(S, Q.weak_answer.text)])
    card = score(analyse(weak.transcript, Q, Level.SDE2, weak.spans), Q)
    first = choose_probes(card, Q, 3)
    assert first == choose_probes(card, Q, 3)
    assert len(set(map(id, first))) == 3
    everything = choose_probes(card, Q, 10)
    assert len(everything) == len(Q.probes) and {index(Q, p) for p in everything} == set(range(len(Q.probes)))
    assert choose_probes(card, Q, 0) == ()
