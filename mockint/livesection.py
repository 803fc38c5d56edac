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

from mockint.star import SECTION_ORDER, Section, Span, segment_so_far
from mockint.timing import OVER_TOLERANCE
from mockint.transcript import Transcript

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
    """`heard(transcript)` (or `update(spans)`) with each transcript-so-far; `current` is the settled section."""

    def __init__(self, options: SettleOptions | None = None) -> None:
        self.options = options or SettleOptions()
        self.current: Current | None = None
        self._pending: Current | None = None
        self._seen = 0  # transcripts in a row that agreed with _pending

    def heard(self, transcript: Transcript) -> Current | None:
        return self.update(spans_so_far(transcript))

    def update(self, spans: Sequence[Span]) -> Current | None:
        o = self.options
        last = spans[-1] if spans else None
        if last is None or (len(last.words) < o.min_words and (self.current is not None or len(spans) > 1)):
            return self.current  # (an answer's first words are shown at once: nothing came before to mistake)
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


def spans_so_far(transcript: Transcript) -> tuple[Span, ...]:
    """The sections of the words heard so far, by the segmenter's model for answers still being spoken.

    Segmented as if it were the whole answer, the newest sentence always sat at the very end, where Results
    and Reflections belong (a Task just begun was shown as "Result"); `star.segment_so_far` places it in an
    answer that goes on.
    """
    return segment_so_far(transcript)
