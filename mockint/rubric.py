"""The rubric: STAR spans + transcript + question + level (+ LP angle) in, a `Scorecard` out.

Pure and deterministic. Phrase lists, thresholds and weights live in `rubric.toml` (read only by
`load_rubric()`); rendering lives in `debrief.py`, follow-up choice in `probes.py`.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from typing import Any

from mockint import fillers, star
from mockint.bank import Level, Question
from mockint.star import SECTION_ORDER, Section, Span
from mockint.transcript import Transcript, Word


class Verdict(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    NOT_MEASURED = "not_measured"  # mockint cannot hear this reliably (e.g. fillers Whisper drops)


_POINTS = {Verdict.PASS: 1.0, Verdict.WARN: 0.5, Verdict.FAIL: 0.0}
DELIVERY = "delivery"  # the pseudo-section of delivery checks in weights and scores


# --- the rubric as data --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckSpec:
    id: str
    label: str
    weight: float
    bar_raiser: str  # the clause of the "Bar Raiser thinks" line when this check fails
    fix: str
    is_disqualifier: bool = False
    bar_raiser_they: str = ""  # the clause when others ("they"), not "we", did the work


@dataclass(frozen=True, slots=True)
class VerdictBand:
    name: str
    min_score: float


@dataclass(frozen=True, slots=True)
class Limits:
    min_sections_heard: int
    situation_max_s: float
    problem_within_s: float
    architecture_terms_max: int
    we_share_fail: float
    action_i_sentences_min: int
    key_moves_min_share: float
    page_story_min_share: float
    reflection_overlap_min: int
    wpm_slow: float
    wpm_fast: float
    fillers_warn_per_100: float
    fillers_fail_per_100: float
    pause_long_s: float
    pauses_warn: int
    pauses_fail: int
    timestamp_error_s: float
    hedges_warn: int
    hedges_fail: int


@dataclass(frozen=True, slots=True)
class Phrases:
    scope_boundary: tuple[str, ...]
    assigned: tuple[str, ...]
    i_words: tuple[str, ...]
    we_words: tuple[str, ...]
    routing: tuple[str, ...]
    weak_verbs: tuple[str, ...]
    problem_markers: tuple[str, ...]
    architecture_terms: tuple[str, ...]
    change_words: tuple[str, ...]
    number_words: tuple[str, ...]
    business_terms: tuple[str, ...]
    second_order: tuple[str, ...]
    vague_result: tuple[str, ...]
    generic_reflection: tuple[str, ...]
    systemic: tuple[str, ...]
    fillers: tuple[str, ...]
    hedges: tuple[str, ...]
    stopwords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProbeKind:
    """A kind of follow-up probe: words that identify it and the checks whose gaps call for it."""

    name: str
    keywords: tuple[str, ...]
    checks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProbeJudging:
    strong_overlap_pass: float
    strong_overlap_min: float
    weak_patterns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rubric:
    version: str
    section_weights: Mapping[str, float] = field(hash=False)
    verdicts: tuple[VerdictBand, ...]
    limits: Limits
    checks: Mapping[str, CheckSpec] = field(hash=False)
    lp_factors: Mapping[str, Mapping[str, float]] = field(hash=False)
    phrases: Phrases
    probe_kinds: tuple[ProbeKind, ...]
    probe_judging: ProbeJudging

    def check(self, check_id: str) -> CheckSpec:
        return self.checks[check_id]


def parse_rubric(text: str) -> Rubric:
    """Build a `Rubric` from the TOML text of a rubric file. Raises ValueError on a malformed file."""
    try:
        data = tomllib.loads(text)
        checks = {
            cid: CheckSpec(
                id=cid,
                label=str(c["label"]),
                weight=float(c["weight"]),
                bar_raiser=str(c["bar_raiser"]),
                fix=str(c["fix"]),
                is_disqualifier=bool(c.get("disqualifier", False)),
                bar_raiser_they=str(c.get("bar_raiser_they", "")),
            )
            for cid, c in data["checks"].items()
        }
        return Rubric(
            version=str(data["version"]),
            section_weights={k: float(v) for k, v in data["section_weights"].items()},
            verdicts=tuple(
                sorted(
                    (VerdictBand(str(v["name"]), float(v["min_score"])) for v in data["verdicts"]),
                    key=lambda b: -b.min_score,
                )
            ),
            limits=Limits(**data["limits"]),
            checks=checks,
            lp_factors={
                name.casefold(): {k: float(v) for k, v in f.items()} for name, f in data["lp_factors"].items()
            },
            phrases=Phrases(**{k: tuple(normalise(p) for p in v) for k, v in data["phrases"].items()}),
            probe_kinds=tuple(
                ProbeKind(name, tuple(normalise(k) for k in t["keywords"]), tuple(t["checks"]))
                for name, t in data["probe_kinds"].items()
            ),
            probe_judging=ProbeJudging(
                strong_overlap_pass=float(data["probe_judging"]["strong_overlap_pass"]),
                strong_overlap_min=float(data["probe_judging"]["strong_overlap_min"]),
                weak_patterns=tuple(normalise(p) for p in data["probe_judging"]["weak_patterns"]),
            ),
        )
    except (KeyError, TypeError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"malformed rubric: {e!r}") from e


@functools.cache
def load_rubric() -> Rubric:
    """The rubric shipped inside the package (`mockint/rubric.toml`)."""
    return parse_rubric(resources.files("mockint").joinpath("rubric.toml").read_text(encoding="utf-8"))


RUBRIC_VERSION: str = "2026.11.6"  # must equal `version` in rubric.toml (a test checks it)


# --- the scorecard ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence of the answer and when it started in the recording."""

    text: str
    start_s: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start_s": self.start_s}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Evidence:
        return cls(str(d["text"]), float(d["start_s"]))


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    section: Section | None  # None for delivery checks
    verdict: Verdict
    message: str
    evidence: tuple[Evidence, ...]
    coaching: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "section": None if self.section is None else self.section.value,
            "verdict": self.verdict.value,
            "message": self.message,
            "evidence": [e.to_dict() for e in self.evidence],
            "coaching": self.coaching,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Finding:
        return cls(
            check=str(d["check"]),
            section=None if d["section"] is None else Section(d["section"]),
            verdict=Verdict(d["verdict"]),
            message=str(d["message"]),
            evidence=tuple(Evidence.from_dict(e) for e in d["evidence"]),
            coaching=str(d["coaching"]),
        )


