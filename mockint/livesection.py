"""Which STAR section the speaker is in while still speaking, shown only once it has settled.

Fed each transcript-so-far (or its spans); it reads no clock. The segmenter sees only the words heard so
far, so the label of the newest sentence can change when the next words arrive: a label that flips back
and forth, or a red "over" on a guess, is worse than none. A section is shown once the segmenter has given
it a few words, and moving back to an earlier section takes several transcripts in a row. Whether a
section is over its target is judged on the words heard, never on the clock alone (the speaker may have
moved on already).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from mockint.star import SECTION_ORDER, Section, Span, segment
from mockint.timing import OVER_TOLERANCE
from mockint.transcript import Transcript, Word

PLACEHOLDER = "Um."  # a filled pause: the segmenter takes it as evidence of no section (star.py)


@dataclass(frozen=True, slots=True)
class SettleOptions:
    """When the section being spoken counts as settled. Set on espeak-ng-timed answers of
    scripts/data/star_dev.json, streamed as transcripts every 2.5 s, 1.5 s behind the speaker
    (tests/test_livesection.py measures it).

    min_words: the newest section must hold this many words before it is shown; fewer are a sentence
        start the segmenter may still give to the section before.
    confirmations: transcripts in a row that must agree on a later section (its start within
        start_jitter_s) before it is shown.
    back_confirmations: the same for a move back to an earlier section, which is far more often the
        segmenter changing its mind than the speaker going back.
    start_jitter_s: how far a section's start may move between transcripts and still be the same one.
    """

    min_words: int = 4
    confirmations: int = 1
    back_confirmations: int = 3
    start_jitter_s: float = 2.0


@dataclass(frozen=True, slots=True)
class Current:
    """The settled section: where it started and where its last heard word ends (turn clock, seconds)."""

    section: Section
    start_s: float
    heard_until_s: float


class Pace(StrEnum):
    """The section's time against its target, as the live view shows it."""

    ON_TIME = "on_time"  # under its target
    UNSURE = "unsure"  # the clock has passed the target, but the words heard so far have not
    AT_TARGET = "at_target"  # the words heard reach past the target: time to move on
    OVER = "over"  # past the target by more than the debrief allows (timing.OVER_TOLERANCE)


class SectionFollower:
    """`heard(transcript)` (or `update(spans)`) with each transcript-so-far; `current` is the settled section.

    `expected_s`: how long the answer is expected to run (the level's budget), see `spans_so_far`.
    """

    def __init__(self, expected_s: float, options: SettleOptions | None = None) -> None:
        self.expected_s = expected_s
        self.options = options or SettleOptions()
        self.current: Current | None = None
        self._pending: Current | None = None
        self._seen = 0  # transcripts in a row that agreed with _pending

    def heard(self, transcript: Transcript) -> Current | None:
        return self.update(spans_so_far(transcript, self.expected_s))

    def update(self, spans: Sequence[Span]) -> Current | None:
        o = self.options
        last = spans[-1] if spans else None
        if last is None or len(last.words) < o.min_words:
            return self.current
        newest = Current(last.section, last.start_s, last.words[-1].end_s)
        self._seen = self._seen + 1 if self._is_same(self._pending, newest) else 1
        self._pending = newest
        now = self.current
        if now is not None and self._is_same(now, newest):
            self.current = Current(now.section, now.start_s, newest.heard_until_s)  # the clock keeps its start
        elif self._seen >= (o.back_confirmations if _is_back(now, newest.section) else o.confirmations):
            self.current = newest
        return self.current

    def _is_same(self, a: Current | None, b: Current) -> bool:
        return a is not None and a.section is b.section and abs(a.start_s - b.start_s) <= self.options.start_jitter_s


def _is_back(current: Current | None, section: Section) -> bool:
    return current is not None and SECTION_ORDER.index(section) < SECTION_ORDER.index(current.section)


def pace(current: Current, now_s: float, target_s: float) -> Pace:
    """How `current` stands against `target_s` at `now_s`: at or over its target only on words heard."""
    heard_s = current.heard_until_s - current.start_s
    if heard_s > target_s * (1 + OVER_TOLERANCE):
        return Pace.OVER
    if heard_s > target_s:
        return Pace.AT_TARGET
    return Pace.UNSURE if now_s - current.start_s > target_s else Pace.ON_TIME


def spans_so_far(transcript: Transcript, expected_s: float) -> tuple[Span, ...]:
    """`segment()` on the words heard so far, told that the answer goes on until `expected_s`.

    The segmenter weighs where a sentence falls in the answer, so on the words so far alone the newest
    sentence always sits at the very end, where Results and Reflections belong (a Task was shown as
    "Result"). Placeholder filled pauses at the speaker's own pace stand in for the rest of the answer,
    at least a quarter as long again as what was heard; the spans hold only the words that were heard.
    """
    words = transcript.words
    if not words:
        return ()
    heard_s = max(words[-1].end_s - words[0].start_s, 1.0)
    step_s = heard_s / len(words)
    count = max(1, round(max(expected_s - words[-1].end_s, heard_s / 4) / step_s))
    start_s = words[-1].end_s + 1.0  # after a pause, so that no placeholder joins the last sentence
    rest = tuple(Word(PLACEHOLDER, start_s + i * step_s, start_s + (i + 0.8) * step_s) for i in range(count))
    last_start_s = words[-1].start_s
    spans = []
    for span in segment(Transcript(words + rest, start_s + count * step_s)):
        mine = tuple(w for w in span.words if w.start_s <= last_start_s)
        if mine:
            spans.append(Span(span.section, span.start_s, min(span.end_s, words[-1].end_s), mine))
    return tuple(spans)
