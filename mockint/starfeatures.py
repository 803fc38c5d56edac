"""What the STAR segmenter sees in an answer: its pieces (sentences, and clauses of long sentences) and a
vector of named features for each piece.

Pure and standard library only. The vocabulary is cues.py; how the features are weighed and decoded into
sections is star.py, with weights learned by scripts/train_star.py.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mockint import cues
from mockint.text import clean_word, ends_sentence, is_filled_pause
from mockint.transcript import Word

SECTIONS = ("situation", "task", "action", "result", "reflection")
UNIT_PAUSE_S = 0.7  # a silence this long between words ends a sentence-like unit
CLAUSE_MIN_WORDS = 4  # a clause cut from a sentence has at least this many words on each side
LONG_SENTENCE_WORDS = 12  # sentences at least this long are cut into clauses...
RUN_ON_WORDS = 16  # ...and those this long (Whisper may have run two sentences together) also before likely subjects
SCARCE_PUNCTUATION_WORDS = 30  # fewer sentence ends than one per this many words: cut at discourse markers too


@dataclass(frozen=True, slots=True)
class Unit:
    """A piece of the answer: words [first, last), its cleaned tokens (fillers and stutters out), the pause
    before it, and the sentence it belongs to (clauses of one sentence share `sentence`)."""

    first: int
    last: int
    tokens: tuple[str, ...]
    pause_before_s: float
    sentence: int


def units(words: Sequence[Word]) -> list[Unit]:
    """Sentences (at sentence punctuation, long pauses and signposts), long ones cut into clauses at commas
    and discourse markers, so that a section can change inside a sentence."""
    cleaned = [clean_word(w.text) for w in words]
    out: list[Unit] = []
    for k, (a, b) in enumerate(_sentence_bounds(words, cleaned)):
        for c, d in _clause_bounds(a, b, words, cleaned):
            out.append(_make_unit(c, d, words, cleaned, k))
    return out


def _sentence_bounds(words: Sequence[Word], cleaned: Sequence[str]) -> list[tuple[int, int]]:
    is_scarce = sum(1 for w in words if ends_sentence(w.text)) * SCARCE_PUNCTUATION_WORDS < len(words)
    bounds = [0]
    signposted = _starts(cleaned, 0, cues.SIGNPOSTS)  # the open unit began at a signpost ("looking back, I learned")
    for i in range(1, len(words)):
        size = i - bounds[-1]
        signpost = _starts(cleaned, i, cues.SIGNPOSTS)
        if (
            ends_sentence(words[i - 1].text)
            or words[i].start_s - words[i - 1].end_s >= UNIT_PAUSE_S
            or (signpost and not signposted)
            or (is_scarce and size >= 6 and _starts(cleaned, i, cues.MARKERS))
        ):
            bounds.append(i)
            signposted = signpost
        elif signpost and size < 3:
            signposted = True
    bounds.append(len(words))
    return list(zip(bounds, bounds[1:]))


def _clause_bounds(a: int, b: int, words: Sequence[Word], cleaned: Sequence[str]) -> list[tuple[int, int]]:
    if b - a < LONG_SENTENCE_WORDS:
        return [(a, b)]
    cuts = [a]
    run_on = b - a >= RUN_ON_WORDS
    for i in range(a + CLAUSE_MIN_WORDS, b - CLAUSE_MIN_WORDS + 1):
        if i - cuts[-1] >= CLAUSE_MIN_WORDS and (
            words[i - 1].text.endswith((",", ";", ":", "-", "\u2013", "\u2014"))
            or _starts(cleaned, i, cues.MARKERS)
            or (run_on and cleaned[i] in cues.SUBJECTS)
        ):
            cuts.append(i)
    cuts.append(b)
    return list(zip(cuts, cuts[1:]))


def _make_unit(a: int, b: int, words: Sequence[Word], cleaned: Sequence[str], sentence: int) -> Unit:
    tokens: list[str] = []
    for t in cleaned[a:b]:
        if t and not is_filled_pause(t) and not t.endswith("-") and (not tokens or tokens[-1] != t):
            tokens.append(t)
    pause = words[a].start_s - words[a - 1].end_s if a else 0.0
    return Unit(a, b, tuple(tokens), max(0.0, pause), sentence)


def opens_with_hindsight(unit: Unit) -> bool:
    """The piece opens with a clear turn to hindsight ("Looking back, ...", "If I did it again, ...")."""
    return _starts(unit.tokens, 0, cues.HINDSIGHT_TURNS)


def _starts(tokens: Sequence[str], i: int, phrases: Sequence[str]) -> bool:
    return any(tuple(tokens[i : i + len(p)]) == p for p in _split(tuple(phrases)))


@functools.cache
def _split(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in phrases)


# --- phrase matching ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Index:
    """Phrase groups compiled for matching token by token: plain phrases by first token, prefix* phrases by
    their first three letters, and regular expressions over the joined tokens."""

    by_first: dict[str, tuple[tuple[tuple[str, ...], str, float], ...]]
    wild: dict[str, tuple[tuple[tuple[str, ...], str, float], ...]]
    regexes: tuple[tuple[re.Pattern[str], str, float], ...]


def _compile(groups: dict[str, tuple[tuple[str, float], ...]]) -> _Index:
    by_first: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
    wild: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
    regexes: list[tuple[re.Pattern[str], str, float]] = []
    for group, phrases in groups.items():
        for phrase, weight in phrases:
            if phrase.startswith("re:"):
                regexes.append((re.compile(r"(?<= )" + phrase[3:] + r"(?= )"), group, weight))
                continue
            parts = tuple(phrase.split())
            if parts[0].endswith("*"):
                if len(parts[0]) < 4:
                    raise ValueError(f"phrase {phrase!r}: a prefix needs at least 3 letters")
                wild.setdefault(parts[0][:3], []).append((parts, group, weight))
            else:
                by_first.setdefault(parts[0], []).append((parts, group, weight))
    return _Index({k: tuple(v) for k, v in by_first.items()}, {k: tuple(v) for k, v in wild.items()}, tuple(regexes))


@functools.cache
def _cue_index() -> _Index:
    return _compile(cues.CUES)


@functools.cache
def _group_index() -> _Index:
    return _compile({name: tuple((p, 1.0) for p in phrases) for name, phrases in cues.GROUPS.items()})


def _match(tokens: Sequence[str], i: int, parts: tuple[str, ...]) -> bool:
    if i + len(parts) > len(tokens):
        return False
    for part, token in zip(parts, tokens[i : i + len(parts)]):
        if part != token and not (part[-1] == "*" and token.startswith(part[:-1])):
            return False
    return True


def _sums(tokens: Sequence[str], index: _Index) -> dict[str, float]:
    out: dict[str, float] = {}
    for i, token in enumerate(tokens):
        for parts, group, weight in (*index.by_first.get(token, ()), *index.wild.get(token[:3], ())):
            if _match(tokens, i, parts):
                out[group] = out.get(group, 0.0) + weight
    joined = " " + " ".join(tokens) + " "
    for pattern, group, weight in index.regexes:
        n = len(pattern.findall(joined))
        if n:
            out[group] = out.get(group, 0.0) + weight * n
    return out


# --- features -----------------------------------------------------------------------------------------


def _is_number(token: str) -> bool:
    return any(c.isdigit() for c in token) or token in cues.NUMBER_WORDS or token.startswith(("$", "£", "€"))


def _is_past(token: str) -> bool:
    return token in cues.IRREGULAR_PAST or (len(token) > 3 and token.endswith("ed"))


def _verbs_after(tokens: Sequence[str], subjects: frozenset[str]) -> list[tuple[str, str]]:
    """The verb after each subject (adverbs skipped) and the word after it."""
    out = []
    for i, t in enumerate(tokens):
        if t not in subjects:
            continue
        j = i + 1
        while j < len(tokens) and j <= i + 3 and tokens[j] in cues.ADVERBS:
            j += 1
        if j < len(tokens):
            out.append((tokens[j], tokens[j + 1] if j + 1 < len(tokens) else ""))
    return out


_I, _WE, _OTHERS = frozenset({"i"}), frozenset({"we"}), frozenset({"they", "he", "she", "it", "everyone", "nobody"})
_MODALS = frozenset("would could should might will 'd i'd we'd".split())


def _grammar(tokens: Sequence[str]) -> dict[str, float]:
    """Person and tense: who did what, when (the evidence that carries across writers and fields)."""
    f: dict[str, float] = {}

    def add(name: str, v: float = 1.0) -> None:
        f[name] = f.get(name, 0.0) + v

    for subject, name in ((_I, "i"), (_WE, "we"), (_OTHERS, "others")):
        for verb, after in _verbs_after(tokens, subject):
            kind = cues.NOT_ACTION_PHRASE.get((verb, after)) or cues.NOT_ACTION_PAST.get(verb)
            if kind is not None:
                add(f"{name}_verb_{kind}")
            elif _is_past(verb):
                add(f"{name}_past")
            elif verb in _MODALS:
                add(f"{name}_modal")
            elif verb.isalpha() and verb not in cues.NOT_HABITUAL and not verb.endswith("ing"):
                add(f"{name}_present")
    for a, b in zip(tokens, tokens[1:]):
        if a in ("had", "'d") and _is_past(b):
            add("past_perfect")
        if a in ("was", "were") and _is_past(b):
            add("passive")
    numbers = sum(1 for t in tokens if _is_number(t))
    f["numbers"] = float(min(numbers, 3))
    f["change_with_number"] = 1.0 if numbers and any(t in cues.CHANGE_WORDS for t in tokens) else 0.0
    f["present"] = float(min(3, sum(1 for t in tokens if t in cues.PRESENT_MARKERS)))
    f["past"] = float(min(3, sum(1 for t in tokens if t in cues.PAST_MARKERS or _is_past(t))))
    f["state"] = float(min(3, sum(1 for t in tokens if t in cues.STATE_MARKERS)))
    f["modal"] = float(min(2, sum(1 for t in tokens if t in _MODALS)))
    return {k: min(v, 3.0) for k, v in f.items()}


GRAMMAR = tuple(
    f"{who}_{what}" for who in ("i", "we", "others")
    for what in ("past", "modal", "present", "verb_situation", "verb_task", "verb_result", "verb_reflection")
) + ("past_perfect", "passive", "numbers", "change_with_number", "present", "past", "state", "modal")  # fmt: skip
LABELS = tuple(f"label_{s}" for s in SECTIONS)
OPENING = tuple(f"opens_{w}" for w in cues.OPENERS)
POSITION = ("pos", "pos2", "first", "second", "last", "second_last", "pos_0", "pos_1", "pos_2", "pos_3", "pos_4",
            "log_words", "is_clause", "starts_sentence", "pause_before", "answer_log_words")  # fmt: skip
CUE = tuple(f"cue_{s}" for s in SECTIONS)
CONTEXT = tuple(f"{where}_{c}" for where in ("prev", "next", "sentence") for c in (*CUE, "group_task", "group_result", "group_setting"))
# Where a piece is changes what its words mean (a number early sets the scene, late it reports the outcome):
# the main evidence again, once for each third of the answer.
# An answer that leads with its outcome says it in its first sentence and sets the scene in the next.
_OPENING = ("cue_result", "numbers", "change_with_number", "group_outcome", "next_cue_situation", "next_group_setting")
INTERACTIONS = tuple(f"opening_{name}" for name in _OPENING)


def feature_names() -> tuple[str, ...]:
    return (*CUE, *(f"group_{g}" for g in cues.GROUPS), *GRAMMAR, *LABELS, *OPENING, *POSITION, *CONTEXT, *INTERACTIONS)


def _own(tokens: Sequence[str]) -> dict[str, float]:
    """A piece's own lexical and grammatical features."""
    f: dict[str, float] = {}
    for name, v in _sums(tokens, _cue_index()).items():
        f[f"cue_{name}"] = math.log1p(max(0.0, v))
    for name, v in _sums(tokens, _group_index()).items():
        f[f"group_{name}"] = min(v, 3.0)
    f.update(_grammar(tokens))
    if tokens:
        label = cues.LABEL_WORDS.get(tokens[0])
        if label is not None and len(tokens) > 2:
            f[f"label_{label}"] = 1.0
        if tokens[0] in cues.OPENERS:
            f[f"opens_{tokens[0]}"] = 1.0
    return f