@dataclass(frozen=True, slots=True)
class SectionScore:
    """A section's score, its time against its target (`timing` is a star.TimingStatus value) and pace."""

    section: Section
    score: int  # 0-100
    target_s: float
    duration_s: float | None  # None when the section was not heard
    timing: str
    wpm: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section.value,
            "score": self.score,
            "target_s": self.target_s,
            "duration_s": self.duration_s,
            "timing": self.timing,
            "wpm": self.wpm,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SectionScore:
        return cls(
            section=Section(d["section"]),
            score=int(d["score"]),
            target_s=float(d["target_s"]),
            duration_s=None if d["duration_s"] is None else float(d["duration_s"]),
            timing=str(d["timing"]),
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
    total_timing: str  # a star.TimingStatus value
    filler_count: int
    fillers_per_100_words: float | None
    fillers_reliable: bool
    long_pauses: int
    hedges: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "word_count": self.word_count,
            "wpm": self.wpm,
            "total_s": self.total_s,
            "budget_min_s": self.budget_min_s,
            "budget_max_s": self.budget_max_s,
            "total_timing": self.total_timing,
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
            total_timing=str(d["total_timing"]),
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

    def to_dict(self) -> dict[str, Any]:
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

    def finding(self, check: str) -> Finding | None:
        return next((f for f in self.findings if f.check == check), None)

    def section_score(self, section: Section) -> SectionScore:
        return next(s for s in self.sections if s.section is section)

    def to_dict(self) -> dict[str, Any]:
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
        )


# --- text helpers ------------------------------------------------------------------------------------

