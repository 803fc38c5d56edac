"""STAR sections: the `Section` enum, `Span` (one detected section), `segment()` and section timing.

Pure and standard library only: a `Transcript` in, ordered spans out; spans and targets in, timings out.
No audio, no model, no clock, no file I/O. The cue vocabulary is data, in cues.py.

How `segment()` works (see `_units`, `_pieces`, `_unit_scores`, `_emissions`, `_decode`):
1. Split the words into sentence-like units at sentence punctuation, at pauses, and before signposts
   ("as a result", "looking back"); when the transcript has almost no punctuation, also before
   discourse markers ("so", "and then", "after that"). Long units, where Whisper may have run two
   sentences together, are cut into clauses whose scores blend their own cues with the sentence's.
2. Score each piece for each section from cue features: signpost phrases, "I <past-tense verb>"
   actions, numbers and change verbs (Result), hindsight and present-tense generalisation
   (Reflection), setting and past-state language (Situation), responsibility and scope language
   (Task), plus a soft prior on the piece's position in the answer. Fillers carry no evidence.
3. Decode the best monotone labelling (Situation -> Task -> Action -> Result -> Reflection; sections
   may be skipped) with a Viterbi pass. Entering a section costs something, so a section needs
   evidence to appear at all: a missing section is left out, never invented.

The weights in `SegmentOptions` were set by hand, then adjusted by a hill-climb on
scripts/data/star_dev.json (text and espeak-ng -> Whisper audio); scripts/eval_star.py measures them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from mockint import cues

from mockint.text import clean_word, ends_sentence, is_filled_pause
from mockint.transcript import Transcript, Word


class Section(StrEnum):
    SITUATION = "situation"
    TASK = "task"
    ACTION = "action"
    RESULT = "result"
    REFLECTION = "reflection"


SECTION_ORDER: tuple[Section, ...] = tuple(Section)
_S, _T, _A, _R, _X = SECTION_ORDER


@dataclass(frozen=True, slots=True)
class Span:
    """One detected section: its words and its time in the recording.

    `end_s` is the start of the next section's first word (a pause belongs to the section it
    follows); the last span ends at its last word.
    """

    section: Section
    start_s: float
    end_s: float
    words: tuple[Word, ...]

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True, slots=True)
class SegmentOptions:
    """Tuning of `segment()`. Units: seconds; scores are additive log-odds-like points."""

    unit_pause_s: float = 0.7  # a gap at least this long between words starts a new unit
    min_signpost_unit_words: int = 3  # split before a signpost only after this many words
    long_unit_words: int = 16  # a unit this long (maybe two sentences run together) is cut into clauses...
    clause_min_words: int = 5  # ...of at least this many words
    clause_weight: float = 0.45  # a clause's score: this much its own cues, the rest its share of the unit's
    marker_split_min_words: int = 6  # with scarce punctuation, split before a marker after this many
    scarce_punctuation_words: int = 30  # fewer than one sentence end per this many words = scarce
    enter_cost: float = 0.5  # entering a section (a section must earn its place)
    min_section_words: int = 5  # a section (after the first) with fewer words joins the one before
    pause_bonus_per_s: float = 0.5  # a pause before a unit makes a section change there cheaper...
    pause_bonus_max: float = 0.6  # ...up to this much (less than enter_cost: a pause alone is no evidence)
    position_weight: float = 6.5  # how strongly a unit's place in the answer pulls its label
    action_bias: float = 0.6  # first-person narrative in the middle is most often Action
    outcome_bias: float = 0.3  # a sentence about others, not "I"/"we", late in a story is often Result
    opening_situation: float = 1.0  # answers usually open by setting the scene
    task_bias: float = 0.0  # added to every unit's Task score (negative: Task needs more evidence)
    i_past_action: float = 1.8  # per "I <past verb>"
    we_past_action: float = 0.85  # per "we <past verb>"
    number_result: float = 0.95  # per number, percent or money amount (capped at 3)
    change_with_number_result: float = 0.65  # a change verb in a unit that also has a number
    present_reflection: float = 0.1  # per present-tense marker
    habitual_reflection: float = 0.8  # per "I <present verb>" ("I always ask", "I think")
    past_reflection: float = -0.5  # per past-tense marker
    state_situation: float = 0.45  # per past-state marker (was, were, had)


DEFAULT_OPTIONS = SegmentOptions()

# Where each section usually sits, as a fraction of the answer's words (from the seeds' targets,
# DEFAULT_TARGETS_S, with generous margins, because real answers skip and stretch sections).
_POSITION_RANGE: dict[Section, tuple[float, float]] = {
    _S: (0.0, 0.25), _T: (0.1, 0.4), _A: (0.15, 0.85), _R: (0.5, 1.0), _X: (0.7, 1.0),
}


@dataclass(frozen=True, slots=True)
class _Unit:
    first: int  # index of the first word
    last: int  # index past the last word
    tokens: tuple[str, ...]  # cleaned lower-case tokens, fillers and repeats removed
    pause_before_s: float


def segment(transcript: Transcript, options: SegmentOptions = DEFAULT_OPTIONS) -> tuple[Span, ...]:
    """Split a transcript into ordered, non-overlapping STAR spans covering every word.

    Only sections the answer contains are returned; an empty transcript gives ().
    """
    words = transcript.words
    if not words:
        return ()
    units, scores = _pieces(words, options)
    labels = _merge_scraps(_decode(_emissions(units, scores, options), units, options), units, options)
    spans: list[Span] = []
    start = 0
    for i in range(1, len(units) + 1):
        if i == len(units) or labels[i] != labels[start]:
            first, last = units[start].first, units[i - 1].last
            span_words = words[first:last]
            end_s = words[last].start_s if last < len(words) else span_words[-1].end_s
            spans.append(Span(labels[start], span_words[0].start_s, end_s, span_words))
            start = i
    return tuple(spans)


def _merge_scraps(labels: list[Section], units: Sequence[_Unit], options: SegmentOptions) -> list[Section]:
    """Give a later section of only a few words (a stray phrase, words Whisper made up) to the one before."""
    out = list(labels)
    changed = True
    while changed:
        changed = False
        runs: list[tuple[int, int]] = []
        for i in range(len(out)):
            if i and out[i] == out[i - 1]:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
        if len(runs) < 2:
            break
        for k, (a, b) in enumerate(runs[1:], start=1):  # a terse opening ("Our site flooded.") is fine
            size = sum(len(u.tokens) for u in units[a:b])
            if size < options.min_section_words:
                out[a:b] = [out[a - 1]] * (b - a)
                changed = True
                break
    return out


def _phrase_starts(tokens: Sequence[str], i: int, phrases: Iterable[str]) -> bool:
    for parts in _split_phrases(tuple(phrases)):
        if tokens[i] == parts[0] and tuple(tokens[i : i + len(parts)]) == parts:
            return True
    return False


@functools.cache
def _split_phrases(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in phrases)


def _units(words: Sequence[Word], cleaned: Sequence[str], options: SegmentOptions) -> list[_Unit]:
    """Sentence-like units: cut at sentence punctuation, pauses and signposts (and markers if unpunctuated)."""
    sentence_ends = sum(1 for w in words if ends_sentence(w.text))
    is_scarce = sentence_ends * options.scarce_punctuation_words < len(words)
    bounds = [0]
    for i in range(1, len(words)):
        size = i - bounds[-1]
        gap = words[i].start_s - words[i - 1].end_s
        if (
            ends_sentence(words[i - 1].text)
            or gap >= options.unit_pause_s
            or (size >= options.min_signpost_unit_words and _phrase_starts(cleaned, i, cues.SIGNPOSTS))
            or (is_scarce and size >= options.marker_split_min_words and _phrase_starts(cleaned, i, cues.MARKERS))
        ):
            bounds.append(i)
    bounds.append(len(words))
    return [_make_unit(a, b, words, cleaned) for a, b in zip(bounds, bounds[1:])]


def _make_unit(a: int, b: int, words: Sequence[Word], cleaned: Sequence[str]) -> _Unit:
    tokens: list[str] = []
    for t in cleaned[a:b]:
        if t and not is_filled_pause(t) and (not tokens or tokens[-1] != t):
            tokens.append(t)
    pause = words[a].start_s - words[a - 1].end_s if a else 0.0
    return _Unit(a, b, tuple(tokens), max(0.0, pause))


def _pieces(words: Sequence[Word], options: SegmentOptions) -> tuple[list[_Unit], list[dict[Section, float]]]:
    """The pieces the decoder labels, and each piece's section scores.

    Whisper often runs two sentences, and so two sections, into one with at most a comma between
    them. So each sentence-like unit is cut further into clauses (at commas, discourse markers and
    likely sentence subjects), and a clause's score blends its own cues with its share of the whole
    unit's score: a homogeneous sentence stays together, and a clear change of section inside a
    run-on sentence can still be found.
    """
    cleaned = [clean_word(w.text) for w in words]
    pieces: list[_Unit] = []
    scores: list[dict[Section, float]] = []
    for unit in _units(words, cleaned, options):
        whole = _unit_scores(unit, options)
        size = unit.last - unit.first
        for a, b in _clause_bounds(unit, words, cleaned, options):
            clause = _make_unit(a, b, words, cleaned)
            own = _unit_scores(clause, options) if (a, b) != (unit.first, unit.last) else whole
            share = (b - a) / size
            mix = options.clause_weight
            scores.append({s: mix * own[s] + (1.0 - mix) * share * whole[s] for s in SECTION_ORDER})
            pieces.append(clause)
    return pieces, scores


def _clause_bounds(unit: _Unit, words: Sequence[Word], cleaned: Sequence[str], options: SegmentOptions) -> list[tuple[int, int]]:
    a, b = unit.first, unit.last
    if b - a < options.long_unit_words:
        return [(a, b)]
    cuts = [a]
    for i in range(a + options.clause_min_words, b - options.clause_min_words + 1):
        if i - cuts[-1] >= options.clause_min_words and (
            words[i - 1].text.endswith((",", ";", ":"))
            or cleaned[i] in cues.SUBJECTS
            or _phrase_starts(cleaned, i, cues.MARKERS)
        ):
            cuts.append(i)
    cuts.append(b)
    return list(zip(cuts, cuts[1:]))


@dataclass(frozen=True, slots=True)
class _CueIndex:
    """The cue table compiled for matching token by token (built once, on first use)."""

    by_first: dict[str, tuple[tuple[tuple[str, ...], Section, float], ...]]  # phrases keyed by first token
    wild_first: dict[str, tuple[tuple[tuple[str, ...], Section, float], ...]]  # first token a prefix*: by 3 letters
    regexes: tuple[tuple[re.Pattern[str], Section, float], ...]


@functools.cache
def _cue_index() -> _CueIndex:
    by_first: dict[str, list[tuple[tuple[str, ...], Section, float]]] = {}
    wild: dict[str, list[tuple[tuple[str, ...], Section, float]]] = {}
    regexes: list[tuple[re.Pattern[str], Section, float]] = []
    for name, phrases in cues.CUES.items():
        section = Section(name)
        for phrase, weight in phrases:
            if phrase.startswith("re:"):
                regexes.append((re.compile(r"(?<= )" + phrase[3:] + r"(?= )"), section, weight))
                continue
            parts = tuple(phrase.split())
            if parts[0].endswith("*"):
                if len(parts[0]) < 4:
                    raise ValueError(f"cue {phrase!r}: a prefix needs at least 3 letters")
                wild.setdefault(parts[0][:3], []).append((parts, section, weight))
            else:
                by_first.setdefault(parts[0], []).append((parts, section, weight))
    return _CueIndex({k: tuple(v) for k, v in by_first.items()}, {k: tuple(v) for k, v in wild.items()}, tuple(regexes))


def _matches(tokens: Sequence[str], i: int, parts: tuple[str, ...]) -> bool:
    """Whether the phrase `parts` starts at token i; a part ending in "*" is kept as its prefix plus "*"."""
    if i + len(parts) > len(tokens):
        return False
    for part, token in zip(parts, tokens[i : i + len(parts)]):
        if part != token and not (part[-1] == "*" and token.startswith(part[:-1])):
            return False
    return True


def _add_cues(tokens: Sequence[str], scores: dict[Section, float]) -> None:
    index = _cue_index()
    for i, token in enumerate(tokens):
        for parts, section, weight in index.by_first.get(token, ()):
            if _matches(tokens, i, parts):
                scores[section] += weight
        for parts, section, weight in index.wild_first.get(token[:3], ()):
            if _matches(tokens, i, parts):
                scores[section] += weight
    joined = " " + " ".join(tokens) + " "
    for pattern, section, weight in index.regexes:
        n = len(pattern.findall(joined))
        if n:
            scores[section] += weight * n


def _is_number(token: str) -> bool:
    return any(c.isdigit() for c in token) or token in cues.NUMBER_WORDS or token.startswith("$")


def _subject_verbs(tokens: Sequence[str], subject: str) -> list[tuple[str, str]]:
    """The verb after each `subject` (skipping adverbs) and the word after that verb."""
    verbs = []
    for i, t in enumerate(tokens):
        if t != subject:
            continue
        j = i + 1
        while j < len(tokens) and j <= i + 3 and tokens[j] in cues.ADVERBS:
            j += 1
        if j < len(tokens):
            verbs.append((tokens[j], tokens[j + 1] if j + 1 < len(tokens) else ""))
    return verbs


def _is_past_verb(token: str) -> bool:
    return token in cues.IRREGULAR_PAST or (len(token) > 3 and token.endswith("ed"))


def _unit_scores(unit: _Unit, options: SegmentOptions) -> dict[Section, float]:
    scores = {s: 0.0 for s in SECTION_ORDER}
    if not unit.tokens:
        return scores
    _add_cues(unit.tokens, scores)
    for subject, weight in (("i", options.i_past_action), ("we", options.we_past_action)):
        for verb, after in _subject_verbs(unit.tokens, subject):
            other = cues.NOT_ACTION_PHRASE.get((verb, after)) or cues.NOT_ACTION_PAST.get(verb)
            if other is not None:
                scores[Section(other)] += weight * 0.5
            elif _is_past_verb(verb):
                scores[_A] += weight
            elif subject == "i" and verb.isalpha() and verb not in cues.NOT_HABITUAL and not verb.endswith("ing"):
                scores[_X] += options.habitual_reflection
    numbers = sum(1 for t in unit.tokens if _is_number(t))
    scores[_R] += options.number_result * min(numbers, 3)
    if numbers and any(t in cues.CHANGE_WORDS for t in unit.tokens):
        scores[_R] += options.change_with_number_result
    present = sum(1 for t in unit.tokens if t in cues.PRESENT_MARKERS)
    past = sum(1 for t in unit.tokens if t in cues.PAST_MARKERS or _is_past_verb(t))
    scores[_X] += options.present_reflection * present + options.past_reflection * min(past, 3)
    states = sum(1 for t in unit.tokens if t in cues.STATE_MARKERS)
    scores[_S] += options.state_situation * min(states, 3)
    scores[_T] += options.task_bias
    if "i" in unit.tokens or "we" in unit.tokens:
        scores[_A] += options.action_bias
    else:
        scores[_R] += options.outcome_bias
    return scores


def _emissions(units: Sequence[_Unit], unit_scores: Sequence[dict[Section, float]], options: SegmentOptions) -> list[dict[Section, float]]:
    total = units[-1].last
    out = []
    for unit, scores in zip(units, unit_scores):
        scores = dict(scores)
        if not unit.tokens:  # only fillers: no evidence either way, so it joins its neighbours
            out.append(scores)
            continue
        if unit.first == 0:
            scores[_S] += options.opening_situation
        centre = (unit.first + unit.last) / 2 / total
        share = (unit.last - unit.first) / total
        for section, (lo, hi) in _POSITION_RANGE.items():
            distance = max(0.0, lo - centre, centre - hi)
            # Scaled by the unit's share of the answer so short units are not pinned by position.
            scores[section] -= options.position_weight * distance * (1.0 + 10.0 * share)
        out.append(scores)
    return out


def _decode(emissions: Sequence[Mapping[Section, float]], units: Sequence[_Unit], options: SegmentOptions) -> list[Section]:
    """Viterbi over the fixed section order: each unit keeps its section or moves to a later one."""
    n_states = len(SECTION_ORDER)
    neg = float("-inf")
    best = [[neg] * n_states for _ in units]
    back = [[0] * n_states for _ in units]
    for s, section in enumerate(SECTION_ORDER):
        best[0][s] = emissions[0][section] - options.enter_cost
    for u in range(1, len(units)):
        bonus = min(options.pause_bonus_max, options.pause_bonus_per_s * units[u].pause_before_s)
        for s, section in enumerate(SECTION_ORDER):
            stay = best[u - 1][s]
            move, move_from = neg, s
            for prev in range(s):
                candidate = best[u - 1][prev] - options.enter_cost + bonus
                if candidate > move:
                    move, move_from = candidate, prev
            if stay >= move:
                best[u][s], back[u][s] = stay + emissions[u][section], s
            else:
                best[u][s], back[u][s] = move + emissions[u][section], move_from
    s = max(range(n_states), key=lambda k: best[-1][k])
    labels = [SECTION_ORDER[0]] * len(units)
    for u in range(len(units) - 1, -1, -1):
        labels[u] = SECTION_ORDER[s]
        s = back[u][s]
    return labels
