"""The section shown while the candidate speaks: settled, never flipping back on a whim, never "over" on a
guess. Fed transcript-so-far streams built from labelled answers (no model, no clock)."""

from __future__ import annotations

import json
from pathlib import Path

from answers import Answer, build
from following import Fed, Shown, follow_score

from mockint.livesection import Current, Pace, SectionFollower, SettleOptions, pace, spans_so_far
from mockint.star import Section, Span, segment
from mockint.transcript import Transcript, Word

S, T, A, R, X = Section
TARGETS = dict(zip(Section, (26.0, 17.0, 77.0, 17.0, 13.0), strict=True))  # SDE 2: the seeds' targets scaled
DEV = Path(__file__).resolve().parent.parent / "scripts/data/star_dev.json"

# The practice screen test's answer (tests/test_screens.py), section by section.
SPOKEN = (
    (S, "At my last company I was a backend engineer on the payments team. Our checkout service was timing out "
        "for about two percent of customers every evening, and support tickets were piling up each night."),
    (T, "Nobody had asked me to look at it and there was no ticket. But I owned the checkout code, so I decided "
        "it was my problem to fix."),
    (A, "First I added tracing to every call in the checkout flow. Then I found one query that scanned the whole "
        "orders table on every request. I rewrote the query and added an index on the customer column. I load "
        "tested the change against a copy of production traffic. I wrote a runbook for the on call engineers, "
        "and I rolled the fix out behind a feature flag over two days."),
    (R, "As a result the timeouts dropped from two percent to under zero point one percent. We recovered about "
        "forty thousand dollars of orders every month."),
    (X, "Looking back, the lesson I learned is to instrument a service before guessing. Now I add tracing to "
        "every new endpoint I build."),
)  # fmt: skip


def stream(answer: Answer, *, every_s: float, behind_s: float, follower: SectionFollower | None = None) -> list[Shown]:
    """Follow `answer` as the live view would: a transcript of the words finished `behind_s` ago arrives every
    `every_s` seconds; what is shown is sampled every quarter second."""
    follower = follower or SectionFollower()
    words = answer.transcript.words
    shown: list[Shown] = []
    t, next_update = 0.0, every_s
    while t <= words[-1].end_s:
        while next_update <= t:
            heard = tuple(w for w in words if w.end_s <= next_update - behind_s)
            follower.heard(Transcript(heard, next_update - behind_s))
            next_update += every_s
        current = follower.current
        is_over = current is not None and pace(current, t, TARGETS[current.section]) is Pace.OVER
        shown.append(Shown(t, current.section if current else None, is_over))
        t += 0.25
    return shown


def fed(answer: Answer) -> list[Fed]:
    return [Fed(s.section, s.start_s, s.end_s) for s in answer.spans]


def dev_answers() -> list[Answer]:
    data = json.loads(DEV.read_text(encoding="utf-8"))
    return [build([(Section(s["label"]), s["text"]) for s in a["sections"]], wpm=150) for a in data]


def _span(section: Section, start_s: float, words: int) -> Span:
    ws = tuple(Word(f"w{i}", start_s + i * 0.4, start_s + i * 0.4 + 0.3) for i in range(words))
    return Span(section, start_s, ws[-1].end_s, ws)


def test_a_later_section_needs_a_few_words_before_it_is_shown() -> None:
    f = SectionFollower()
    assert f.update([]) is None
    assert f.update([_span(S, 0.5, 2)]) == Current(S, 0.5, _span(S, 0.5, 2).words[-1].end_s)  # the first words: at once
    assert f.update([_span(S, 0.5, 9), _span(T, 4.1, 2)]).section is S  # two words of a Task: not yet
    assert f.update([_span(S, 0.5, 9), _span(T, 4.1, 5)]).section is T


def test_moving_back_takes_three_transcripts_in_a_row() -> None:
    f = SectionFollower()
    f.update([_span(S, 0.5, 20), _span(A, 9.0, 8)])
    assert f.current is not None and f.current.section is A
    for _ in range(2):
        assert f.update([_span(S, 0.5, 20), _span(T, 9.0, 10)]).section is A  # the segmenter changed its mind
    assert f.update([_span(S, 0.5, 20), _span(T, 9.0, 12)]).section is T  # ...and kept to it


def test_the_clock_keeps_its_start_while_the_section_boundary_wobbles() -> None:
    f = SectionFollower()
    f.update([_span(S, 0.5, 20), _span(A, 9.0, 8)])
    current = f.update([_span(S, 0.5, 22), _span(A, 10.2, 12)])
    assert current is not None and current.start_s == 9.0 and current.heard_until_s > 14.0


