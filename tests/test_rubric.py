from __future__ import annotations

import json
import re
import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest
from answers import PAIRS, A, Answer, R, S, T, X, build, make_question, strong_parts

from mockint import paths, rubric, scoring
from mockint.analysis import analyse
from mockint.bank import Level, Question, load_bank
from mockint.rubric import load_rubric
from mockint.scorecard import Scorecard, Verdict
from mockint.scoring import score
from mockint.star import SECTION_ORDER, Section
from mockint.text import split_sentences
from mockint.transcript import Transcript

ROOT = Path(__file__).resolve().parent.parent
LOW = {"Leaning No Hire", "No Hire"}
HIGH = {"Hire", "Strong Hire"}
CONTENT = ("situation.", "task.", "action.", "result.", "reflection.")


@pytest.fixture(scope="module")
def bank() -> dict[str, Question]:
    return {q.id: q for q in load_bank(ROOT / "prompts")}


@pytest.fixture(scope="module")
def q() -> Question:
    return make_question(action_key_phrases=("I pulled the logs", "I wrote a fix", "I presented data"))


def run(parts: list[tuple[Section, str]], q: Question, level: Level = Level.SDE2, **kw: object) -> Scorecard:
    a = build(parts, **kw)  # type: ignore[arg-type]
    return score(analyse(a.transcript, q, level, a.spans), q)


def verdict_of(card: Scorecard, check: str) -> Verdict:
    f = card.finding(check)
    assert f is not None, check
    return f.verdict


GOOD = PAIRS["nursing-handover"][0]


# --- the rubric file ----------------------------------------------------------------------------------


def test_packaged_rubric_version_matches_constant_and_names_every_check() -> None:
    r = load_rubric()
    assert r.version == rubric.RUBRIC_VERSION
    data = tomllib.loads(resources.files("mockint").joinpath("rubric.toml").read_text(encoding="utf-8"))
    for factors in data["lp_factors"].values():
        assert set(factors) <= set(r.checks)
    groups = {scoring._group(c) for c in r.checks}
    assert groups == set(r.section_weights)


def test_every_check_the_scorer_emits_is_in_the_rubric(q: Question) -> None:
    card = run(GOOD, q, Level.SENIOR)
    assert {f.check for f in card.findings} == set(load_rubric().checks)


def test_malformed_rubric_text_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="malformed rubric"):
        rubric.parse_rubric('version = "x"\n')


# --- the seeds -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("qid", ["disagree-and-commit", "refused-to-ship", "broader-impact", "changed-mind-with-data", "wrong-call-recovery"])
@pytest.mark.parametrize("level", [Level.SDE2, Level.SENIOR])
def test_seed_strong_example_scores_hire_or_better_with_no_content_flags(bank: dict[str, Question], qid: str, level: Level) -> None:
    q = bank[qid]
    a = build(strong_parts(q))
    card = score(analyse(a.transcript, q, level, a.spans), q)
    flagged = [(f.check, f.message) for f in card.findings if f.check.startswith(CONTENT) and f.verdict is not Verdict.PASS]
    assert flagged == []
    assert card.verdict in HIGH
    assert card.overall >= 85
    assert card.bar_raiser.startswith("Clear ownership")


@pytest.mark.parametrize("qid", ["disagree-and-commit", "refused-to-ship", "broader-impact", "changed-mind-with-data", "wrong-call-recovery"])
def test_seed_strong_example_through_the_real_segmenter_still_hires(bank: dict[str, Question], qid: str) -> None:
    q = bank[qid]
    a = build(strong_parts(q))
    card = score(analyse(a.transcript, q, Level.SENIOR), q)
    assert card.verdict in HIGH
    # Where the segmenter draws the Result/Reflection line is its business; the story's content is ours.
    assert not [f for f in card.findings if f.check.startswith(("task.", "action.", "result.")) and f.verdict is not Verdict.PASS]