_EDGE_PUNCT = "\"“”‘'`()[]{}.,;:!?…-–—*"


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces, curly apostrophes straightened, edge punctuation off."""
    tokens = (t.strip(_EDGE_PUNCT) for t in text.replace("’", "'").replace("—", " ").lower().split())
    return " ".join(t for t in tokens if t)


def find_phrase(norm_text: str, phrases: Iterable[str]) -> str | None:
    """The first phrase found in `norm_text` on word boundaries, or None."""
    padded = f" {norm_text} "
    return next((p for p in phrases if f" {p} " in padded), None)


def _count(norm_text: str, phrases: Iterable[str]) -> int:
    """Occurrences of the phrases, longest first, without counting a word twice."""
    padded = f" {norm_text} "
    n = 0
    for p in sorted(phrases, key=len, reverse=True):
        key = f" {p} "
        n += padded.count(key)
        padded = padded.replace(key, " | ")
    return n


_NUMBER_RE = re.compile(r"[$€£]?\d[\d,.]*[%k]?|[$€£]")


def has_number(norm_text: str, number_words: Sequence[str]) -> bool:
    return bool(_NUMBER_RE.search(norm_text)) or find_phrase(norm_text, number_words) is not None


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    norm: str
    start_s: float
    end_s: float
    section: Section | None

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.text, round(self.start_s, 3))


_SENTENCE_GAP_S = 1.0  # a silence this long ends a sentence even when Whisper gave no full stop


def split_sentences(words: Sequence[Word], section: Section | None) -> list[Sentence]:
    out: list[Sentence] = []
    current: list[Word] = []

    def flush() -> None:
        if current:
            text = " ".join(w.text.strip() for w in current).strip()
            out.append(Sentence(text, normalise(text), current[0].start_s, current[-1].end_s, section))
            current.clear()

    for i, w in enumerate(words):
        if current and w.start_s - current[-1].end_s >= _SENTENCE_GAP_S:
            flush()
        current.append(w)
        if w.text.strip().rstrip("\"'”’)").endswith((".", "?", "!")) or i == len(words) - 1:
            flush()
    return out


def content_words(norm_text: str, stopwords: frozenset[str]) -> set[str]:
    words = set()
    for t in norm_text.split():
        t = t.strip("'")
        if t.endswith("'s"):
            t = t[:-2]
        if len(t) >= 4 and t not in stopwords and not any(c.isdigit() for c in t):
            words.add(t[:-1] if t.endswith("s") and len(t) > 4 else t)
    return words


# --- the checks ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Story:
    """Everything the checks read, precomputed once."""

    sentences: tuple[Sentence, ...]
    by_section: Mapping[Section, tuple[Sentence, ...]] = field(hash=False)
    spans: Mapping[Section, Span] = field(hash=False)
    words: tuple[Word, ...]

    def of(self, section: Section) -> tuple[Sentence, ...]:
        return self.by_section.get(section, ())


def _story(transcript: Transcript, spans: Sequence[Span]) -> _Story:
    by_section: dict[Section, list[Sentence]] = {}
    span_of: dict[Section, Span] = {}
    covered: set[tuple[str, float]] = set()
    for span in spans:
        span_of.setdefault(span.section, span)
        by_section.setdefault(span.section, []).extend(split_sentences(span.words, span.section))
        covered.update((w.text, w.start_s) for w in span.words)
    sentences = [s for sec in SECTION_ORDER for s in by_section.get(sec, [])]
    # Words no span claimed still count for whole-answer checks (routing, vague endings, hedges).
    stray = [w for w in transcript.words if (w.text, w.start_s) not in covered]
    sentences.extend(split_sentences(stray, None))
    sentences.sort(key=lambda s: s.start_s)
    return _Story(
        sentences=tuple(sentences),
        by_section={k: tuple(v) for k, v in by_section.items()},
        spans=span_of,
        words=transcript.words,
    )


class _Checker:
    def __init__(self, story: _Story, question: Question, level: Level, rubric: Rubric) -> None:
        self.story = story
        self.q = question
        self.level = level
        self.r = rubric
        self.p = rubric.phrases
        self.lim = rubric.limits

    def _coach(self, section: Section) -> str:
        return self.q.section(section).coaching

    def _f(
        self, check: str, section: Section | None, verdict: Verdict, message: str, evidence: Iterable[Sentence] = ()
    ) -> Finding:
        coaching = self._coach(section) if section is not None else self.r.check(check).fix
        return Finding(check, section, verdict, message, tuple(s.evidence for s in evidence), coaching)

    def _missing(self, check: str, section: Section) -> Finding:
        return self._f(check, section, Verdict.FAIL, f"No {section.value.capitalize()} heard.")

    # Situation -------------------------------------------------------------------------------------
    def situation_concise(self) -> Finding:
        sents = self.story.of(Section.SITUATION)
        if not sents:
            return self._missing("situation.concise", Section.SITUATION)
        start = sents[0].start_s
        problem = next((s for s in sents if find_phrase(s.norm, self.p.problem_markers)), None)
        before = sents if problem is None else sents[: sents.index(problem)]
        arch = sum(_count(s.norm, self.p.architecture_terms) for s in before + ((problem,) if problem else ()))
        span = self.story.spans[Section.SITUATION]
        lim = self.lim
        if problem is None:
            if arch > lim.architecture_terms_max:
                return self._f("situation.concise", Section.SITUATION, Verdict.FAIL,
                               f"Architecture tour and no clear problem: {arch} system terms.", sents[:2])
            return self._f("situation.concise", Section.SITUATION, Verdict.WARN,
                           "No clear problem statement heard in the Situation: say what was wrong and "
                           "what it cost.", sents[:1])
        delay_s = problem.start_s - start
        if arch > lim.architecture_terms_max and delay_s > lim.problem_within_s:
            return self._f(
                "situation.concise", Section.SITUATION, Verdict.FAIL,
                f"Architecture tour before the problem: {arch} system terms and {delay_s:.0f} s before the "
                "problem appears.", (*before[:2], problem),
            )
        if span.duration_s > lim.situation_max_s:
            return self._f(
                "situation.concise", Section.SITUATION, Verdict.FAIL,
                f"The Situation runs {span.duration_s:.0f} s; stop by {lim.situation_max_s:.0f} s.", sents[:1],
            )
        if delay_s > lim.problem_within_s or arch > lim.architecture_terms_max:
            why = (f"{delay_s:.0f} s pass before the problem" if delay_s > lim.problem_within_s
                   else f"{arch} system terms around the problem")
            return self._f("situation.concise", Section.SITUATION, Verdict.WARN,
                           f"Gets to the problem late: {why}.", (problem,))
        return self._f("situation.concise", Section.SITUATION, Verdict.PASS,
                       f"States the problem {delay_s:.0f} s in.", (problem,))

    # Task --------------------------------------------------------------------------------------------
    def task_scope(self) -> Finding:
        before_action = self.story.of(Section.SITUATION) + self.story.of(Section.TASK)
        hits = [s for s in before_action if find_phrase(s.norm, self.p.scope_boundary)]
        if hits:
            phrase = find_phrase(hits[0].norm, self.p.scope_boundary)
            return self._f("task.scope_boundary", Section.TASK, Verdict.PASS,
                           f"States the scope boundary (\u201c{phrase}\u201d).", hits[:2])
        later = [s for s in self.story.sentences if s not in before_action and find_phrase(s.norm, self.p.scope_boundary)]
        if later:
            return self._f("task.scope_boundary", Section.TASK, Verdict.WARN,
                           "The scope boundary comes only after the Action; say it up front.", later[:1])
        verdict = Verdict.FAIL if self._scope_expected() else Verdict.WARN
        if not self.story.of(Section.TASK):
            return self._f("task.scope_boundary", Section.TASK, verdict,
                           "No Task and no scope boundary: the interviewer assumes it was assigned.")
        return self._f("task.scope_boundary", Section.TASK, verdict,
                       "No scope boundary (not my team / no ticket / nobody asked): the interviewer assumes "
                       "it was assigned.", self.story.of(Section.TASK)[:1])

    def _scope_expected(self) -> bool:
        """Every seed's Task guide demands a scope boundary; a question whose guide does not gets warnings."""
        g = self.q.section(Section.TASK)
        guide = normalise(" ".join((g.coaching, g.common_mistake, *g.key_phrases)))
        return "scope" in guide.split() or find_phrase(guide, self.p.scope_boundary) is not None

    def task_assigned(self) -> Finding:
        if not (self.story.of(Section.SITUATION) or self.story.of(Section.TASK)):
            return self._f("task.assigned", Section.TASK, Verdict.NOT_MEASURED, "No Situation or Task to judge.")
        hits = [s for s in self.story.sentences if find_phrase(s.norm, self.p.assigned)]
        if hits:
            phrase = find_phrase(hits[0].norm, self.p.assigned)
            verdict = Verdict.FAIL if self._scope_expected() else Verdict.WARN
            return self._f("task.assigned", Section.TASK, verdict,
                           f"Disqualifier: \u201c{phrase}\u201d says it was assigned, not owned.", hits)
        return self._f("task.assigned", Section.TASK, Verdict.PASS, "Nothing says the work was assigned.")

    # Action ------------------------------------------------------------------------------------------
    def _is_i(self, s: Sentence) -> bool:
        return find_phrase(s.norm, self.p.i_words) is not None

    def _is_we(self, s: Sentence) -> bool:
        """'We' as the subject: a 'we' word with no 'I' before it ("I found we prepped too much" is mine)."""
        return self._subject_before_i(s, self.p.we_words)

    def _is_they(self, s: Sentence) -> bool:
        """Others as the subject ("They handled the fix and I supported the rollout")."""
        return self._subject_before_i(s, ("they", "someone", "somebody"))

    def _subject_before_i(self, s: Sentence, subject_words: Iterable[str]) -> bool:
        tokens = s.norm.split()
        wanted = set(subject_words)
        at = next((i for i, t in enumerate(tokens) if t in wanted), None)
        i_at = next((i for i, t in enumerate(tokens) if t in self.p.i_words), None)
        return at is not None and (i_at is None or at < i_at)

    def action_i(self) -> Finding:
        sents = self.story.of(Section.ACTION)
        if not sents:
            return self._missing("action.i_statements", Section.ACTION)
        flagged = [s for s in sents if self._is_we(s) or self._is_they(s)]
        owned = [s for s in sents if self._is_i(s) and s not in flagged]
        share = len(flagged) / len(sents)
        we_n = sum(1 for s in flagged if self._is_we(s))
        they_n = len(flagged) - we_n
        parts = [f"\u2018we\u2019 in {we_n}" if we_n else "", f"\u2018they\u2019 doing the work in {they_n}" if they_n else ""]
        what = " and ".join(p for p in parts if p)
        if not owned:
            return self._f("action.i_statements", Section.ACTION, Verdict.FAIL,
                           f"No Action sentence says what \u2018I\u2019 did" + (f"; {what} of {len(sents)}." if what else "."),
                           flagged or sents[:1])
        if share >= self.lim.we_share_fail:
            return self._f("action.i_statements", Section.ACTION, Verdict.FAIL,
                           f"{what.capitalize()} of {len(sents)} Action sentences: your part is invisible.", flagged)
        if flagged:
            return self._f("action.i_statements", Section.ACTION, Verdict.WARN,
                           f"{what.capitalize()} of {len(sents)} Action sentences.", flagged)
        where = f"all {len(sents)} Action sentences" if len(sents) > 1 else "the one Action sentence"
        return self._f("action.i_statements", Section.ACTION, Verdict.PASS, f"\u2018I\u2019 in {where}.")

    def action_routing(self) -> Finding:
        hits = [s for s in self.story.sentences if find_phrase(s.norm, self.p.routing)]
        if hits:
            phrases = ", ".join(f"\u201c{find_phrase(s.norm, self.p.routing)}\u201d" for s in hits)
            if len(self._owned_steps()) >= self.lim.action_i_sentences_min:
                return self._f("action.routing", Section.ACTION, Verdict.WARN,
                               f"Routing language ({phrases}), though you also did the work: lead with the fix "
                               "you brought, not the hand-off.", hits)
            return self._f("action.routing", Section.ACTION, Verdict.FAIL,
                           f"Routing, not owning: {phrases}. This confirms you handed it off.", hits)
        if not self.story.of(Section.ACTION):
            return self._f("action.routing", Section.ACTION, Verdict.NOT_MEASURED, "No Action to judge.")
        return self._f("action.routing", Section.ACTION, Verdict.PASS, "No hand-offs: you owned the fix.")

    def _owned_steps(self) -> list[Sentence]:
        steps = []
        for s in self.story.of(Section.ACTION):
            if self._is_we(s) or find_phrase(s.norm, self.p.routing):
                continue
            padded = f" {s.norm} "
            m = re.search(r" i ((?:did not|didn't|[a-z'-]+))", padded)
            if m and m.group(1) not in self.p.weak_verbs:
                steps.append(s)
        return steps

    def action_depth(self) -> Finding:
        if not self.story.of(Section.ACTION):
            return self._missing("action.depth", Section.ACTION)
        steps = self._owned_steps()
        need = self.lim.action_i_sentences_min
        if len(steps) >= need:
            return self._f("action.depth", Section.ACTION, Verdict.PASS, f"{len(steps)} concrete steps you took.", steps[:3])
        if not steps:
            return self._f("action.depth", Section.ACTION, Verdict.FAIL,
                           f"No concrete step you took yourself; aim for {need} or more.", self.story.of(Section.ACTION)[:1])
        return self._f("action.depth", Section.ACTION, Verdict.WARN,
                       f"Only {len(steps)} concrete step{'s' if len(steps) != 1 else ''} you took yourself; "
                       f"aim for {need} or more.", steps)

    def action_key_moves(self) -> Finding:
        sents = self.story.of(Section.ACTION)
        if not sents:
            return self._missing("action.key_moves", Section.ACTION)
        stop = frozenset(self.p.stopwords)
        action_words = set().union(*(content_words(s.norm, stop) for s in sents))
        moves = self.q.section(Section.ACTION).key_phrases
        missing = [m for m in moves if content_words(normalise(m), stop) and not (content_words(normalise(m), stop) & action_words)]
        covered = len(moves) - len(missing)
        if not moves:
            return self._f("action.key_moves", Section.ACTION, Verdict.PASS, "No key moves listed for this question.")
        shown = ", ".join(f"\u201c{m}\u201d" for m in missing[:4])
        if not self._tells_page_story(stop):
            # The page's key moves belong to its example story; a candidate telling their own story is not
            # expected to have "traced" or "reproduced" anything, so saying they missed it would be noise.
            return self._f("action.key_moves", Section.ACTION, Verdict.NOT_MEASURED,
                           "Your own story, not the page's example: its key moves are not checked. Compare your "
                           f"steps with the page's strong Action ('mockint questions {self.q.id}').")
        if covered / len(moves) >= self.lim.key_moves_min_share:
            if missing:
                return self._f("action.key_moves", Section.ACTION, Verdict.PASS,
                               f"Covers {covered} of {len(moves)} key moves; not heard: {shown}.")
            return self._f("action.key_moves", Section.ACTION, Verdict.PASS, f"Covers all {len(moves)} key moves.")
        return self._f("action.key_moves", Section.ACTION, Verdict.WARN,
                       f"Covers {covered} of {len(moves)} key moves this question is about; missing {shown}.")

    def _tells_page_story(self, stop: frozenset[str]) -> bool:
        """Whether the answer retells the page's example story: enough of its content words come from the
        page's scenario and Situation, which name the story rather than the STAR shape. Measured: the seeds'
        weak answers 0.19-0.33, 60 answers about other stories 0.0-0.13."""
        situation = self.q.section(Section.SITUATION)
        page = " ".join([self.q.scenario, situation.strong_example, *situation.key_phrases])
        page_words = content_words(normalise(page), stop)
        answer_words = set().union(*(content_words(s.norm, stop) for s in self.story.sentences))
        return bool(answer_words) and len(answer_words & page_words) / len(answer_words) >= self.lim.page_story_min_share

    # Result ------------------------------------------------------------------------------------------
    def result_metric(self) -> Finding:
        sents = self.story.of(Section.RESULT)
        nw = self.p.number_words
        with_numbers = [s for s in sents if has_number(s.norm, nw)]
        deltas = [
            s for s in with_numbers
            if find_phrase(s.norm, self.p.change_words) or len(_NUMBER_RE.findall(s.norm)) >= 2
        ]
        if deltas:
            return self._f("result.metric_delta", Section.RESULT, Verdict.PASS, "Quantifies the change.", deltas[:1])
        if with_numbers:
            return self._f("result.metric_delta", Section.RESULT, Verdict.WARN,
                           "A number, but no before/after: say from what to what.", with_numbers[:1])
        elsewhere = [s for s in self.story.sentences if s.section is not Section.RESULT and has_number(s.norm, nw)]
        if not sents:
            msg = "No Result heard, so nothing is quantified."
        elif elsewhere:
            where = sorted({(s.section or Section.SITUATION).value.capitalize() for s in elsewhere})
            msg = f"Zero quantification in the Result: the only numbers are in the {' and '.join(where)}."
        else:
            msg = "Zero quantification: no number anywhere in the answer."
        return self._f("result.metric_delta", Section.RESULT, Verdict.FAIL, msg, elsewhere[:2] or sents[:1])

    def result_business(self) -> Finding:
        sents = self.story.of(Section.RESULT)
        if not sents:
            return self._missing("result.business", Section.RESULT)
        hits = [s for s in sents if find_phrase(s.norm, self.p.business_terms) or re.search(r"[$€£]", s.norm)]
        if hits:
            return self._f("result.business", Section.RESULT, Verdict.PASS, "Translates the result into business terms.", hits[:1])
        return self._f("result.business", Section.RESULT, Verdict.FAIL,
                       "No business translation: what did it mean in money, customers or time?", sents[:1])

    def result_second_order(self) -> Finding:
        sents = self.story.of(Section.RESULT)
        if not sents:
            return self._missing("result.second_order", Section.RESULT)
        hits = [s for s in sents if find_phrase(s.norm, self.p.second_order)]
        if hits:
            return self._f("result.second_order", Section.RESULT, Verdict.PASS, "Names a second-order effect.", hits[:1])
        return self._f("result.second_order", Section.RESULT, Verdict.WARN,
                       "No second-order effect (adopted as a standard, reused by other teams...).", sents[-1:])

    def result_vague(self) -> Finding:
        hits = [s for s in self.story.sentences if find_phrase(s.norm, self.p.vague_result)]
        if hits:
            phrase = find_phrase(hits[0].norm, self.p.vague_result)
            return self._f("result.vague", Section.RESULT, Verdict.FAIL,
                           f"Vague ending (\u201c{phrase}\u201d): activity, not impact. The interviewer remembers nothing.", hits)
        if not self.story.of(Section.RESULT):
            return self._f("result.vague", Section.RESULT, Verdict.NOT_MEASURED, "No Result to judge.")
        return self._f("result.vague", Section.RESULT, Verdict.PASS, "No \u2018team was happy\u2019 ending.")

    # Reflection ------------------------------------------------------------------------------------------
    def reflection_specific(self) -> Finding:
        sents = self.story.of(Section.REFLECTION)
        if not sents:
            return self._missing("reflection.specific", Section.REFLECTION)
        generic = [s for s in sents if find_phrase(s.norm, self.p.generic_reflection)]
        if generic:
            phrase = find_phrase(generic[0].norm, self.p.generic_reflection)
            return self._f("reflection.specific", Section.REFLECTION, Verdict.FAIL,
                           f"Generic reflection (\u201c{phrase}\u201d): tells the interviewer nothing about this story.", generic)
        stop = frozenset(self.p.stopwords)
        mine = set().union(*(content_words(s.norm, stop) for s in sents))
        rest = set().union(set(), *(content_words(s.norm, stop) for s in self.story.sentences if s.section is not Section.REFLECTION))
        shared = sorted(mine & rest)
        if len(shared) >= self.lim.reflection_overlap_min:
            return self._f("reflection.specific", Section.REFLECTION, Verdict.PASS,
                           f"Tied to the story ({', '.join(shared[:4])}).", sents[:1])
        return self._f("reflection.specific", Section.REFLECTION, Verdict.WARN,
                       "The Reflection barely touches the story: name what this story taught you.", sents[:1])

    def reflection_systemic(self) -> Finding:
        sents = self.story.of(Section.REFLECTION)
        if not sents:
            return self._missing("reflection.systemic", Section.REFLECTION)
        hits = [s for s in sents if find_phrase(s.norm, self.p.systemic)]
        if hits:
            return self._f("reflection.systemic", Section.REFLECTION, Verdict.PASS,
                           "Names a systemic or organisational cause.", hits[:1])
        return self._f("reflection.systemic", Section.REFLECTION, Verdict.FAIL,
                       "At senior level the Reflection must name the systemic or organisational root cause, "
                       "beyond the code.", sents[:1])