def test_over_and_at_target_are_judged_on_the_words_heard_not_the_clock() -> None:
    c = Current(R, 50.0, 60.0)  # 10 s of Result heard so far; target 17 s
    assert pace(c, 55.0, 17.0) is Pace.ON_TIME
    assert pace(c, 70.0, 17.0) is Pace.UNSURE  # the clock says 20 s, but the speaker may have moved on
    assert pace(Current(R, 50.0, 68.5), 70.0, 17.0) is Pace.AT_TARGET
    assert pace(Current(R, 50.0, 72.0), 72.0, 17.0) is Pace.OVER  # past target + 25%, as the debrief judges


def test_a_task_just_begun_is_not_taken_for_the_result() -> None:
    """The issue's bug: on the words so far, the newest sentence always sat at the end of the answer."""
    answer = build([(S, SPOKEN[0][1]), (T, SPOKEN[1][1])], wpm=140)
    assert segment(answer.transcript)[-1].section is not T  # segmented as a whole answer: Action
    assert [s.section for s in spans_so_far(answer.transcript)] == [S, T]
    just_begun = build([(S, SPOKEN[0][1]), (T, SPOKEN[1][1].split(". ")[0] + ".")], wpm=140)
    assert segment(just_begun.transcript)[-1].section is R  # what the view used to show
    assert spans_so_far(just_begun.transcript)[-1].section is not R  # (kept in the Situation until it says more)


def test_the_spans_so_far_hold_only_the_words_heard() -> None:
    answer = build([(S, SPOKEN[0][1]), (T, SPOKEN[1][1])])
    spans = spans_so_far(answer.transcript)
    assert [w for s in spans for w in s.words] == list(answer.transcript.words)
    assert spans[-1].end_s == answer.transcript.words[-1].end_s
    assert spans_so_far(Transcript((), 0.0)) == ()


def test_the_practice_answer_is_followed_at_draft_pace() -> None:
    """Sections of about 15/10/30/12/10 s, transcripts every 2.5 s, 1.5 s behind: the label is right (or at
    most 3 s late) most of the time, never flips back, and is never "over" while within its target."""
    answer = build(SPOKEN, wpm=140, sentence_gap_s=0.8, section_gap_s=0.3)
    result = follow_score(stream(answer, every_s=2.5, behind_s=1.5), fed(answer), TARGETS)
    assert result.right_share >= 0.8, result
    assert result.back_moves == 0 and result.false_overs == ()


def test_labelled_answers_by_another_writer_are_followed_most_of_the_time() -> None:
    """60 labelled answers of another writer (67 s on average, some sections of a single sentence). The live
    model was trained on them among 740 (at half weight); on 80 answers it never saw (scripts/data/heldout)
    the label was right 67% of the time (README)."""
    answers = dev_answers()
    settled = [follow_score(stream(a, every_s=2.5, behind_s=1.5), fed(a), TARGETS) for a in answers]
    naive = [follow_score(_naive(a), fed(a), TARGETS) for a in answers[:20]]
    mean = sum(r.right_share for r in settled) / len(settled)
    assert mean >= 0.74, mean  # 0.779 measured
    # The last span of the whole-answer segmenter alone was right about a quarter of the time (it calls a
    # Task just begun "Result"); settling and the live model must do better.
    assert mean >= sum(r.right_share for r in naive) / len(naive)
    assert sum(r.back_moves for r in settled) <= len(answers) // 4  # a flip back is rare
    assert sum(len(r.false_overs) for r in settled) <= sum(r.moments for r in settled) // 100


def test_waiting_for_a_second_transcript_before_a_move_forward_costs_more_than_it_saves() -> None:
    answers = dev_answers()[:20]
    default = [follow_score(stream(a, every_s=2.5, behind_s=1.5), fed(a), TARGETS) for a in answers]
    slower = SettleOptions(confirmations=2)
    later = [follow_score(stream(a, every_s=2.5, behind_s=1.5, follower=SectionFollower(slower)), fed(a), TARGETS)
             for a in answers]  # fmt: skip
    assert sum(r.right_share for r in later) < sum(r.right_share for r in default)


def _naive(answer: Answer) -> list[Shown]:
    """What the view showed before: the last span of segment() on each transcript so far, unsettled."""
    words = answer.transcript.words
    shown, label, t, next_update = [], None, 0.0, 2.5
    while t <= words[-1].end_s:
        while next_update <= t:
            heard = tuple(w for w in words if w.end_s <= next_update - 1.5)
            spans = segment(Transcript(heard, next_update - 1.5))
            label = spans[-1].section if spans else None
            next_update += 2.5
        shown.append(Shown(t, label))
        t += 0.25
    return shown
