"""The rubric as data: checks, weights, verdict bands, limits, phrase lists and probe kinds.

Everything a check compares against lives in `rubric.toml` beside this module; this module only reads
and validates it. The checks themselves are checks.py and delivery.py; tying them into a score, scoring.py.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from mockint.text import normalise

DELIVERY = "delivery"  # the pseudo-section of delivery checks in weights and scores
RUBRIC_VERSION: str = "2026.11.7"  # must equal `version` in rubric.toml (a test checks it)


@dataclass(frozen=True, slots=True)
class CheckSpec:
    id: str
    label: str
    weight: float
    bar_raiser: str  # the clause of the "Bar Raiser thinks" line when this check fails
    fix: str
    is_disqualifier: bool = False
    bar_raiser_they: str = ""  # the clause when others ("they"), not "we", did the work
    fix_phrase: str = ""  # the fix when the finding quotes what was said: "{phrase}" is replaced by it


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
    hedges: tuple[str, ...]
    stopwords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProbeKind:
    """A kind of follow-up probe: words that identify it, the checks whose gaps call for it, how to ask it
    about the candidate's own story, and what a good answer to it says (see rubric.toml)."""

    name: str
    keywords: tuple[str, ...]
    checks: tuple[str, ...]
    quote_from: tuple[str, ...] = ()  # STAR section values to quote, in order of preference
    ask: str = ""
    ask_quoting: str = ""  # with "{quote}"
    signals: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (what it shows, phrases or #special tokens)
    need: int = 2


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
                fix_phrase=str(c.get("fix_phrase", "")),
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
            probe_kinds=tuple(_probe_kind(name, t) for name, t in data["probe_kinds"].items()),
            probe_judging=ProbeJudging(
                strong_overlap_pass=float(data["probe_judging"]["strong_overlap_pass"]),
                strong_overlap_min=float(data["probe_judging"]["strong_overlap_min"]),
                weak_patterns=tuple(normalise(p) for p in data["probe_judging"]["weak_patterns"]),
            ),
        )
    except (KeyError, TypeError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"malformed rubric: {e!r}") from e


def _probe_kind(name: str, t: Mapping[str, Any]) -> ProbeKind:
    return ProbeKind(
        name=name,
        keywords=tuple(normalise(k) for k in t["keywords"]),
        checks=tuple(t["checks"]),
        quote_from=tuple(str(x) for x in t.get("quote_from", ())),
        ask=str(t.get("ask", "")),
        ask_quoting=str(t.get("ask_quoting", "")),
        signals=tuple(
            (str(label), tuple(p if p.startswith("#") else normalise(p) for p in phrases))
            for label, phrases in t.get("signals", {}).items()
        ),
        need=int(t.get("need", 2)),
    )


@functools.cache
def load_rubric() -> Rubric:
    """The rubric shipped inside the package (`mockint/rubric.toml`)."""
    return parse_rubric(resources.files("mockint").joinpath("rubric.toml").read_text(encoding="utf-8"))

