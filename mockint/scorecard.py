"""The result records of scoring: findings with their evidence, section and delivery scores, the fixes, the
probe judgements, and the `Scorecard` that holds them.

Pure values. Each round-trips through `to_dict`/`from_dict`, which is the shape saved in session.json
(a score record's `scorecard` and `probe_judgements`); that shape is declared here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypedDict

from mockint.bank import Level
from mockint.star import Section
from mockint.timing import TimingStatus


# --- the saved shape (session.json: a score record's "scorecard" and "probe_judgements") --------------


class _EvidenceRequired(TypedDict):
    text: str
    start_s: float


class EvidenceDict(_EvidenceRequired, total=False):
    note: str


class _FindingRequired(TypedDict):
    check: str
    section: str | None
    verdict: str
    message: str
    evidence: list[EvidenceDict]
    coaching: str


class FindingDict(_FindingRequired, total=False):
    phrase: str


class SectionScoreDict(TypedDict):
    section: str
    score: int
    target_s: float
    duration_s: float | None
    timing: str
    wpm: float | None


class DeliveryStatsDict(TypedDict):
    word_count: int
    wpm: float | None
    total_s: float
    budget_min_s: float
    budget_max_s: float
    total_timing: str
    filler_count: int
    fillers_per_100_words: float | None
    fillers_reliable: bool
    long_pauses: int
    hedges: int


class FixDict(TypedDict):
    check: str
    section: str | None
    text: str


class ScorecardDict(TypedDict):
    rubric_version: str
    question_id: str
    level: str
    lp: str | None
    overall: int
    verdict: str
    bar_raiser: str
    sections: list[SectionScoreDict]
    delivery_score: int
    delivery: DeliveryStatsDict
    findings: list[FindingDict]
    fixes: list[FixDict]
    target_scale: float


class ProbeJudgementDict(TypedDict):
    question: str
    probes: str
    verdict: str
    message: str
    evidence: list[EvidenceDict]
    tagline: str
    strong_overlap: float


# --- the records ---------------------------------------------------------------------------------------


class Verdict(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    NOT_MEASURED = "not_measured"  # mockint cannot hear this reliably (e.g. fillers Whisper drops)


POINTS = {Verdict.PASS: 1.0, Verdict.WARN: 0.5, Verdict.FAIL: 0.0}


class _Said(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def start_s(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Evidence:
    """Words of the answer exactly as they were transcribed, and when they started in the recording.

    `note` is what mockint says about them ("2.4 s pause before"), kept apart so that `text` is always
    a span of the transcript.
    """

    text: str
    start_s: float
    note: str = ""

    def to_dict(self) -> EvidenceDict:
        data: EvidenceDict = {"text": self.text, "start_s": self.start_s}
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Evidence:
        return cls(str(d["text"]), float(d["start_s"]), str(d.get("note", "")))

    @classmethod
    def of(cls, sentence: _Said) -> Evidence:
        """A sentence as evidence, its time rounded as session.json keeps it."""
        return cls(sentence.text, round(sentence.start_s, 3))


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    section: Section | None  # None for delivery checks
    verdict: Verdict
    message: str
    evidence: tuple[Evidence, ...]
    coaching: str
    phrase: str = ""  # the words the check matched, as the candidate said them (quoted by the fix)

    def to_dict(self) -> FindingDict:
        data: FindingDict = {
            "check": self.check,
            "section": None if self.section is None else self.section.value,
            "verdict": self.verdict.value,
            "message": self.message,
            "evidence": [e.to_dict() for e in self.evidence],
            "coaching": self.coaching,
        }
        if self.phrase:
            data["phrase"] = self.phrase
        return data

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Finding:
        return cls(
            check=str(d["check"]),
            section=None if d["section"] is None else Section(d["section"]),
            verdict=Verdict(d["verdict"]),
            message=str(d["message"]),
            evidence=tuple(Evidence.from_dict(e) for e in d["evidence"]),
            coaching=str(d["coaching"]),
            phrase=str(d.get("phrase", "")),
        )


@dataclass(frozen=True, slots=True)
class SectionScore:
    """A section's score, its time against its target and its pace."""

    section: Section
    score: int  # 0-100
    target_s: float
    duration_s: float | None  # None when the section was not heard
    timing: TimingStatus
    wpm: float | None

    def to_dict(self) -> SectionScoreDict:
        return {
            "section": self.section.value,
            "score": self.score,
            "target_s": self.target_s,
            "duration_s": self.duration_s,
            "timing": self.timing.value,
            "wpm": self.wpm,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SectionScore:
        return cls(
            section=Section(d["section"]),
            score=int(d["score"]),
            target_s=float(d["target_s"]),
            duration_s=None if d["duration_s"] is None else float(d["duration_s"]),
            timing=TimingStatus(d["timing"]),
            wpm=None if d["wpm"] is None else float(d["wpm"]),
        )


@dataclass(frozen=True, slots=True)
class DeliveryStats:
    """How it was said. `fillers_per_100_words` is None when fillers could not be heard at all; when
    `fillers_reliable` is False a number is a lower bound (Whisper drops real speakers' fillers)."""

    word_count: int
    wpm: float | None
    total_s: float
    budget_min_s: float
    budget_max_s: float
    total_timing: TimingStatus
    filler_count: int
    fillers_per_100_words: float | None
    fillers_reliable: bool
    long_pauses: int
    hedges: int

    def to_dict(self) -> DeliveryStatsDict:
        return {
            "word_count": self.word_count,
            "wpm": self.wpm,
            "total_s": self.total_s,
            "budget_min_s": self.budget_min_s,
            "budget_max_s": self.budget_max_s,
            "total_timing": self.total_timing.value,
            "filler_count": self.filler_count,
            "fillers_per_100_words": self.fillers_per_100_words,
            "fillers_reliable": self.fillers_reliable,
            "long_pauses": self.long_pauses,
            "hedges": self.hedges,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DeliveryStats:
        f100 = d["fillers_per_100_words"]
        return cls(
            word_count=int(d["word_count"]),
            wpm=None if d["wpm"] is None else float(d["wpm"]),
            total_s=float(d["total_s"]),
            budget_min_s=float(d["budget_min_s"]),
            budget_max_s=float(d["budget_max_s"]),
            total_timing=TimingStatus(d["total_timing"]),
            filler_count=int(d["filler_count"]),
            fillers_per_100_words=None if f100 is None else float(f100),
            fillers_reliable=bool(d["fillers_reliable"]),
            long_pauses=int(d["long_pauses"]),
            hedges=int(d["hedges"]),
        )


@dataclass(frozen=True, slots=True)
class Fix:
    """One of the things to fix first: the rubric's fix for a failed check."""

    check: str
    section: Section | None
    text: str

    def to_dict(self) -> FixDict:
        return {"check": self.check, "section": None if self.section is None else self.section.value, "text": self.text}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Fix:
        return cls(str(d["check"]), None if d["section"] is None else Section(d["section"]), str(d["text"]))


@dataclass(frozen=True, slots=True)
class Scorecard:
    rubric_version: str
    question_id: str
    level: Level
    lp: str | None
    overall: int  # 0-100
    verdict: str  # one of the rubric's hire verdicts, e.g. "Leaning No Hire"
    bar_raiser: str
    sections: tuple[SectionScore, ...]  # all five, in STAR order
    delivery_score: int
    delivery: DeliveryStats
    findings: tuple[Finding, ...]
    fixes: tuple[Fix, ...]  # at most three, most costly first
    target_scale: float = 1.0  # the section targets were the seeds' times this much (timing.TimePlan)

    def finding(self, check: str) -> Finding | None:
        return next((f for f in self.findings if f.check == check), None)

    def to_dict(self) -> ScorecardDict:
        return {
            "rubric_version": self.rubric_version,
            "question_id": self.question_id,
            "level": self.level.value,
            "lp": self.lp,
            "overall": self.overall,
            "verdict": self.verdict,
            "bar_raiser": self.bar_raiser,
            "sections": [s.to_dict() for s in self.sections],
            "delivery_score": self.delivery_score,
            "delivery": self.delivery.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "fixes": [f.to_dict() for f in self.fixes],
            "target_scale": self.target_scale,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Scorecard:
        return cls(
            rubric_version=str(d["rubric_version"]),
            question_id=str(d["question_id"]),
            level=Level(d["level"]),
            lp=None if d["lp"] is None else str(d["lp"]),
            overall=int(d["overall"]),
            verdict=str(d["verdict"]),
            bar_raiser=str(d["bar_raiser"]),
            sections=tuple(SectionScore.from_dict(s) for s in d["sections"]),
            delivery_score=int(d["delivery_score"]),
            delivery=DeliveryStats.from_dict(d["delivery"]),
            findings=tuple(Finding.from_dict(f) for f in d["findings"]),
            fixes=tuple(Fix.from_dict(f) for f in d["fixes"]),
            target_scale=float(d.get("target_scale", 1.0)),
        )


@dataclass(frozen=True, slots=True)
class ProbeJudgement:
    """How a probe answer compares with what the probe tests: verdict, why, the sentences, the page's tagline."""

    question: str  # the probe as it was asked
    intent: str  # what the probe tests (the page's "Probes:" line)
    verdict: Verdict
    message: str
    evidence: tuple[Evidence, ...]
    tagline: str  # the page's one-line summary of the strong answer
    strong_overlap: float  # share of the strong answer's content words heard, 0-1

    def to_dict(self) -> ProbeJudgementDict:
        return {
            "question": self.question,
            "probes": self.intent,
            "verdict": self.verdict.value,
            "message": self.message,
            "evidence": [e.to_dict() for e in self.evidence],
            "tagline": self.tagline,
            "strong_overlap": self.strong_overlap,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ProbeJudgement:
        return cls(
            question=str(d["question"]),
            intent=str(d["probes"]),
            verdict=Verdict(d["verdict"]),
            message=str(d["message"]),
            evidence=tuple(Evidence.from_dict(e) for e in d["evidence"]),
            tagline=str(d["tagline"]),
            strong_overlap=float(d["strong_overlap"]),
        )
