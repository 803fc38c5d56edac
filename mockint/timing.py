"""Section timing: each STAR section's duration against its target, the whole answer against the level budget.

Pure and standard library only: spans and targets in, timing records out. Where the spans come from is
star.py; how the times are judged in words (findings, fixes) is checks.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from mockint.star import SECTION_ORDER, Section, Span

_S, _T, _A, _R, _X = SECTION_ORDER

# The seeds' per-section targets (the same on every seed page's "Target" lines). The bank's
# `Question.section(s).target_s` overrides them per question.
DEFAULT_TARGETS_S: Mapping[Section, float] = {_S: 30.0, _T: 20.0, _A: 90.0, _R: 20.0, _X: 15.0}

# A section is OVER when it runs longer than its target by more than this fraction of the target,
# and UNDER when it is shorter than this fraction of the target. The over margin allows for normal
# variation in speaking rate; the under line flags a section that was only touched on.
OVER_TOLERANCE = 0.25
UNDER_FRACTION = 0.4


@dataclass(frozen=True, slots=True)
class TimePlan:
    """The section targets for one answer at one level, and the level's budget for the whole answer.

    The seeds' targets (30/20/90/20/15 s, 175 s in all) are the targets at the Senior budget (2.5-3 min),
    which they fit. For a shorter budget (SDE 1: 2 min) they are scaled in the same proportions so that
    together they fill the budget's maximum: the timeline, the total and the fixes then agree.
    `scale` is 1.0 when no scaling was needed.
    """

    targets_s: Mapping[Section, float]
    budget_min_s: float
    budget_max_s: float
    scale: float


def plan_times(targets_s: Mapping[Section, float], budget_min_s: float, budget_max_s: float) -> TimePlan:
    """Targets scaled down (never up) so that their sum fits within `budget_max_s`."""
    full = {s: float(targets_s.get(s, DEFAULT_TARGETS_S[s])) for s in SECTION_ORDER}
    total = sum(full.values())
    scale = min(1.0, budget_max_s / total) if total > 0 else 1.0
    return TimePlan({s: round(t * scale, 1) for s, t in full.items()}, budget_min_s, budget_max_s, round(scale, 4))


class TimingStatus(StrEnum):
    OK = "ok"
    OVER = "over"
    UNDER = "under"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class SectionTiming:
    section: Section
    target_s: float
    duration_s: float | None  # None: the section is missing
    status: TimingStatus


@dataclass(frozen=True, slots=True)
class TotalTiming:
    """The whole answer (first word to last word) against the level's time budget."""

    duration_s: float
    budget_min_s: float
    budget_max_s: float
    status: TimingStatus  # OVER above the budget's maximum, UNDER below its minimum, MISSING if empty


def time_sections(spans: Sequence[Span], targets: Mapping[Section, float] = DEFAULT_TARGETS_S) -> tuple[SectionTiming, ...]:
    """All five sections in STAR order, each with its duration (None if missing) and status."""
    durations: dict[Section, float] = {}
    for span in spans:
        durations[span.section] = durations.get(span.section, 0.0) + span.duration_s
    timings = []
    for section in SECTION_ORDER:
        target = float(targets.get(section, DEFAULT_TARGETS_S[section]))
        duration = durations.get(section)
        if duration is None:
            status = TimingStatus.MISSING
        elif duration > target * (1.0 + OVER_TOLERANCE):
            status = TimingStatus.OVER
        elif duration < target * UNDER_FRACTION:
            status = TimingStatus.UNDER
        else:
            status = TimingStatus.OK
        timings.append(SectionTiming(section, target, duration, status))
    return tuple(timings)


def time_total(spans: Sequence[Span], budget_min_s: float, budget_max_s: float) -> TotalTiming:
    """The answer's length from its first word to its last, against the level's budget."""
    if not spans:
        return TotalTiming(0.0, budget_min_s, budget_max_s, TimingStatus.MISSING)
    duration = spans[-1].end_s - spans[0].start_s
    if duration > budget_max_s:
        status = TimingStatus.OVER
    elif duration < budget_min_s:
        status = TimingStatus.UNDER
    else:
        status = TimingStatus.OK
    return TotalTiming(duration, budget_min_s, budget_max_s, status)
