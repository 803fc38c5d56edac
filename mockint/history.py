"""Past sessions as rows and as progress over attempts per question. Pure: loaded sessions in, values out.

Reading the folders is store.py's; drawing them is history_view.py's. Each attempt's section times come from
its latest scorecard (segmented when the session was scored); sessions scored by a mockint whose scorecard
this one cannot read are segmented again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from mockint.bank import Level
from mockint.hearing import Heard, judge
from mockint.session import Session
from mockint.star import Section, segment
from mockint.timing import DEFAULT_TARGETS_S, SectionTiming, time_sections

SPARK_CHARS = "▁▂▃▄▅▆▇█"
GAP_CHAR = "·"  # an attempt with no value (no score yet, or the section was missing)


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One line of `mockint sessions`."""

    id: str
    created_at: datetime
    question_id: str
    level: Level
    total_s: float | None  # the answer from its first word to its last; None when nothing was said
    overall: int | None  # the latest score, None if never scored
    verdict: str | None
    is_complete: bool
    heard: Heard  # SPEECH unless the answer held silence, noise or another language (never scored)


@dataclass(frozen=True, slots=True)
class Attempt:
    session_id: str
    created_at: datetime
    overall: int | None
    total_s: float | None
    timings: tuple[SectionTiming, ...]  # all five sections in STAR order


@dataclass(frozen=True, slots=True)
class Progress:
    """Every attempt at one question, oldest first."""

    question_id: str
    attempts: tuple[Attempt, ...]

    @property
    def scores(self) -> tuple[int | None, ...]:
        return tuple(a.overall for a in self.attempts)

    def durations(self, section: Section) -> tuple[float | None, ...]:
        return tuple(next(t.duration_s for t in a.timings if t.section is section) for a in self.attempts)

    def target_s(self, section: Section) -> float:
        latest = self.attempts[-1]
        return next(t.target_s for t in latest.timings if t.section is section)


def created(session: Session) -> datetime:
    return datetime.fromisoformat(session.created_at)


def answer_length_s(session: Session) -> float | None:
    answer = session.answer
    if answer is None or not answer.transcript.words:
        return None
    words = answer.transcript.words
    return max(0.0, words[-1].end_s - words[0].start_s)


def select(
    sessions: Iterable[Session],
    *,
    question: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> tuple[Session, ...]:
    """Sessions matching the filters (dates inclusive, in the session's own clock), oldest first."""
    chosen = []
    for s in sessions:
        if question is not None and s.question_id != question:
            continue
        day = created(s).date()
        if (since is not None and day < since) or (until is not None and day > until):
            continue
        chosen.append(s)
    return tuple(sorted(chosen, key=lambda s: (created(s), s.id)))


def rows(sessions: Iterable[Session]) -> tuple[SessionRow, ...]:
    out = []
    for s in sessions:
        latest = s.latest_score
        out.append(
            SessionRow(
                id=s.id,
                created_at=created(s),
                question_id=s.question_id,
                level=s.level,
                total_s=answer_length_s(s),
                overall=latest.overall if latest else None,
                verdict=latest.verdict if latest else None,
                is_complete=s.is_complete,
                heard=_heard(s),
            )
        )
    return tuple(out)


TargetsFor = Callable[[str], Mapping[Section, float]]


def default_targets(_question_id: str) -> Mapping[Section, float]:
    return DEFAULT_TARGETS_S


def progress(sessions: Iterable[Session], targets_for: TargetsFor = default_targets) -> tuple[Progress, ...]:
    """One Progress per question (in order of first attempt), attempts oldest first.

    `targets_for(question_id)` gives the per-section targets (the bank's, or the seeds' defaults when the
    question is no longer in the bank) for sessions without a readable scorecard.
    """
    by_question: dict[str, list[Attempt]] = {}
    for s in sorted(sessions, key=lambda s: (created(s), s.id)):
        if _heard(s) is not Heard.SPEECH:
            continue  # nothing was said: not an attempt at the question
        latest = s.latest_score
        by_question.setdefault(s.question_id, []).append(
            Attempt(
                session_id=s.id,
                created_at=created(s),
                overall=latest.overall if latest else None,
                total_s=answer_length_s(s),
                timings=_timings(s, targets_for),
            )
        )
    return tuple(Progress(q, tuple(a)) for q, a in by_question.items())


def _heard(session: Session) -> Heard:
    answer = session.answer
    if answer is None or not session.is_complete:
        return Heard.SPEECH  # an interrupted session is shown as interrupted, not judged
    return judge(answer.transcript).heard


def _timings(session: Session, targets_for: TargetsFor) -> tuple[SectionTiming, ...]:
    latest = session.latest_score
    if latest is not None and latest.scorecard is not None:
        return tuple(SectionTiming(c.section, c.target_s, c.duration_s, c.timing) for c in latest.scorecard.sections)
    answer = session.answer
    spans = segment(answer.transcript) if answer is not None and answer.transcript.words else ()
    return time_sections(spans, targets_for(session.question_id))


def sparkline(values: Sequence[float | None], *, low: float | None = None, high: float | None = None) -> str:
    """One character per value, taller for larger; GAP_CHAR for None. `low`/`high` fix the scale."""
    present = [v for v in values if v is not None]
    if not present:
        return GAP_CHAR * len(values)
    lo = min(present) if low is None else low
    hi = max(present) if high is None else high
    span = hi - lo
    chars = []
    for v in values:
        if v is None:
            chars.append(GAP_CHAR)
            continue
        frac = 0.5 if span <= 0 else min(1.0, max(0.0, (v - lo) / span))
        chars.append(SPARK_CHARS[round(frac * (len(SPARK_CHARS) - 1))])
    return "".join(chars)


def trend(values: Sequence[float | None], *, tolerance: float = 0.0) -> int:
    """+1 if the last value is above the first present one by more than `tolerance`, -1 below, 0 otherwise."""
    present = [v for v in values if v is not None]
    if len(present) < 2:
        return 0
    delta = present[-1] - present[0]
    return 0 if abs(delta) <= tolerance else (1 if delta > 0 else -1)


def distance_from_target(durations: Sequence[float | None], target_s: float) -> tuple[float | None, ...]:
    """How far each attempt's section time is from its target (seconds, absolute): shrinking is progress."""
    return tuple(None if d is None else abs(d - target_s) for d in durations)