def _timing_finding(
    check: str, section: Section | None, status: str, duration_s: float | None, target_s: float,
    target_text: str, coaching: str, evidence: tuple[Evidence, ...],
) -> Finding:
    if status == "missing" or duration_s is None:
        return Finding(check, section, Verdict.FAIL, f"Not heard ({target_text}).", evidence, coaching)
    if status == "ok":
        return Finding(check, section, Verdict.PASS, f"{duration_s:.0f} s against {target_text}.", evidence, coaching)
    # A section off its target is a warning; the whole answer far off the level's budget fails.
    far = duration_s > 2 * target_s if status == "over" else duration_s < 0.5 * target_s
    verdict = Verdict.FAIL if far and section is None else Verdict.WARN
    word = "over" if status == "over" else "under"
    return Finding(check, section, verdict, f"{duration_s:.0f} s against {target_text}: {word}.", evidence, coaching)


# --- delivery -----------------------------------------------------------------------------------------------


def _wpm(words: Sequence[Word]) -> float | None:
    if len(words) < 2:
        return None
    spoken_s = words[-1].end_s - words[0].start_s
    return round(len(words) / spoken_s * 60, 1) if spoken_s > 0 else None


def _delivery(
    story: _Story, transcript: Transcript, rubric: Rubric, total: star.TotalTiming
) -> tuple[DeliveryStats, list[Finding]]:
    p, lim = rubric.phrases, rubric.limits
    words = story.words
    findings: list[Finding] = []

    def fix(check: str) -> str:
        return rubric.check(check).fix

    wpm = _wpm(words)
    if wpm is None:
        findings.append(Finding("delivery.pace", None, Verdict.NOT_MEASURED, "Too few words to measure pace.", (), fix("delivery.pace")))
    elif wpm < lim.wpm_slow or wpm > lim.wpm_fast:
        word = "slow" if wpm < lim.wpm_slow else "fast"
        findings.append(Finding("delivery.pace", None, Verdict.WARN, f"{wpm:.0f} words per minute: {word}.", (), fix("delivery.pace")))
    else:
        findings.append(Finding("delivery.pace", None, Verdict.PASS, f"{wpm:.0f} words per minute.", (), fix("delivery.pace")))

    # Fillers. Whisper drops most fillers of real speakers (faster-whisper #319, #901): fillers.report says
    # how far the count can be trusted (filler prompt used, little voiced time left without words), and a
    # count that cannot be trusted is a lower bound; zero then means "not heard", never "none said".
    rep = fillers.report(transcript, heard_with_prompt=transcript.heard_fillers,
                         speech=transcript.voiced or None, lexicon=p.fillers)
    n_fill, per100, reliable = rep.count, rep.per_100_words, rep.is_reliable
    if not words:
        findings.append(Finding("delivery.fillers", None, Verdict.NOT_MEASURED, "No words heard.", (), fix("delivery.fillers")))
    elif reliable or n_fill:
        assert per100 is not None
        if per100 >= lim.fillers_fail_per_100:
            verdict = Verdict.FAIL
        elif per100 >= lim.fillers_warn_per_100:
            verdict = Verdict.WARN
        else:
            verdict = Verdict.PASS if reliable else Verdict.NOT_MEASURED
        evidence = tuple(Evidence(h.text, h.start_s) for h in rep.hits[:3])
        findings.append(Finding("delivery.fillers", None, verdict, rep.note, evidence, fix("delivery.fillers")))
    else:
        findings.append(Finding("delivery.fillers", None, Verdict.NOT_MEASURED, rep.note, (), fix("delivery.fillers")))

    # Long pauses: from the voice-activity detector where the recording was analysed (word timestamps are
    # off by up to ~0.45 s; ASR-NOTES), else from gaps between words.
    pauses: list[Evidence] = []
    for gap_start, gap_end in _silences(transcript, words):
        if gap_end - gap_start >= lim.pause_long_s:
            nxt = next((w for w in words if w.start_s >= gap_end - lim.timestamp_error_s), None)
            if nxt is None:
                continue  # silence after the last word is the end of the answer, not a pause in it
            sent = next((s for s in story.sentences if s.start_s <= nxt.start_s <= s.end_s), None)
            pauses.append(Evidence(f"[{gap_end - gap_start:.1f} s pause] {sent.text if sent else nxt.text}", gap_end))
    n_p = len(pauses)
    if not words:
        findings.append(Finding("delivery.pauses", None, Verdict.NOT_MEASURED, "No words heard.", (), fix("delivery.pauses")))
        findings.append(Finding("delivery.hedges", None, Verdict.NOT_MEASURED, "No words heard.", (), fix("delivery.hedges")))
        return _stats(words, wpm, total, n_fill, None, reliable, 0, 0), findings
    note = ("(measured from voice activity)" if transcript.voiced else
            f"(word timings are \u00b1{lim.timestamp_error_s:.2g} s, so borderline pauses may be miscounted)")
    pv = Verdict.FAIL if n_p >= lim.pauses_fail else Verdict.WARN if n_p >= lim.pauses_warn else Verdict.PASS
    findings.append(Finding("delivery.pauses", None, pv,
                            f"{n_p} pause{'s' if n_p != 1 else ''} over {lim.pause_long_s:.0f} s {note}.",
                            tuple(pauses[:5]), fix("delivery.pauses")))

    hedged = [s for s in story.sentences if find_phrase(s.norm, p.hedges)]
    n_h = _count(" ".join(s.norm for s in story.sentences), p.hedges)
    hv = Verdict.FAIL if n_h >= lim.hedges_fail else Verdict.WARN if n_h >= lim.hedges_warn else Verdict.PASS
    shown = ", ".join(sorted({f"\u201c{find_phrase(s.norm, p.hedges)}\u201d" for s in hedged}))
    findings.append(Finding("delivery.hedges", None, hv,
                            f"{n_h} hedge{'s' if n_h != 1 else ''}" + (f": {shown}." if shown else "."),
                            tuple(s.evidence for s in hedged), fix("delivery.hedges")))

    shown_rate = round(per100, 2) if per100 is not None and (reliable or n_fill) else None
    return _stats(words, wpm, total, n_fill, shown_rate, reliable, n_p, n_h), findings


