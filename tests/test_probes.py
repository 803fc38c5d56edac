from __future__ import annotations

import json
from pathlib import Path

import pytest
from answers import A, R, S, T, X, build, strong_parts

from mockint.analysis import analyse
from mockint.bank import Level, Question, load_bank
from mockint.analysis import Analysis
from mockint.probes import AskedProbe, choose_probes, judge_probe, probe_kinds
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


def analysed(q: Question, parts: list[tuple[Section, str]]) -> tuple[Scorecard, Analysis]:
    a = build(parts)
    analysis = analyse(a.transcript, q, Level.SDE2, a.spans)
    return score(analysis, q), analysis


def chosen_for(q: Question, parts: list[tuple[Section, str]], n: int) -> tuple[AskedProbe, ...]:
    card, analysis = analysed(q, parts)
    return choose_probes(card, analysis, q, n)


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


def test_no_numbers_asks_how_you_measured_the_impact_first() -> None:
    parts = replace(STRONG, R, "The drop rate improved a lot and the Platform team adopted my alert pattern as a standard.")
    chosen = chosen_for(Q, parts, 2)
    assert chosen[0].text.startswith("How did you measure the impact") and chosen[0].kind == "impact"


def test_routing_asks_the_influence_and_ownership_probe_first() -> None:
    parts = replace(STRONG, A, "I escalated it to the Platform team. I sent them a Slack message. They handled the fix.")
    chosen = chosen_for(Q, parts, 2)
    assert chosen[0].index == 0 and chosen[0].kind == "ownership"


def test_generic_reflection_asks_what_you_would_do_differently() -> None:
    parts = replace(STRONG, X, "I learned that communication is important.")
    (chosen,) = chosen_for(Q, parts, 1)
    assert chosen.text.startswith("What would you do differently")


def test_the_pages_story_hears_the_pages_wording() -> None:
    q = BANK["changed-mind-with-data"]
    chosen = chosen_for(q, strong_parts(q), 4)
    assert {c.text for c in chosen} == {p.question for p in q.probes}
    assert all(c.text == q.probes[c.index].question for c in chosen)


OWN_STORY = [
    (S, "I manage the front desk at a busy dental clinic, and patients were waiting up to forty minutes past their appointment."),
    (T, "Nobody owned the schedule, so I decided to fix the booking system myself."),
    (A, "I pulled three months of appointment records. I found the hygienists were double booked on Mondays. "
        "I rebuilt the template with fifteen minute buffers and I trained the two receptionists on it."),
    (R, "Waiting times fell from forty minutes to under ten, and complaints dropped by half within a month."),
]


def test_an_own_story_is_probed_in_its_own_terms_never_about_the_pages_details() -> None:
    q = BANK["refused-to-ship"]  # its probes ask about "$8K", "the Platform team", "the dead letter queue alert"
    chosen = chosen_for(q, OWN_STORY, 4)
    answer = " ".join(text for _, text in OWN_STORY)
    for c in chosen:
        assert "$8K" not in c.text and "Platform" not in c.text and "dead letter" not in c.text, c.text
        if "\u201c" in c.text:  # a quote is what the candidate said, word for word
            quoted = c.text.split("\u201c", 1)[1].split("\u201d", 1)[0]
            assert quoted in answer, quoted
    impact = next(c for c in chosen if c.kind == "impact")
    assert "forty minutes to under ten" in impact.text


def test_what_the_answer_already_covered_is_asked_last() -> None:
    q = BANK["refused-to-ship"]
    card, analysis = analysed(q, strong_parts(q))
    assert card.finding("result.metric_delta").verdict is Verdict.PASS  # type: ignore[union-attr]
    chosen = choose_probes(card, analysis, q, 4)
    assert chosen[-1].kind == "impact" or all(c.kind != "impact" for c in chosen[:2])


def test_an_own_story_probe_answer_is_judged_by_what_the_probe_tests() -> None:
    q = BANK["refused-to-ship"]
    probe = q.probes[2]  # "How did you quantify the $8K weekly revenue impact?": data-driven impact measurement
    answer = build(OWN_STORY).transcript
    good = judge_probe(probe, said("I compared the booking records from before and after the change. Average waits fell "
                                   "from forty minutes to nine, and we stopped losing about six patients a week."),
                       asked="How did you measure that?", answer=answer, question=q)
    assert good.verdict is Verdict.PASS and "8K" not in good.message and good.question == "How did you measure that?"
    vague = judge_probe(probe, said("Everyone seemed happier after that."), asked="How did you measure that?",
                        answer=answer, question=q)
    assert vague.verdict is Verdict.FAIL and "not heard" in vague.message


def test_choice_is_deterministic_distinct_and_bounded() -> None:
    weak = build([(S, Q.weak_answer.text)])
    analysis = analyse(weak.transcript, Q, Level.SDE2, weak.spans)
    card = score(analysis, Q)
    first = choose_probes(card, analysis, Q, 3)
    assert first == choose_probes(card, analysis, Q, 3)
    assert len({c.index for c in first}) == 3
    everything = choose_probes(card, analysis, Q, 10)
    assert len(everything) == len(Q.probes) and {c.index for c in everything} == set(range(len(Q.probes)))
    assert choose_probes(card, analysis, Q, 0) == ()