# The seeds' weak answers, labelled sentence by sentence, and for each flaw the seed lists: the check
# that must catch it and a piece of the sentence it must cite (None: the flaw is an absence).
WEAK_LABELS: dict[str, list[Section]] = {
    "disagree-and-commit": [S, A, R],
    "refused-to-ship": [S, A, A, R, X],
    "broader-impact": [S, A, R],
    "changed-mind-with-data": [S, A, A],
    "wrong-call-recovery": [S, A, R, X],
}
WEAK_FLAWS: dict[str, list[tuple[str, str | None]]] = {
    "disagree-and-commit": [
        ("action.routing", "escalated it to the Platform team by sending a Slack message"),  # I escalated it - I sent them a Slack message
        ("action.routing", "They handled the fix"),  # ... and they handled the fix
        ("result.vague", "the team was happy"),  # The drop rate improved and the team was happy
        ("action.i_statements", "They handled the fix"),  # We handled the fix together
        ("result.metric_delta", None),  # No quantification of impact
        ("action.depth", None),  # No clear individual ownership
    ],
    "refused-to-ship": [
        ("action.routing", "sending a Slack message"),  # I escalated it ... by sending a Slack message
        ("action.i_statements", "They eventually fixed the problem"),  # They fixed the issue after some time
        ("result.vague", "the team was satisfied"),  # The drop rate improved and the team was happy
        ("task.scope_boundary", None),  # No explicit scope boundary stated
        ("result.metric_delta", None),  # No quantified impact ...
        ("result.second_order", None),  # ... or second-order effect
    ],
    "broader-impact": [
        ("action.i_statements", "They fixed it"),  # We figured it out together - individual contribution invisible
        ("task.scope_boundary", None),  # No explicit scope boundary stated
        ("result.metric_delta", None),  # No quantification of impact ...
        ("result.business", None),  # ... or business translation
        ("action.routing", "told the Platform team about it"),  # Passive handoff to Platform team
        ("result.vague", "the problem was solved and the team was happy"),  # Generic ending without measurable results
    ],
    "changed-mind-with-data": [
        ("action.routing", "sent a Slack message"),  # "I sent a Slack message" shows no ownership or solution
        ("action.i_statements", "They looked into it and fixed the problem"),  # uses 'they' and hides contribution
        ("result.metric_delta", None),  # No quantification of impact or business value
        ("action.key_moves", None),  # No persistence or data-driven persuasion described
        ("task.scope_boundary", None),  # No scope boundary or initiative stated
    ],
    "wrong-call-recovery": [
        ("action.routing", "escalated it to the Platform team"),  # "I escalated it" shows no ownership
        ("action.routing", "sent them a Slack message"),  # "sent a Slack message" is just routing
        ("task.scope_boundary", None),  # No explicit scope boundary stated
        ("result.metric_delta", None),  # No quantification of impact or business value
        ("action.routing", "they handled the fix"),  # Use of 'we' or passive language
    ],
}


def weak_answer(q: Question) -> Answer:
    sentences = split_sentences(build([(S, q.weak_answer.text)]).transcript.words)
    labels = WEAK_LABELS[q.id]
    assert len(sentences) == len(labels)
    return build([(sec, s.text) for sec, s in zip(labels, sentences)])


@pytest.mark.parametrize("qid", sorted(WEAK_FLAWS))
def test_seed_weak_answer_scores_low_and_every_listed_flaw_is_caught_with_its_sentence(bank: dict[str, Question], qid: str) -> None:
    q = bank[qid]
    a = weak_answer(q)
    card = score(analyse(a.transcript, q, Level.SDE2, a.spans), q)
    assert card.verdict in LOW
    assert card.overall < 50
    assert card.bar_raiser.startswith("Sounds competent but fails on content.")
    assert card.bar_raiser.endswith("for this LP.")
    starts = {w.start_s for w in a.transcript.words}
    for check, quote in WEAK_FLAWS[qid]:
        f = card.finding(check)
        assert f is not None and f.verdict in (Verdict.FAIL, Verdict.WARN), (check, f)
        if quote is not None:
            cited = [e for e in f.evidence if quote.casefold() in e.text.casefold()]
            assert cited, (check, quote, f.evidence)
            assert all(e.start_s in starts for e in cited)  # the time is the sentence's first word


@pytest.mark.parametrize("qid", sorted(WEAK_FLAWS))
def test_seed_weak_answer_through_the_real_segmenter_still_fails_the_key_checks(bank: dict[str, Question], qid: str) -> None:
    q = bank[qid]
    a = build([(S, q.weak_answer.text)])
    card = score(analyse(a.transcript, q, Level.SDE2), q)
    assert card.verdict in LOW
    for check in ("action.routing", "task.scope_boundary", "result.metric_delta"):
        assert verdict_of(card, check) is Verdict.FAIL


