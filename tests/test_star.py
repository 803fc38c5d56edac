"""STAR detection and timing on transcripts (pure: words with times in, spans out)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockint.star import (
    DEFAULT_TARGETS_S,
    SECTION_ORDER,
    Section,
    Span,
    TimingStatus,
    segment,
    time_sections,
    time_total,
)
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
    t0 = time.perf_counter()
    segment(transcript)
    assert time.perf_counter() - t0 < 0.05


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
