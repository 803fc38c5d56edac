"""STAR detection and timing on transcripts (pure: words with times in, spans out)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mockint.star import SECTION_ORDER, Section, Span, segment
from mockint.timing import DEFAULT_TARGETS_S, TimingStatus, time_sections, time_total
from mockint.transcript import Transcript, Word

S, T, A, R, X = SECTION_ORDER


def spoken(*parts: tuple[Section, str], wpm: float = 150.0, sentence_pause_s: float = 0.35,
           section_pause_s: float = 0.35) -> tuple[Transcript, list[Section]]:
    """A transcript of labelled text with estimated word times, and the true label of each word."""
    words: list[Word] = []
    labels: list[Section] = []
    t = 0.0
    per_word_s = 60.0 / wpm
    for k, (section, text) in enumerate(parts):
        if k:
            t += section_pause_s - sentence_pause_s
        for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
            for w in sentence.split():
                words.append(Word(w, t, t + per_word_s * 0.85))
                labels.append(section)
                t += per_word_s
            t += sentence_pause_s
    return Transcript(tuple(words), t), labels


def predicted(spans: tuple[Span, ...]) -> list[Section]:
    return [s.section for s in spans for _ in s.words]


def accuracy(spans: tuple[Span, ...], labels: list[Section]) -> float:
    got = predicted(spans)
    return sum(a == b for a, b in zip(got, labels)) / len(labels)


SEED = (
    (S, "At Amazon, I observed a 0.3% webhook drop rate in the Platform team's payment notification service "
        "causing delayed payment confirmations. This was outside my team's scope and had no existing ticket or alert."),
    (T, "This service belonged to the Platform team - not my team. No ticket existed and nobody had asked me to "
        "investigate the webhook drop issue, but I decided to take ownership and fix it."),
    (A, "I pulled the webhook delivery logs to analyze failure patterns. I traced the root cause to intermittent "
        "network timeouts in the Platform team's service. I reproduced the failure locally to confirm the issue. "
        "I wrote a minimal fix adding retry logic with exponential backoff. I added a dead letter queue alert to "
        "catch future drops. I submitted a ready-to-merge PR to the Platform team and coordinated the rollout."),
    (R, "The webhook drop rate dropped from 0.3% to zero. The post-mortem estimated this recovered $8K in weekly "
        "revenue by preventing delayed payments. The Platform team adopted my dead letter queue alert pattern as "
        "a standard in their webhook templates, improving overall reliability."),
    (X, "The root cause was an organizational gap: no shared webhook reliability SLO across teams. This lack of "
        "shared visibility into cross-team payment health created systemic risk beyond just code issues."),
)


def test_segment_empty_transcript_gives_no_spans() -> None:
    assert segment(Transcript((), 0.0)) == ()


def test_segment_finds_all_five_sections_of_the_seed_strong_example() -> None:
    transcript, labels = spoken(*SEED)
    spans = segment(transcript)
    assert [s.section for s in spans] == list(SECTION_ORDER)
    assert accuracy(spans, labels) >= 0.9


def test_span_ends_where_the_next_section_starts_and_the_last_at_its_last_word() -> None:
    transcript, _ = spoken(*SEED, section_pause_s=1.5)
    spans = segment(transcript)
    for a, b in zip(spans, spans[1:]):
        assert a.end_s == b.start_s == b.words[0].start_s
    assert spans[-1].end_s == transcript.words[-1].end_s


def test_segment_three_minute_transcript_is_fast() -> None:
    transcript, _ = spoken(*(SEED * 3))
    assert transcript.duration_s > 180
    segment(transcript)  # warm the compiled cue table
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        segment(transcript)
        timings.append(time.perf_counter() - t0)
    assert min(timings) < 0.025  # "well under 50 ms" (best of 5: other processes share the CPU)


# --- timing ------------------------------------------------------------------------------------------


def _span(section: Section, start_s: float, end_s: float) -> Span:
    return Span(section, start_s, end_s, (Word("x", start_s, end_s),))


def test_time_sections_reports_all_five_with_missing_over_under_and_ok() -> None:
    spans = (_span(S, 0, 30), _span(A, 30, 150), _span(R, 150, 155))
    timings = time_sections(spans, DEFAULT_TARGETS_S)
    assert [t.section for t in timings] == list(SECTION_ORDER)
    by = {t.section: t for t in timings}
    assert by[S].status is TimingStatus.OK and by[S].duration_s == 30
    assert by[T].status is TimingStatus.MISSING and by[T].duration_s is None
    assert by[A].status is TimingStatus.OVER
    assert by[R].status is TimingStatus.UNDER
    assert by[X].status is TimingStatus.MISSING


def test_time_total_against_budget() -> None:
    spans = (_span(S, 0.5, 60), _span(A, 60, 130.5))
    assert time_total(spans, 90, 120).status is TimingStatus.OVER
    assert time_total(spans, 150, 180).status is TimingStatus.UNDER
    ok = time_total(spans, 120, 150)
    assert ok.status is TimingStatus.OK and ok.duration_s == pytest.approx(130.0)
    assert time_total((), 90, 120).status is TimingStatus.MISSING


# --- what people actually say ------------------------------------------------------------------------


def sections_of(spans: tuple[Span, ...]) -> list[Section]:
    return [s.section for s in spans]


def test_no_punctuation_fillers_and_restarts_still_find_the_sections() -> None:
    transcript, labels = spoken(
        (S, "um so I was working at a garden centre uh last spring and we had a new till system that kept "
            "crashing on weekends when it was busiest"),
        (T, "and I was the supervisor on Saturdays so it was my job to keep the queues moving"),
        (A, "so I I called the vendor's support line and I wrote down every error code and then I set up a "
            "paper backup with a card reader and I trained two of the staff on it"),
        (R, "and in the end the vendor found a bug in their update and the crashes stopped and we didn't lose "
            "any weekend sales after that"),
        (X, "looking back I learned to always have a manual fallback for anything that takes money"),
    )
    spans = segment(transcript)
    assert sections_of(spans) == list(SECTION_ORDER)
    assert accuracy(spans, labels) >= 0.85


def test_we_story_with_so_and_then_finds_action() -> None:
    transcript, labels = spoken(
        (S, "So we were a team of four running the front desk at a dental practice, and patients kept missing "
            "appointments."),
        (A, "So we started calling everyone the day before. And then we added text reminders. And then we "
            "moved the reminder calls to the afternoon when people actually picked up."),
        (R, "Missed appointments went down from about fifteen a week to four."),
    )
    spans = segment(transcript)
    assert sections_of(spans) == [S, A, R]
    assert accuracy(spans, labels) >= 0.85


def test_answer_without_task_or_reflection_does_not_invent_them() -> None:
    transcript, _ = spoken(
        (S, "I was a waiter at a busy seafood restaurant and one evening a guest told me she had a severe "
            "shellfish allergy after she had already ordered."),
        (A, "I went straight to the kitchen and told the chef. He started her dish again on a clean station "
            "and I carried it out myself."),
        (R, "She had no reaction at all, and she left a really nice review that mentioned me by name."),
    )
    spans = segment(transcript)
    assert T not in sections_of(spans) and X not in sections_of(spans)


def test_answer_without_result_does_not_invent_one() -> None:
    transcript, _ = spoken(
        (S, "At my last job in a bank branch, an older customer came in upset because she couldn't use the "
            "new app."),
        (T, "I wanted to make sure she could do her banking without coming in every week."),
        (A, "I sat with her for half an hour and went through the app step by step. I wrote the steps on a "
            "card for her, and I booked a follow up call for the next week."),
        (X, "Looking back, I learned that a new system is only as good as the help people get with it."),
    )
    spans = segment(transcript)
    # No outcome was told: the closing turn is the Reflection, and at most the last step reads as an outcome.
    assert sections_of(spans)[-1] == X and sections_of(spans)[:3] == [S, T, A]
    assert sum(len(s.words) for s in spans if s.section is R) <= 12


def test_signposted_answer_is_split_at_its_signposts() -> None:
    transcript, labels = spoken(
        (S, "The situation was that our library's book returns were taking a week to get back on the shelves."),
        (T, "My task was to cut that to two days."),
        (A, "What I did was set up a sorting trolley by floor and a rota for shelving every afternoon."),
        (R, "As a result books were back on the shelves within a day and a half."),
        (X, "Looking back, what I learned is that small routines beat big projects."),
    )
    spans = segment(transcript)
    assert sections_of(spans) == list(SECTION_ORDER)
    assert accuracy(spans, labels) == 1.0


def test_long_action_and_short_situation() -> None:
    action = " ".join(
        f"Then I {verb} the {thing}." for verb, thing in (
            ("checked", "rota"), ("called", "agency"), ("rebooked", "courier"), ("moved", "stock"),
            ("emailed", "customers"), ("updated", "website"), ("briefed", "team"), ("counted", "returns"),
        )
    )  # fmt: skip
    transcript, labels = spoken(
        (S, "Our warehouse flooded."),
        (A, "First I cleared the loading bay. " + action),
        (R, "We shipped every order on time that week."),
    )
    spans = segment(transcript)
    assert sections_of(spans) == [S, A, R]
    assert accuracy(spans, labels) >= 0.85


# --- properties ------------------------------------------------------------------------------------------

_VOCAB = (
    "so I was working at a shop and my task was to fix the queue . I called the manager then I wrote a plan "
    "as a result sales went up 20% looking back I learned to ask early um uh we had no ticket nobody asked"
).split()


@st.composite
def transcripts(draw: st.DrawFn) -> Transcript:
    tokens = draw(st.lists(st.sampled_from(_VOCAB), min_size=0, max_size=120))
    words = []
    t = draw(st.floats(0, 5))
    for token in tokens:
        t += draw(st.sampled_from((0.0, 0.05, 0.3, 0.8, 2.0)))
        d = draw(st.floats(0.05, 0.6))
        words.append(Word(token, t, t + d))
        t += d
    return Transcript(tuple(words), t + 1.0)


_HEADLINE_FOUND = Transcript(tuple(Word(t, a, b, 1.0) for t, a, b in (
    ("result", 0.0, 0.5), ("so", 0.5, 1.0), ("so", 1.0, 1.5), ("so", 1.5, 2.0), ("so", 2.8, 3.3), ("so", 4.1, 4.6),
    ("I", 4.6, 5.1), ("so", 5.1, 5.6))), 6.6)  # found by hypothesis: a headline Result, then the Action


@settings(max_examples=200, deadline=None)
@given(transcripts())
@example(_HEADLINE_FOUND)
def test_spans_are_ordered_non_overlapping_cover_every_word_and_add_up(transcript: Transcript) -> None:
    spans = segment(transcript)
    if not transcript.words:
        assert spans == ()
        return
    assert tuple(w for s in spans for w in s.words) == transcript.words
    order = [SECTION_ORDER.index(s.section) for s in spans]
    if len(spans) > 1 and spans[0].section is Section.RESULT:
        order = order[1:]  # a headline: the result told first, then the story (LABELLING.md)
    assert order == sorted(set(order))
    for a, b in zip(spans, spans[1:]):
        assert a.end_s == b.start_s
    assert all(s.start_s == s.words[0].start_s and s.duration_s >= 0 for s in spans)
    assert spans[-1].end_s == transcript.words[-1].end_s
    total = sum(s.duration_s for s in spans)
    assert total == pytest.approx(transcript.words[-1].end_s - transcript.words[0].start_s)
    assert time_total(spans, 0, 1e9).duration_s == pytest.approx(total)
    timed = {t.section: t.duration_s for t in time_sections(spans)}
    assert sum(d for d in timed.values() if d is not None) == pytest.approx(total)


def test_fillers_only_answer_is_one_span_and_fillers_join_their_neighbours() -> None:
    only_fillers = Transcript((Word("Um,", 0.0, 0.3), Word("uh.", 1.5, 1.8)), 2.0)
    spans = segment(only_fillers)
    assert len(spans) == 1 and spans[0].words == only_fillers.words
    transcript, _ = spoken(*SEED)
    before, after = transcript.words[:30], transcript.words[30:]
    um = Word("Um.", before[-1].end_s + 0.1, before[-1].end_s + 0.4)
    shifted = tuple(Word(w.text, w.start_s + 0.5, w.end_s + 0.5) for w in after)
    padded = Transcript(before + (um,) + shifted, transcript.duration_s + 0.5)
    filler_span = next(s for s in segment(padded) if any(w.text == "Um." for w in s.words))
    assert len(filler_span.words) > 1


# --- real recognised speech (tests/data/transcripts: Whisper on espeak-ng, with true sentence times) ----

TRANSCRIPTS = sorted((Path(__file__).parent / "data" / "transcripts").glob("*.json"))


KNOWN_MISSES: set[str] = set()  # stems of transcripts the segmenter is known to get wrong, with the reason


@pytest.mark.parametrize(
    "path", [pytest.param(p, marks=pytest.mark.xfail(strict=True, reason="known miss")) if p.stem in KNOWN_MISSES else p
             for p in TRANSCRIPTS], ids=lambda p: p.stem,
)
def test_recognised_answers_get_exactly_their_sections(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    transcript = Transcript.from_dict(data["transcript"])
    sentences = [(Section(s["section"]), s["start_s"], s["end_s"]) for s in data["sentences"]]

    def truth(word: Word) -> Section:
        mid = (word.start_s + word.end_s) / 2
        return min(sentences, key=lambda s: 0.0 if s[1] <= mid <= s[2] else min(abs(mid - s[1]), abs(mid - s[2])))[0]

    labels = [truth(w) for w in transcript.words]
    spans = segment(transcript)
    # Never a section the answer does not have; at most one it has is missed; most words right.
    assert set(sections_of(spans)) <= set(labels), data["note"]
    assert len(set(labels) - set(sections_of(spans))) <= 1, data["note"]
    assert accuracy(spans, labels) >= 0.8


def test_a_few_stray_words_at_the_end_do_not_make_a_section() -> None:
    transcript, _ = spoken(
        (S, "I was a porter at a hospital and the lifts kept breaking down at night."),
        (A, "I logged every breakdown with the time. Then I took the log to the estates manager and I asked "
            "for a night engineer."),
        (R, "They put an engineer on nights and the breakdowns went down by half."),
    )
    last = transcript.words[-1]
    stray = tuple(Word(w, last.end_s + 0.3 + 0.3 * k, last.end_s + 0.5 + 0.3 * k)
                  for k, w in enumerate(("but", "where", "I", "live.")))
    spans = segment(Transcript(transcript.words + stray, transcript.duration_s + 2))
    assert sections_of(spans) == [S, A, R]
    assert spans[-1].words[-1].text == "live."
