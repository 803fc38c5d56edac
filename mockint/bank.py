"""The question bank: typed `Question` records parsed from `prompts/<id>.toml`.

`parse_bank(text, source)` is pure and validates every field; `load_bank(folder)` reads the files.
The file layout is described in prompts/README.md. Choosing a question at random is not here.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from mockint.errors import BankError
from mockint.star import SECTION_ORDER, Section


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
    intent: str  # what the follow-up tests (the page's "Probes:" line)
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
    budget_text: str = ""  # the page's own words, e.g. "Keep to 2 minutes."


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
    # The page's "SDE2 Reflection" and "Senior Reflection" blocks (the level guides carry their own
    # example reflections, which some pages word differently).
    sde2_reflection: str = ""
    senior_reflection: str = ""

    def section(self, section: Section) -> SectionGuide:
        return next(s for s in self.sections if s.section is section)

    def level(self, level: Level) -> LevelGuide:
        return next(g for g in self.levels if g.level is level)

    def lp_angle(self, name: str) -> LpAngle | None:
        wanted = name.strip().casefold()
        return next((a for a in self.lp_angles if a.name.casefold() == wanted), None)


# --- loading and validation ---------------------------------------------------------------------

_ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FILE_LEVELS = (Level.SDE1, Level.SENIOR)  # SDE 2 is built, see _sde2_guide


def parse_bank(text: str, source: str) -> Question:
    """Parse and validate one question file.

    `source` names the file in messages (the path as the user gave it). Raises `BankError` with one
    line: `<source>: <dotted.field>: <what is wrong; what to do>`.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise BankError(_toml_message(source, str(e))) from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise BankError(f"{source}: not valid TOML (arrays or tables nested too deeply); fix the file") from None
    root = _Table(data, source, "")
    question_id = root.text("id")
    if not _ID_PATTERN.fullmatch(question_id):
        raise root.error("id", f"'{question_id}' must be lowercase letters, digits and hyphens, e.g. 'disagree-and-commit'")
    title = root.text("title")
    scenario = root.table("scenario")
    overview, summary = scenario.text("overview"), scenario.text("summary")
    scenario.done()
    reflections = root.table("reflections")
    sde2_reflection, senior_reflection = reflections.text("sde2"), reflections.text("senior")
    reflections.done()
    sections = _sections(root.table("sections"), senior_reflection)
    probes = tuple(_probe(t) for t in root.tables("probes"))
    weak = root.table("weak_answer")
    weak_answer = WeakAnswer(text=weak.text("text"), flaws=weak.texts("flaws"), bar_raiser=weak.text("bar_raiser"))
    weak.done()
    quiz = tuple(_quiz_item(t) for t in root.tables("quiz", required=False))
    lp_angles = tuple(_lp_angle(t) for t in root.tables("lp_angles"))
    names = [a.name.casefold() for a in lp_angles]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise root.error(f"lp_angles[{i + 1}].name", f"'{lp_angles[i].name}' is listed twice; give each angle once")
    levels = _levels(root.table("levels"), sde2_reflection)
    root.done()
    return Question(
        id=question_id,
        title=title,
        leadership_principles=tuple(a.name for a in lp_angles),
        scenario=overview,
        summary=summary,
        sections=sections,
        probes=probes,
        weak_answer=weak_answer,
        quiz=quiz,
        lp_angles=lp_angles,
        levels=levels,
        sde2_reflection=sde2_reflection,
        senior_reflection=senior_reflection,
    )


def load_bank(folder: Path) -> tuple[Question, ...]:
    """Every `*.toml` question in `folder`, in file-name order; ids must be unique across files."""
    fix = "pass --bank DIR or set MOCKINT_BANK to a folder of question .toml files."
    try:
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "not found"
            raise BankError(f"{folder}: question folder {what}; {fix}")
        files = sorted(p for p in folder.glob("*.toml") if p.is_file())
    except OSError as e:  # a path too long for the system, a loop of links, no permission
        raise BankError(f"{str(folder)[:80]}: question folder cannot be used ({e.strerror or e}); {fix}") from None
    if not files:
        raise BankError(f"{folder}: no question files (*.toml) in this folder; add one (see prompts/README.md) or pass --bank DIR.")
    questions: list[Question] = []
    seen: dict[str, Path] = {}
    for path in files:
        question = parse_bank(_read(path), str(path))
        if question.id in seen:
            raise BankError(f"{path}: id: '{question.id}' is already used by {seen[question.id]}; give each question its own id.")
        seen[question.id] = path
        questions.append(question)
    return tuple(questions)