# --- ranking: good vs flawed versions of the same story ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_good_version_of_a_story_outscores_its_flawed_version(q: Question, name: str) -> None:
    good, flawed = PAIRS[name]
    g, f = run(good, q), run(flawed, q)
    assert g.overall > f.overall + 25
    assert g.verdict in HIGH and f.verdict in LOW
    for lp in ("Ownership",):
        qq = make_question(lp_angles=(("Ownership", "Scope.", "Team."),))
        assert run(good, qq).overall > run(flawed, qq).overall
        a, b = build(good), build(flawed)
        assert score(analyse(a.transcript, qq, Level.SDE2, a.spans), qq, lp=lp).overall > score(analyse(b.transcript, qq, Level.SDE2, b.spans), qq, lp=lp).overall


# --- edge cases --------------------------------------------------------------------------------------------


def test_empty_transcript_scores_zero_content_and_measures_nothing(q: Question) -> None:
    card = score(analyse(Transcript((), 0.0), q, Level.SDE1, ()), q)
    assert card.verdict == "No Hire"
    assert card.overall < 20
    assert all(s.score == 0 and s.duration_s is None and s.timing == "missing" for s in card.sections)
    assert verdict_of(card, "delivery.pace") is Verdict.NOT_MEASURED
    assert verdict_of(card, "delivery.fillers") is Verdict.NOT_MEASURED
    assert card.delivery.word_count == 0 and card.delivery.wpm is None
    assert len(card.fixes) == 3
    assert card.bar_raiser == "Nothing heard: no answer to judge. No Hire for this LP."


def test_a_single_sentence_answer_is_judged_without_crashing(q: Question) -> None:
    card = run([(A, "I fixed the bug.")], q)
    assert card.verdict == "No Hire"
    assert verdict_of(card, "action.i_statements") is Verdict.PASS
    assert verdict_of(card, "action.depth") is Verdict.WARN
    assert verdict_of(card, "result.metric_delta") is Verdict.FAIL
    assert card.delivery.wpm is not None


def test_no_numbers_at_all_fails_quantification(q: Question) -> None:
    parts = PAIRS["nursing-handover"][1]
    card = run(parts, q)
    f = card.finding("result.metric_delta")
    assert f is not None and f.verdict is Verdict.FAIL
    assert "no number anywhere" in f.message
    assert "Zero quantification." in card.bar_raiser


def test_numbers_only_in_the_situation_fail_the_result_and_cite_the_situation(q: Question) -> None:
    parts = [
        (S, "Our checkout failed for 3% of customers, about 400 orders a day."),
        (T, "It was not my team and nobody had asked me."),
        (A, "I traced the failures to a timeout. I wrote a fix. I added an alert."),
        (R, "After that the checkout was much more reliable for customers."),
        (X, "The root cause was that no team owned checkout health across services."),
    ]
    card = run(parts, q)
    f = card.finding("result.metric_delta")
    assert f is not None and f.verdict is Verdict.FAIL
    assert "only numbers are in the Situation" in f.message
    assert f.evidence[0].text.startswith("Our checkout failed for 3%")
    assert f.evidence[0].start_s == pytest.approx(0.4)


# --- each check ----------------------------------------------------------------------------------------------


def test_situation_with_an_architecture_tour_before_the_problem_fails(q: Question) -> None:
    tour = PAIRS["logistics-late-deliveries"][1][0][1]
    card = run([(S, tour + " Then parcels started arriving late."), *GOOD[1:]], q)
    f = card.finding("situation.concise")
    assert f is not None and f.verdict is Verdict.FAIL
    assert "Architecture tour" in f.message
    assert f.coaching == "Coaching for the situation."
    assert "Architecture tour before the problem." in card.bar_raiser


def test_situation_that_runs_past_45_seconds_fails(q: Question) -> None:
    long_s = "The orders were late. " + " ".join(["We had many shops across the country and each one sold shoes."] * 9)
    card = run([(S, long_s), *GOOD[1:]], q)
    f = card.finding("situation.concise")
    assert f is not None and f.verdict is Verdict.FAIL and "stop by 45 s" in f.message


def test_situation_with_no_clear_problem_warns(q: Question) -> None:
    card = run([(S, "I worked in a shop selling shoes."), *GOOD[1:]], q)
    assert verdict_of(card, "situation.concise") is Verdict.WARN