def _silences(transcript: Transcript, words: Sequence[Word]) -> list[tuple[float, float]]:
    """(start_s, end_s) of each silence between speech, inside the spoken part of the answer."""
    if transcript.voiced:
        voiced = sorted(transcript.voiced)
        return [(a_end, b_start) for (_, a_end), (b_start, _) in zip(voiced, voiced[1:])]
    return [(a.end_s, b.start_s) for a, b in zip(words, words[1:])]


def _stats(
    words: Sequence[Word], wpm: float | None, total: star.TotalTiming, n_fill: int, per100: float | None,
    fillers_reliable: bool, n_pauses: int, n_hedges: int,
) -> DeliveryStats:
    return DeliveryStats(
        word_count=len(words),
        wpm=wpm,
        total_s=round(total.duration_s, 3),
        budget_min_s=total.budget_min_s,
        budget_max_s=total.budget_max_s,
        total_timing=str(total.status),
        filler_count=n_fill,
        fillers_per_100_words=per100,
        fillers_reliable=fillers_reliable,
        long_pauses=n_pauses,
        hedges=n_hedges,
    )


# --- scoring ------------------------------------------------------------------------------------------------


def _group(check: str) -> str:
    prefix, _, rest = check.partition(".")
    if prefix == "timing":
        return DELIVERY if rest == "total" else rest
    return prefix