def find_question(questions: Iterable[Question], question_id: str) -> Question:
    for q in questions:
        if q.id == question_id:
            return q
    raise BankError(f"Unknown question '{question_id}'. Run 'mockint questions' to list them.")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise BankError(f"{path}: not UTF-8 text (byte {e.start}); save the file as UTF-8.") from None
    except OSError as e:
        raise BankError(f"{path}: cannot be read ({e.strerror}); check the file's permissions.") from None


def _toml_message(source: str, detail: str) -> str:
    # tomllib (3.11) puts the position only in the message text: "Invalid value (at line 2, column 5)".
    m = re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", detail)
    if m:
        return f"{source}: line {m[2]}: not valid TOML ({m[1]} at column {m[3]}); fix the syntax on that line"
    return f"{source}: not valid TOML ({detail}); fix the syntax"


def _sections(table: _Table, senior_reflection: str) -> tuple[SectionGuide, ...]:
    known = {s.value for s in SECTION_ORDER}
    for key in table.keys():
        if key not in known:
            raise table.error(key, f"unknown section '{key}'; the sections are {', '.join(_section_names())}")
    guides = []
    for section in SECTION_ORDER:
        if section.value not in table.keys():
            raise table.error(section.value, f"missing; add a [sections.{section.value}] table (every question needs all five: {', '.join(_section_names())})")
        t = table.table(section.value)
        # The pages show no strong example for Reflection; the seed files leave it out and the
        # page's Senior Reflection stands in.
        example = t.optional_text("strong_example") if section is Section.REFLECTION else t.text("strong_example")
        guides.append(
            SectionGuide(
                section=section,
                target_s=t.positive("target_s"),
                strong_example=example or senior_reflection,
                key_phrases=t.texts("key_phrases"),
                coaching=t.text("coaching"),
                common_mistake=t.text("common_mistake"),
            )
        )
        t.done()
    table.done()
    return tuple(guides)


def _section_names() -> tuple[str, ...]:
    return tuple(s.value for s in SECTION_ORDER)


def _probe(t: _Table) -> Probe:
    probe = Probe(
        question=t.text("question"),
        intent=t.text("probes"),
        weak_answer=t.text("weak_answer"),
        weak_why=t.text("weak_why"),
        strong_answer=t.text("strong_answer"),
        tagline=t.text("tagline"),
    )
    t.done()
    return probe


def _quiz_item(t: _Table) -> QuizItem:
    item = QuizItem(question=t.text("question"), explanation=t.text("explanation"))
    t.done()
    return item


def _lp_angle(t: _Table) -> LpAngle:
    angle = LpAngle(name=t.text("name"), guidance=t.text("guidance"), emphasise=t.text("emphasise"), downplay=t.text("downplay"))
    t.done()
    return angle


def _levels(table: _Table, sde2_reflection: str) -> tuple[LevelGuide, ...]:
    allowed = {lv.value for lv in _FILE_LEVELS}
    for key in table.keys():
        if key not in allowed:
            hint = " (SDE 2 guidance is built from [reflections] sde2)" if key == Level.SDE2.value else ""
            raise table.error(key, f"unknown level '{key}'; use [levels.sde1] and [levels.senior]{hint}")
    guides: dict[Level, LevelGuide] = {}
    for level in _FILE_LEVELS:
        t = table.table(level.value)
        low, high = t.positive("budget_min_s"), t.positive("budget_max_s")
        if low > high:
            raise t.error("budget_min_s", f"{_num(low)} is more than budget_max_s ({_num(high)}); the minimum must not exceed the maximum")
        guides[level] = LevelGuide(
            level=level,
            guidance=t.text("guidance"),
            reflection=t.text("reflection"),
            bar=t.text("bar"),
            budget_min_s=low,
            budget_max_s=high,
            budget_text=t.text("budget"),
        )
        t.done()
    table.done()
    sde1, senior = guides[Level.SDE1], guides[Level.SENIOR]
    return (sde1, _sde2_guide(sde1, senior, sde2_reflection), senior)


