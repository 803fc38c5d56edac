"""The question bank: typed `Question` records parsed from `prompts/<id>.toml`.

`parse_bank(text, source)` is pure and validates every field; `load_bank(folder)` reads the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mockint.star import Section


class Level(StrEnum):
    SDE1 = "sde1"
    SDE2 = "sde2"
    SENIOR = "senior"


@dataclass(frozen=True, slots=True)
class SectionGuide:
    """What the page says about one STAR section of this question."""

    section: Section
    target_s: float
    strong_example: str
    key_phrases: tuple[str, ...]
    coaching: str
    common_mistake: str


@dataclass(frozen=True, slots=True)
class Probe:
    """A follow-up question with the page's weak and strong answers to it."""

    question: str
    probes: str  # what the follow-up tests
    weak_answer: str
    weak_why: str
    strong_answer: str
    tagline: str


@dataclass(frozen=True, slots=True)
class WeakAnswer:
    text: str
    flaws: tuple[str, ...]
    bar_raiser: str  # the page's "Bar Raiser Thinks" verdict


@dataclass(frozen=True, slots=True)
class QuizItem:
    question: str
    explanation: str


@dataclass(frozen=True, slots=True)
class LpAngle:
    """One leadership principle this story can be told for, with what to stress and what to play down."""

    name: str
    guidance: str
    emphasise: str
    downplay: str


@dataclass(frozen=True, slots=True)
class LevelGuide:
    level: Level
    guidance: str
    reflection: str  # the level's example reflection
    bar: str
    budget_min_s: float
    budget_max_s: float


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    title: str
    leadership_principles: tuple[str, ...]
    scenario: str
    summary: str
    sections: tuple[SectionGuide, ...]  # in STAR order, all five
    probes: tuple[Probe, ...]
    weak_answer: WeakAnswer
    quiz: tuple[QuizItem, ...]
    lp_angles: tuple[LpAngle, ...]
    levels: tuple[LevelGuide, ...]  # sde1, sde2, senior

    def section(self, section: Section) -> SectionGuide:
        return next(s for s in self.sections if s.section is section)

    def level(self, level: Level) -> LevelGuide:
        return next(g for g in self.levels if g.level is level)

    def lp_angle(self, name: str) -> LpAngle | None:
        wanted = name.strip().casefold()
        return next((a for a in self.lp_angles if a.name.casefold() == wanted), None)