def _weights(findings: Sequence[Finding], rubric: Rubric, lp: str | None) -> dict[str, float]:
    """Overall weight per check: the section weight shared out by check weight, times the LP factor."""
    factors = rubric.lp_factors.get(lp.casefold(), {}) if lp else {}
    scored = [f for f in findings if f.verdict is not Verdict.NOT_MEASURED]
    totals: dict[str, float] = {}
    for f in scored:
        totals[_group(f.check)] = totals.get(_group(f.check), 0.0) + rubric.check(f.check).weight
    return {
        f.check: rubric.section_weights[_group(f.check)] * rubric.check(f.check).weight / totals[_group(f.check)]
        * factors.get(f.check, 1.0)
        for f in scored
    }


def _group_score(findings: Sequence[Finding], group: str, rubric: Rubric) -> int:
    scored = [f for f in findings if _group(f.check) == group and f.verdict is not Verdict.NOT_MEASURED]
    total = sum(rubric.check(f.check).weight for f in scored)
    if not total:
        return 0
    return round(100 * sum(rubric.check(f.check).weight * _POINTS[f.verdict] for f in scored) / total)


def _hire_verdict(overall: int, findings: Sequence[Finding], rubric: Rubric, sections_heard: int) -> str:
    if sections_heard < rubric.limits.min_sections_heard:
        return rubric.verdicts[-1].name  # not a story yet
    name = next(b.name for b in rubric.verdicts if overall >= b.min_score)
    disqualified = any(f.verdict is Verdict.FAIL and rubric.check(f.check).is_disqualifier for f in findings)
    names = [b.name for b in rubric.verdicts]  # best first
    cap = "Leaning No Hire"
    if disqualified and cap in names and names.index(name) < names.index(cap):
        return cap
    return name