def test_task_scope_boundary_passes_in_the_task_or_situation_and_fails_when_absent(q: Question) -> None:
    assert verdict_of(run(GOOD, q), "task.scope_boundary") is Verdict.PASS
    in_situation = [(S, GOOD[0][1] + " It was not my team's problem."), (T, "I decided to fix it."), *GOOD[2:]]
    assert verdict_of(run(in_situation, q), "task.scope_boundary") is Verdict.PASS
    absent = [GOOD[0], (T, "I started investigating."), *GOOD[2:]]
    f = run(absent, q).finding("task.scope_boundary")
    assert f is not None and f.verdict is Verdict.FAIL and "assumes it was assigned" in f.message
    late = [GOOD[0], (T, "I started investigating."), *GOOD[2:4], (X, "Nobody had asked me, and I learned that handover checklists need an owner.")]
    assert verdict_of(run(late, q), "task.scope_boundary") is Verdict.WARN


def test_questions_that_do_not_ask_for_a_scope_boundary_only_warn() -> None:
    general = make_question(task_coaching="Say what you had to achieve.")
    absent = [GOOD[0], (T, "My task was to find out why and I was asked to fix it within a month."), *GOOD[2:]]
    card = run(absent, general)
    assert verdict_of(card, "task.scope_boundary") is Verdict.WARN
    assert verdict_of(card, "task.assigned") is Verdict.WARN
    assert card.verdict in HIGH  # no disqualifier cap for a question that is not about ownership


def test_routing_alongside_real_owned_work_only_warns(q: Question) -> None:
    action = ("I escalated it to the charge nurse for visibility. I pulled the incident reports. I drafted a checklist. "
              "I trained the night staff on it.")
    card = run([*GOOD[:2], (A, action), *GOOD[3:]], q)
    f = card.finding("action.routing")
    assert f is not None and f.verdict is Verdict.WARN and "you also did the work" in f.message
    assert card.verdict in HIGH


def test_assigned_disqualifier_fails_and_caps_the_verdict(q: Question) -> None:
    parts = [GOOD[0], (T, "It was not my team, but my manager suggested I look into this since I had bandwidth."), *GOOD[2:]]
    card = run(parts, q)
    f = card.finding("task.assigned")
    assert f is not None and f.verdict is Verdict.FAIL
    assert "my manager suggested" in f.message and f.evidence[0].text.startswith("It was not my team")
    assert card.overall >= 70  # everything else is strong...
    assert card.verdict == "Leaning No Hire"  # ...but assigned is a disqualifier
    assert "Assigned, not owned." in card.bar_raiser


def test_each_we_sentence_in_action_is_flagged_with_its_time(q: Question) -> None:
    action = "I pulled the incident reports. We mapped every missed dose. I drafted a checklist. I trained the night staff. I audited twenty handovers."
    card = run([*GOOD[:2], (A, action), *GOOD[3:]], q)
    f = card.finding("action.i_statements")
    assert f is not None and f.verdict is Verdict.WARN
    assert [e.text for e in f.evidence] == ["We mapped every missed dose."]
    assert "1 of 5" in f.message
    mostly_we = "We pulled the reports. We mapped the doses. I drafted a checklist."
    g = run([*GOOD[:2], (A, mostly_we), *GOOD[3:]], q).finding("action.i_statements")
    assert g is not None and g.verdict is Verdict.FAIL and len(g.evidence) == 2


def test_i_sentence_that_mentions_we_later_is_still_owned(q: Question) -> None:
    action = "I matched the waste to the prep list and found we prepped too much. I wrote a new list. I ran it for a month."
    assert verdict_of(run([*GOOD[:2], (A, action), *GOOD[3:]], q), "action.i_statements") is Verdict.PASS


def test_routing_instead_of_owning_is_flagged(q: Question) -> None:
    action = "I escalated it to the platform team. I sent them a Slack message. They handled it."
    card = run([*GOOD[:2], (A, action), *GOOD[3:]], q)
    f = card.finding("action.routing")
    assert f is not None and f.verdict is Verdict.FAIL
    assert len(f.evidence) == 3
    assert "Routed it instead of owning it." in card.bar_raiser


def test_action_depth_counts_concrete_owned_steps(q: Question) -> None:
    assert verdict_of(run(GOOD, q), "action.depth") is Verdict.PASS
    thin = [*GOOD[:2], (A, "I noticed it. I wrote a checklist."), *GOOD[3:]]
    assert verdict_of(run(thin, q), "action.depth") is Verdict.WARN


