"""One analysed answer: its STAR sections and their timing against the question's targets and level budget.

Pure: a transcript and a question in, an `Analysis` record out. The answer is segmented here, once; scoring
(scoring.py) and every view build on this record rather than redoing the segmentation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockint.bank import Level, Question
from mockint.star import SECTION_ORDER, Section, Span, segment
from mockint.timing import SectionTiming, TimePlan, TotalTiming, plan_times, time_sections, time_total
from mockint.transcript import Transcript


@dataclass(frozen=True, slots=True)
class Analysis:
    question_id: str
    level: Level
    transcript: Transcript
    spans: tuple[Span, ...]
    plan: TimePlan  # the level's budget and the section targets scaled to it
    timings: tuple[SectionTiming, ...]  # all five sections, in STAR order, against the plan's targets
    total: TotalTiming

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question_id,
            "level": self.level.value,
            "duration_s": round(self.transcript.duration_s, 3),
            "target_scale": self.plan.scale,
            "total": {
                "duration_s": round(self.total.duration_s, 3),
                "budget_min_s": self.total.budget_min_s,
                "budget_max_s": self.total.budget_max_s,
                "status": self.total.status.value,
            },
            "sections": [
                {
                    "section": t.section.value,
                    "target_s": t.target_s,
                    "duration_s": None if t.duration_s is None else round(t.duration_s, 3),
                    "status": t.status.value,
                    **_span_fields(self.spans, t.section),
                }
                for t in self.timings
            ],
            "transcript": self.transcript.to_dict(),
        }


def _span_fields(spans: tuple[Span, ...], section: Section) -> dict[str, Any]:
    span = next((s for s in spans if s.section == section), None)
    if span is None:
        return {"start_s": None, "end_s": None, "text": ""}
    return {"start_s": round(span.start_s, 3), "end_s": round(span.end_s, 3), "text": span.text}


def analyse(transcript: Transcript, question: Question, level: Level, spans: tuple[Span, ...] | None = None) -> Analysis:
    """Segment the answer into STAR sections and time them against this question and level.

    `spans`: the answer's sections when they are already known (labelled test data); segmented otherwise.
    """
    if spans is None:
        spans = segment(transcript)
    plan = time_plan(question, level)
    return Analysis(
        question_id=question.id,
        level=level,
        transcript=transcript,
        spans=spans,
        plan=plan,
        timings=time_sections(spans, plan.targets_s),
        total=time_total(spans, plan.budget_min_s, plan.budget_max_s),
    )


def time_plan(question: Question, level: Level) -> TimePlan:
    """The question's section targets scaled to the level's budget (timing.plan_times)."""
    guide = question.level(level)
    return plan_times({s: question.section(s).target_s for s in SECTION_ORDER}, guide.budget_min_s, guide.budget_max_s)