def _bar_raiser(
    findings: Sequence[Finding], ranked: Sequence[Finding], verdict: str, delivery_score: int,
    rubric: Rubric, lp: str | None, missing: Iterable[Section],
) -> str:
    content = [f for f in findings if _group(f.check) != DELIVERY and not f.check.startswith("timing.")]
    content_fails = [f for f in content if f.verdict is Verdict.FAIL]
    content_warns = [f for f in content if f.verdict is Verdict.WARN]
    delivery_ok = delivery_score >= 60
    # The seeds' "Sounds competent but fails on content" is a No Hire line; above the middle of the
    # verdict scale a failed check is a gap in a good answer, not a failed answer.
    names = [b.name for b in rubric.verdicts]  # best first
    is_positive = verdict in names and names.index(verdict) < len(names) // 2
    if content_fails and not is_positive:
        opener = "Sounds competent but fails on content." if delivery_ok else "Fails on content and on delivery."
    elif content_fails or content_warns:
        opener = "Solid story with gaps." if delivery_ok else "Solid content, shaky delivery."
    else:
        opener = "Clear ownership, quantified impact, specific reflection." if delivery_ok else "Strong content, shaky delivery."
    clauses: list[str] = []
    fails = [f for f in ranked if f.verdict is Verdict.FAIL]
    worth_saying = fails or [f for f in ranked if f in content_warns]
    gone = set(missing)
    for f in worth_saying:
        # A section that was never heard fails all its checks; say so once instead of per check.
        spec = rubric.check(f.check)
        clause = spec.bar_raiser
        if f.section in gone:
            clause = f"No {f.section.value.capitalize()}."
        elif spec.bar_raiser_they and "\u2018we\u2019" not in f.message and "\u2018they\u2019" in f.message:
            clause = spec.bar_raiser_they
        if clause not in clauses:
            clauses.append(clause)
        if len(clauses) == 3:
            break
    target = "this LP" if lp is None else lp
    if not findings or all(f.verdict is not Verdict.PASS for f in content):
        if not any(f.section is not None and f.section not in gone for f in content):
            return f"Nothing heard: no answer to judge. {verdict} for {target}."
    return " ".join([opener, *clauses, f"{verdict} for {target}."])