def test_key_moves_compare_the_action_with_the_pages_key_phrases_when_it_is_the_pages_story() -> None:
    seed = next(x for x in load_bank(paths.bank_dir()) if x.id == "disagree-and-commit")
    strong = strong_parts(seed)
    assert verdict_of(run(strong, seed), "action.key_moves") is Verdict.PASS
    other_moves = [(sec, text) if sec is not A else (A, "I restarted the webhook service. I cleared the queue. I watched the drop rate.")
                   for sec, text in strong]
    f = run(other_moves, seed).finding("action.key_moves")
    assert f is not None and f.verdict is Verdict.WARN and "\u2018I traced\u2019" in f.message  # the page's words


def test_key_moves_are_not_checked_on_a_story_of_the_candidates_own(q: Question) -> None:
    seed = next(x for x in load_bank(paths.bank_dir()) if x.id == "disagree-and-commit")
    f = run(GOOD, seed).finding("action.key_moves")  # a nursing story told for the webhook page's question
    assert f is not None and f.verdict is Verdict.NOT_MEASURED and "Your own story" in f.message


def test_result_components_metric_business_second_order(q: Question) -> None:
    card = run(GOOD, q)
    for check in ("result.metric_delta", "result.business", "result.second_order", "result.vague"):
        assert verdict_of(card, check) is Verdict.PASS
    bare = [*GOOD[:3], (R, "The error rate went from 5% to 1%."), GOOD[4]]
    card = run(bare, q)
    assert verdict_of(card, "result.metric_delta") is Verdict.PASS
    assert verdict_of(card, "result.business") is Verdict.FAIL
    assert verdict_of(card, "result.second_order") is Verdict.WARN
    one_number = [*GOOD[:3], (R, "It affected 40 patients in total."), GOOD[4]]
    assert verdict_of(run(one_number, q), "result.metric_delta") is Verdict.WARN


def test_things_got_better_and_the_team_was_happy_is_flagged(q: Question) -> None:
    card = run([*GOOD[:3], (R, "Things got better and the team was happy."), GOOD[4]], q)
    f = card.finding("result.vague")
    assert f is not None and f.verdict is Verdict.FAIL
    assert f.evidence[0].text == "Things got better and the team was happy."
    assert "Ends on 'the team was happy'." in card.bar_raiser or "Zero quantification." in card.bar_raiser


def test_generic_reflection_fails_and_unrelated_reflection_warns(q: Question) -> None:
    generic = run([*GOOD[:4], (X, "I learned that communication is important.")], q)
    f = generic.finding("reflection.specific")
    assert f is not None and f.verdict is Verdict.FAIL and "communication is important" in f.message
    unrelated = run([*GOOD[:4], (X, "I learned to enjoy gardening on weekends.")], q)
    assert verdict_of(unrelated, "reflection.specific") is Verdict.WARN
    assert verdict_of(run(GOOD, q), "reflection.specific") is Verdict.PASS


def test_systemic_cause_is_required_at_senior_level_only(q: Question) -> None:
    technical = [*GOOD[:4], (X, "I learned how to audit medication handovers and write a checklist for the night staff.")]
    senior = run(technical, q, Level.SENIOR)
    assert verdict_of(senior, "reflection.systemic") is Verdict.FAIL
    assert run(technical, q, Level.SDE2).finding("reflection.systemic") is None
    assert verdict_of(run(GOOD, q, Level.SENIOR), "reflection.systemic") is Verdict.PASS


def test_timing_marks_sections_over_under_and_missing(q: Question) -> None:
    card = run(GOOD[:4], q)  # no Reflection
    assert verdict_of(card, "timing.reflection") is Verdict.FAIL
    assert card.sections[SECTION_ORDER.index(Section.REFLECTION)].timing == "missing"
    assert card.sections[SECTION_ORDER.index(Section.ACTION)].timing == "under"
    assert verdict_of(card, "timing.action") is Verdict.WARN
    # The seeds' 175 s of targets are scaled to the level's budget (SDE 2 here: at most 150 s).
    assert card.target_scale == pytest.approx(150 / 175, abs=1e-3)
    assert card.sections[SECTION_ORDER.index(Section.SITUATION)].target_s == pytest.approx(30.0 * 150 / 175, abs=0.05)
    assert sum(s.target_s for s in card.sections) == pytest.approx(card.delivery.budget_max_s, abs=0.3)


def test_at_senior_level_the_seeds_targets_are_kept(q: Question) -> None:
    card = run(GOOD, q, Level.SENIOR)
    assert card.target_scale == 1.0 and [s.target_s for s in card.sections] == [30.0, 20.0, 90.0, 20.0, 15.0]