def _sde2_guide(sde1: LevelGuide, senior: LevelGuide, reflection: str) -> LevelGuide:
    # The pages have level guidance for SDE 1 and Senior SDE only, plus an "SDE2 Reflection".
    # PRODUCT.md: "SDE 2 sits between them", so the SDE 2 budget is interpolated: from the SDE 1 cap
    # to the Senior floor (120-150 s for the seeds). Guidance and bar are likewise stated as "between".
    low = sde1.budget_max_s
    high = max(low, senior.budget_min_s)
    return LevelGuide(
        level=Level.SDE2,
        guidance="SDE 2 sits between SDE 1 and Senior SDE: meet the SDE 1 bar in full and add some of the Senior organisational thinking.",
        reflection=reflection,
        bar=f"More than SDE 1 ({sde1.bar.rstrip('.')}); less than Senior SDE ({senior.bar.rstrip('.')}).",
        budget_min_s=low,
        budget_max_s=high,
        budget_text=f"Between SDE 1 and Senior SDE: {_minutes(low)}-{_minutes(high)} minutes.",
    )


def _minutes(seconds: float) -> str:
    return _num(round(seconds / 60, 2))


def _num(value: float) -> str:
    return f"{value:g}"


def _clean(value: str) -> str:
    # Long texts may be wrapped over several lines in the file; line breaks read as spaces.
    return " ".join(value.split())


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


class _Table:
    """One TOML table being validated: typed getters that raise one-line `BankError`s, and `done()`
    to reject fields nobody asked for (usually typos)."""

    def __init__(self, data: Mapping[str, Any], source: str, path: str) -> None:
        self._data = data
        self._source = source
        self._path = path
        self._used: set[str] = set()

    def keys(self) -> tuple[str, ...]:
        return tuple(self._data)

    def error(self, key: str, problem: str) -> BankError:
        field = f"{self._path}.{key}" if self._path else key
        return BankError(f"{self._source}: {field}: {problem}")

    def _get(self, key: str, fix: str) -> Any:
        self._used.add(key)
        if key not in self._data:
            raise self.error(key, f"missing; add {fix}")
        return self._data[key]

    def _add_field(self, key: str, example: str) -> str:
        if not self._path:
            return f"{key} = {example}"
        where = f"[{self._path}]" if "[" not in self._path else self._path
        return f"{key} = {example} under {where}"

    def text(self, key: str) -> str:
        value = self._get(key, self._add_field(key, '"..."'))
        if not isinstance(value, str):
            raise self.error(key, f"must be text in quotes, not {_kind(value)}")
        value = _clean(value)
        if not value:
            raise self.error(key, "must not be empty")
        return value

    def optional_text(self, key: str) -> str | None:
        if key not in self._data:
            self._used.add(key)
            return None
        return self.text(key)

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key, self._add_field(key, '["...", "..."]'))
        if not isinstance(value, list):
            raise self.error(key, f'must be a list of texts, e.g. ["...", "..."], not {_kind(value)}')
        if not value:
            raise self.error(key, "must list at least one entry")
        items = []
        for i, item in enumerate(value, start=1):
            if not isinstance(item, str):
                raise self.error(f"{key}[{i}]", f"must be text in quotes, not {_kind(item)}")
            if not _clean(item):
                raise self.error(f"{key}[{i}]", "must not be empty")
            items.append(_clean(item))
        return tuple(items)

    def positive(self, key: str) -> float:
        value = self._get(key, self._add_field(key, "30"))
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
            got = f"not {_kind(value)}" if isinstance(value, bool) or not isinstance(value, int | float) else f"not {value}"
            raise self.error(key, f"must be a positive number of seconds, {got}")
        return float(value)

    def table(self, key: str) -> _Table:
        value = self._get(key, f"a [{self._child(key)}] table")
        if not isinstance(value, dict):
            raise self.error(key, f"must be a table ([{self._child(key)}] with fields under it), not {_kind(value)}")
        return _Table(value, self._source, self._child(key))

    def tables(self, key: str, *, required: bool = True) -> tuple[_Table, ...]:
        if not required and key not in self._data:
            self._used.add(key)
            return ()
        value = self._get(key, f"at least one [[{self._child(key)}]] block")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(key, f"must be a list of tables, written as [[{self._child(key)}]] blocks, not {_kind(value)}")
        if required and not value:
            raise self.error(key, f"needs at least one [[{self._child(key)}]] block")
        return tuple(_Table(v, self._source, f"{self._child(key)}[{i}]") for i, v in enumerate(value, start=1))

    def _child(self, key: str) -> str:
        return f"{self._path}.{key}" if self._path else key

    def done(self) -> None:
        for key in self._data:
            if key not in self._used:
                expected = ", ".join(sorted(self._used))
                raise self.error(key, f"unknown field; expected only {expected}")