def _fix_text(f: Finding, rubric: Rubric) -> str:
    """The rubric's fix; for timing, with the measured time so the number is in front of the candidate."""
    fix = rubric.check(f.check).fix
    return f"{fix} (Now: {f.message.rstrip('.')}.)" if f.check.startswith("timing.") else fix


def score(
    transcript: Transcript,
    spans: Sequence[Span],
    question: Question,
    level: Level,
    lp: str | None = None,
    rubric: Rubric | None = None,
) -> Scorecard:
    """Judge one answer.

    Args:
        spans: the STAR spans of `transcript` (from `star.segment`).
        lp: one of `question`'s LP angle names; weights the findings (see rubric.toml). Unknown names are
            a programming error (ValueError): the CLI checks them first.

    Fillers count as measured only when `transcript.heard_fillers` and its voice activity say so; otherwise
    a count is a lower bound or "not measurable".
    """
    r = rubric or load_rubric()
    if lp is not None and question.lp_angle(lp) is None:
        raise ValueError(f"{lp!r} is not an LP angle of question {question.id!r}")
    lp_name = None if lp is None else question.lp_angle(lp).name  # type: ignore[union-attr]
    story = _story(transcript, spans)
    c = _Checker(story, question, level, r)

    targets = {g.section: g.target_s for g in question.sections}
    guide = question.level(level)
    timings = {t.section: t for t in star.time_sections(tuple(spans), targets)}
    total = star.time_total(tuple(spans), guide.budget_min_s, guide.budget_max_s)

    findings: list[Finding] = []
    for sec in SECTION_ORDER:
        t = timings[sec]
        first = story.of(sec)[:1]
        findings.append(_timing_finding(
            f"timing.{sec.value}", sec, str(t.status), t.duration_s, t.target_s, f"{t.target_s:.0f} s target",
            r.check(f"timing.{sec.value}").fix, tuple(s.evidence for s in first)))
    budget = (f"the {guide.budget_min_s / 60:g}-{guide.budget_max_s / 60:g} min budget"
              if guide.budget_min_s != guide.budget_max_s else f"the {guide.budget_max_s / 60:g} min budget")
    mid_s = (guide.budget_min_s + guide.budget_max_s) / 2
    findings.append(_timing_finding("timing.total", None, str(total.status), total.duration_s, mid_s, budget,
                                    r.check("timing.total").fix, ()))
    findings += [c.situation_concise(), c.task_scope(), c.task_assigned(), c.action_i(), c.action_routing(),
                 c.action_depth(), c.action_key_moves(), c.result_metric(), c.result_business(),
                 c.result_second_order(), c.result_vague(), c.reflection_specific()]
    if level is Level.SENIOR:
        findings.append(c.reflection_systemic())
    stats, delivery = _delivery(story, transcript, r, total)
    findings += delivery

    weights = _weights(findings, r, lp_name)
    total_w = sum(weights.values())
    overall = round(100 * sum(w * _POINTS[f.verdict] for f in findings if (w := weights.get(f.check)) is not None) / total_w)
    order = {cid: i for i, cid in enumerate(r.checks)}
    ranked = sorted(
        (f for f in findings if f.verdict in (Verdict.FAIL, Verdict.WARN)),
        key=lambda f: (f.verdict is not Verdict.FAIL, -weights[f.check] * (1 - _POINTS[f.verdict]), order[f.check]),
    )
    verdict = _hire_verdict(overall, findings, r, len(story.spans))
    delivery_score = _group_score(findings, DELIVERY, r)
    sections = tuple(
        SectionScore(
            section=sec,
            score=_group_score(findings, sec.value, r) if sec in story.spans else 0,  # not heard: nothing earned
            target_s=timings[sec].target_s,
            duration_s=None if timings[sec].duration_s is None else round(timings[sec].duration_s, 3),  # type: ignore[arg-type]
            timing=str(timings[sec].status),
            wpm=_wpm(story.spans[sec].words) if sec in story.spans else None,
        )
        for sec in SECTION_ORDER
    )
    return Scorecard(
        rubric_version=r.version,
        question_id=question.id,
        level=level,
        lp=lp_name,
        overall=overall,
        verdict=verdict,
        bar_raiser=_bar_raiser(
            findings, ranked, verdict, delivery_score, r, lp_name, (s for s in SECTION_ORDER if s not in story.spans)
        ),
        sections=sections,
        delivery_score=delivery_score,
        delivery=stats,
        findings=tuple(findings),
        fixes=tuple(Fix(f.check, f.section, _fix_text(f, r)) for f in ranked[:3]),
    )