def test_total_far_under_the_level_budget_fails(q: Question) -> None:
    card = run([(A, "I fixed it. I tested it. I shipped it.")], q, Level.SENIOR)
    f = card.finding("timing.total")
    assert f is not None and f.verdict is Verdict.FAIL and "2.5-3 min" in f.message
    assert card.delivery.budget_min_s == 150.0 and card.delivery.total_timing == "under"


# --- delivery ----------------------------------------------------------------------------------------------------


def test_pace_is_reported_overall_and_per_section(q: Question) -> None:
    card = run(GOOD, q, wpm=150)
    assert card.delivery.wpm is not None and 110 < card.delivery.wpm < 185
    assert verdict_of(card, "delivery.pace") is Verdict.PASS
    assert all(s.wpm is not None for s in card.sections)
    slow = run(GOOD, q, wpm=80)
    assert verdict_of(slow, "delivery.pace") is Verdict.WARN


def test_no_fillers_heard_is_not_measurable_rather_than_none(q: Question) -> None:
    card = run(GOOD, q)
    f = card.finding("delivery.fillers")
    assert f is not None and f.verdict is Verdict.NOT_MEASURED
    assert "not proof there were none" in f.message
    assert card.delivery.fillers_per_100_words is None and not card.delivery.fillers_reliable


def test_fillers_heard_are_a_lower_bound_unless_the_pass_was_filler_aware(q: Question) -> None:
    um = [(sec, " ".join(f"um, {w}" if i % 8 == 0 else w for i, w in enumerate(text.split()))) for sec, text in GOOD]
    a = build(um)
    card = score(analyse(a.transcript, q, Level.SDE2, a.spans), q)
    f = card.finding("delivery.fillers")
    assert f is not None and f.verdict in (Verdict.WARN, Verdict.FAIL)
    assert f.message.startswith("At least") and "Whisper drops" in f.message
    assert card.delivery.filler_count > 10 and not card.delivery.fillers_reliable
    aware = score(analyse(_heard_everything(a.transcript), q, Level.SDE2, a.spans), q)
    g = aware.finding("delivery.fillers")
    assert g is not None and not g.message.startswith("At least") and aware.delivery.fillers_reliable
    clean = build(GOOD)
    clean_aware = score(analyse(_heard_everything(clean.transcript), q, Level.SDE2, clean.spans), q)
    assert verdict_of(clean_aware, "delivery.fillers") is Verdict.PASS
    assert clean_aware.delivery.fillers_per_100_words == 0.0


def _heard_everything(t: Transcript) -> Transcript:
    """As from the filler-prompt pass, with voice activity that every word accounts for."""
    return replace(t, heard_fillers=True, voiced=tuple((w.start_s, w.end_s) for w in t.words))


def test_voiced_time_without_words_keeps_the_filler_count_a_lower_bound(q: Question) -> None:
    a = build(GOOD)
    heard = _heard_everything(a.transcript)
    last = heard.words[-1]
    mumbled = replace(heard, voiced=(*heard.voiced, (last.end_s + 1.0, last.end_s + 4.0)), duration_s=last.end_s + 5)
    card = score(analyse(mumbled, q, Level.SDE2, a.spans), q)
    assert not card.delivery.fillers_reliable
    assert verdict_of(card, "delivery.fillers") is Verdict.NOT_MEASURED


def test_pauses_come_from_voice_activity_when_the_recording_was_analysed(q: Question) -> None:
    a = build(GOOD)
    words = a.transcript.words
    # Voice activity says there is a 3 s silence after word 40, which the word times do not show.
    voiced = ((words[0].start_s, words[40].end_s), (words[40].end_s + 3.0, words[-1].end_s))
    card = score(analyse(replace(a.transcript, voiced=voiced), q, Level.SDE2, a.spans), q)
    f = card.finding("delivery.pauses")
    assert f is not None and f.message.startswith("1 pause over 2 s (measured from voice activity)")
    resumed = next(w for w in words if w.start_s >= words[40].end_s + 3.0 - 0.45)  # word times are ±0.45 s
    assert f.evidence[0].start_s == pytest.approx(resumed.start_s) and f.evidence[0].text.startswith(resumed.text)
    assert f.evidence[0].note == "after a 3.0 s pause"