def features(pieces: Sequence[Unit], words_to_come: int = 0) -> list[list[float]]:
    """One vector per piece, in `feature_names()` order (`words_to_come`: the answer goes on for about this
    many more words, so positions are in the whole answer and no piece is its last)."""
    names = feature_names()
    own = [_own(u.tokens) for u in pieces]
    sentences: dict[int, dict[str, float]] = {}
    for u in pieces:
        if u.sentence not in sentences:
            sentences[u.sentence] = _own(tuple(t for v in pieces if v.sentence == u.sentence for t in v.tokens))
    total = sum(len(u.tokens) for u in pieces) + words_to_come or 1
    ends = len(pieces) if words_to_come == 0 else len(pieces) + 2  # (an open answer has no last piece yet)
    seen = 0
    vectors = []
    for k, u in enumerate(pieces):
        f = dict(own[k])
        size = len(u.tokens)
        pos = (seen + size / 2) / total
        seen += size
        f.update({"pos": pos, "pos2": pos * pos, "first": float(k == 0), "second": float(k == 1),
                  "last": float(k == ends - 1), "second_last": float(k == ends - 2),
                  f"pos_{min(4, int(pos * 5))}": 1.0, "log_words": math.log1p(size),
                  "is_clause": float(any(v.sentence == u.sentence for v in pieces if v is not u)),
                  "starts_sentence": float(k == 0 or pieces[k - 1].sentence != u.sentence),
                  "pause_before": min(u.pause_before_s, 3.0), "answer_log_words": math.log1p(total)})  # fmt: skip
        for where, other in (("prev", own[k - 1] if k else {}), ("next", own[k + 1] if k + 1 < len(pieces) else {}),
                             ("sentence", sentences[u.sentence])):
            for c in (*CUE, "group_task", "group_result", "group_setting"):
                f[f"{where}_{c}"] = other.get(c, 0.0)
        if u.sentence == pieces[0].sentence:
            for name in _OPENING:
                f[f"opening_{name}"] = f.get(name, 0.0)
        vectors.append([f.get(n, 0.0) for n in names])
    return vectors