def test_pauses_over_two_seconds_are_counted_from_word_gaps_with_their_sentence(q: Question) -> None:
    a = build(GOOD, pause_before={30: 2.6, 60: 3.0, 61: 1.0, 90: 4.0})
    card = score(analyse(a.transcript, q, Level.SDE2, a.spans), q)
    f = card.finding("delivery.pauses")
    assert f is not None and f.verdict is Verdict.WARN
    assert card.delivery.long_pauses == 3
    assert f.evidence[0].start_s == a.transcript.words[30].start_s
    assert f.evidence[0].text.startswith("a staff nurse") and re.match(r"after a 2\.\d s pause", f.evidence[0].note)
    assert "0.45" in f.message


def test_hedges_are_counted_and_cited(q: Question) -> None:
    parts = [*GOOD[:3], (R, "Missed doses kind of fell from four a week to zero, I think maybe. Patients were probably safer."), GOOD[4]]
    card = run(parts, q)
    f = card.finding("delivery.hedges")
    assert f is not None and f.verdict is Verdict.FAIL
    assert card.delivery.hedges == 3
    assert len(f.evidence) == 2


# --- scores, verdict, fixes, LP ------------------------------------------------------------------------------------


def test_fixes_are_the_three_costliest_failures_in_order(q: Question) -> None:
    card = run(PAIRS["nursing-handover"][1], q)
    assert len(card.fixes) == 3
    assert card.fixes[0].check in ("action.i_statements", "action.routing", "task.assigned", "result.metric_delta")
    assert all(card.finding(fx.check).verdict is Verdict.FAIL for fx in card.fixes)  # type: ignore[union-attr]
    assert card.fixes[0].text == load_rubric().check(card.fixes[0].check).fix


def test_timing_fixes_carry_the_target_and_the_measured_time() -> None:
    card = run(GOOD, make_question(), Level.SENIOR)
    timing = [fx for fx in card.fixes if fx.check.startswith("timing.")]
    assert timing and all("(now " in fx.text for fx in timing)
    assert any(fx.text.startswith("Give the Situation about 30 s (now 10 s)") for fx in timing)


def test_a_section_is_not_told_to_grow_while_the_whole_answer_is_over_budget() -> None:
    long_situation = " ".join(["The ward had forty beds and three wings and the night shift ran short every week."] * 22)
    card = run([(S, long_situation), (T, GOOD[1][1]), (A, "I rewrote the rota."), (R, GOOD[3][1])], make_question(), Level.SDE1)
    assert card.delivery.total_timing == "over"
    assert not any(fx.text.startswith(("Give the", "Add a ")) and "short" not in fx.text for fx in card.fixes)
    assert any("Cut the Situation" in fx.text or "within" in fx.text for fx in card.fixes)


def test_strong_answer_has_no_fixes_from_content() -> None:
    card = run(GOOD, make_question())
    assert all(not fx.check.startswith(CONTENT) for fx in card.fixes)


def test_lp_angle_weights_the_findings() -> None:
    q = make_question(lp_angles=(("Ownership", "Scope.", "Team."), ("Deliver Results", "Numbers.", "Tech.")))
    no_scope = [GOOD[0], (T, "I started investigating."), *GOOD[2:]]
    a = build(no_scope)
    plain = score(analyse(a.transcript, q, Level.SDE2, a.spans), q)
    owner = score(analyse(a.transcript, q, Level.SDE2, a.spans), q, lp="ownership")
    results = score(analyse(a.transcript, q, Level.SDE2, a.spans), q, lp="Deliver Results")
    assert owner.overall < plain.overall < results.overall
    assert owner.lp == "Ownership"
    assert owner.bar_raiser.endswith("for Ownership.")
    no_numbers = [*GOOD[:3], (R, "The handovers were much smoother for everyone after that."), GOOD[4]]
    b = build(no_numbers)
    assert score(analyse(b.transcript, q, Level.SDE2, b.spans), q, lp="Deliver Results").overall < score(analyse(b.transcript, q, Level.SDE2, b.spans), q).overall


def test_unknown_lp_angle_is_a_programming_error(q: Question) -> None:
    a = build(GOOD)
    with pytest.raises(ValueError, match="not an LP angle"):
        score(analyse(a.transcript, q, Level.SDE2, a.spans), q, lp="Frugality")


def test_section_scores_are_0_to_100_and_overall_is_their_weighted_blend(q: Question) -> None:
    for parts in (GOOD, PAIRS["nursing-handover"][1]):
        card = run(parts, q)
        assert all(0 <= s.score <= 100 for s in card.sections)
        assert 0 <= card.overall <= 100 and 0 <= card.delivery_score <= 100
    assert run(GOOD, q).sections[SECTION_ORDER.index(Section.ACTION)].score > run(PAIRS["nursing-handover"][1], q).sections[SECTION_ORDER.index(Section.ACTION)].score


def test_scorecard_round_trips_through_json(q: Question) -> None:
    card = run(PAIRS["logistics-late-deliveries"][1], q, Level.SENIOR)
    data = json.loads(json.dumps(card.to_dict()))
    assert data["rubric_version"] == rubric.RUBRIC_VERSION
    assert Scorecard.from_dict(data) == card


def test_scoring_is_deterministic(q: Question) -> None:
    assert run(GOOD, q).to_dict() == run(GOOD, q).to_dict()


# --- the whole pipeline on synthesised speech ---------------------------------------------------------------


@pytest.fixture(scope="module")
def whisper() -> object:
    import shutil

    from mockint.model import model_status

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    if not model_status().is_ready:
        pytest.skip("the bundled speech model is not assembled (run scripts/setup.sh)")
    from mockint.asr import WhisperTranscriber

    return WhisperTranscriber()


def spoken(text: str, folder: Path, name: str, transcriber: object) -> Transcript:
    import subprocess

    from mockint.audio import load_audio

    wav = folder / f"{name}.wav"
    subprocess.run(["espeak-ng", "-s", "160", "-w", str(wav), text], check=True, capture_output=True)
    return transcriber.transcribe(load_audio(wav))  # type: ignore[attr-defined, no-any-return]


def test_seed_strong_and_weak_answers_spoken_by_espeak_get_the_right_verdicts(
    bank: dict[str, Question], whisper: object, tmp_path: Path
) -> None:
    q = bank["disagree-and-commit"]
    strong_text = " ".join(text for _, text in strong_parts(q))
    strong_t = spoken(strong_text, tmp_path, "strong", whisper)
    strong = score(analyse(strong_t, q, Level.SENIOR), q)
    assert strong.verdict in HIGH, strong.bar_raiser
    assert not [f.check for f in strong.findings if f.check.startswith(CONTENT) and f.verdict is Verdict.FAIL]

    weak_t = spoken(q.weak_answer.text, tmp_path, "weak", whisper)
    weak = score(analyse(weak_t, q, Level.SDE2), q)
    assert weak.verdict in LOW, weak.bar_raiser
    routing = weak.finding("action.routing")
    assert routing is not None and routing.verdict is Verdict.FAIL
    assert any("escalated it to the platform team" in e.text.casefold() for e in routing.evidence)
    assert verdict_of(weak, "result.metric_delta") is Verdict.FAIL
    assert verdict_of(weak, "result.vague") is Verdict.FAIL
    assert strong.overall - weak.overall > 40


def test_a_hire_with_one_failed_check_is_not_told_it_fails_on_content(q: Question) -> None:
    technical = [*GOOD[:4], (X, "I learned how to audit medication handovers and write a checklist for the night staff.")]
    card = run(technical, q, Level.SENIOR)
    assert verdict_of(card, "reflection.systemic") is Verdict.FAIL
    assert card.verdict in ("Strong Hire", "Hire"), card.overall
    assert not card.bar_raiser.startswith("Sounds competent but fails on content")
    assert card.bar_raiser.endswith(f"{card.verdict} for this LP.")


def test_an_architecture_tour_is_flagged_even_when_it_mentions_problem_words() -> None:
    q = next(x for x in load_bank(paths.bank_dir()) if x.id == "refused-to-ship")
    tour = ("Our checkout runs on microservices behind an API gateway with a Kafka cluster in the middle, and high "
            "throughput on every topic. Each service has its own database and a Redis cache in front of it, and the "
            "notification service sits downstream and reads three topics. We deploy on Kubernetes with forty nodes, "
            "and the backend calls a legacy billing monolith through a thin adapter layer. About zero point three "
            "percent of the webhooks were being dropped, so merchants saw late payment confirmations.")
    card = run([(S, tour), (T, "Nobody had asked me and it was not my team's service."),
                (A, "I pulled the logs. I found the retry bug. I wrote the fix and I added an alert."),
                (R, "Drops went from 0.3% to zero and we recovered about eight thousand dollars a week.")], q)
    f = card.finding("situation.concise")
    assert f is not None and f.verdict is Verdict.FAIL and f.message.startswith("Architecture tour before the problem")
    assert any(e.text.startswith("About zero point three percent") for e in f.evidence)
