"""STAR sections: the `Section` enum, `Span` (one detected section) and `segment()`.

Pure and standard library only: a `Transcript` in, ordered spans out. No audio, no clock, no file I/O beyond
reading the packaged weights (`star_model.json`) once.

How `segment()` works:
1. Cut the answer into pieces: sentences, and long sentences into clauses, so that a section can change
   inside a sentence (starfeatures.units).
2. Describe each piece by features that carry across writers: person and tense (who did what, when), what
   people say when setting a scene, naming a task, acting, reporting an outcome or drawing a lesson (cues.py),
   numbers, and the piece's place in the answer and its neighbours (starfeatures.features).
3. A multinomial logistic model gives each piece a probability for each section; its weights were learned
   from labelled answers by many writers (scripts/train_star.py, which also measures it by writer).
4. Decode the most likely labelling in STAR order (sections may be skipped) with an optional one-sentence
   headline Result before the Situation ("Lead with the outcome ... Then trace back"). Entering a section
   costs something, so a section needs evidence to appear: a missing section is left out, never invented.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any

from mockint import starfeatures
from mockint.transcript import Transcript, Word


class Section(StrEnum):
    SITUATION = "situation"
    TASK = "task"
    ACTION = "action"
    RESULT = "result"
    REFLECTION = "reflection"


SECTION_ORDER: tuple[Section, ...] = tuple(Section)


@dataclass(frozen=True, slots=True)
class Span:
    """One detected section: its words and its time in the recording.

    `end_s` is the start of the next section's first word (a pause belongs to the section it
    follows); the last span ends at its last word. An answer that leads with its outcome has a Result span
    first and another later.
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
class StarModel:
    """The learned segmenter: feature scaling, per-section weights and the decoder's costs."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]  # one row per section, in SECTION_ORDER
    bias: tuple[float, ...]
    enter_cost: tuple[float, ...]  # entering each section, in SECTION_ORDER: -log of how often answers have it
    headline_cost: float  # opening with a headline Result (on top of its emission)
    min_section_words: int  # a later section with fewer words joins the one before
    trained_on: str = ""
    skip_cost: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0, 0.0)  # leaving each section out: -log of how often answers do

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StarModel:
        return cls(
            features=tuple(d["features"]), mean=tuple(d["mean"]), scale=tuple(d["scale"]),
            weights=tuple(tuple(r) for r in d["weights"]), bias=tuple(d["bias"]),
            enter_cost=tuple(d["enter_cost"]), headline_cost=float(d["headline_cost"]),
            min_section_words=int(d["min_section_words"]), trained_on=str(d.get("trained_on", "")),
            skip_cost=tuple(d.get("skip_cost", (0.0,) * 5)),
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
            "weights": [list(r) for r in self.weights], "bias": list(self.bias), "enter_cost": list(self.enter_cost),
            "headline_cost": self.headline_cost, "min_section_words": self.min_section_words,
            "trained_on": self.trained_on, "skip_cost": list(self.skip_cost),
        }  # fmt: skip


WHOLE_MODEL = "star_model.json"  # answers heard to the end
LIVE_MODEL = "star_live_model.json"  # answers still being spoken (trained on their beginnings: train_star.py --live)


@functools.cache
def load_model(name: str = WHOLE_MODEL) -> StarModel:
    """The weights shipped with the package (scripts/train_star.py writes them)."""
    model = StarModel.from_dict(json.loads(resources.files("mockint").joinpath(name).read_text("utf-8")))
    if model.features != starfeatures.feature_names():
        raise ValueError(f"{name} was trained on other features: run scripts/train_star.py")
    return model


def words_to_come(heard: int) -> int:
    """How many more words an answer still being spoken is taken to have: as many again as were heard. The
    live model learned with this guess (an answer's length cannot be known while it is spoken; the level's
    budget, twice the length of many answers, kept every sentence in the Situation)."""
    return max(1, heard)


def segment_so_far(transcript: Transcript) -> tuple[Span, ...]:
    """`segment()` on an answer still being spoken: the live model, told that the answer goes on."""
    return segment(transcript, load_model(LIVE_MODEL), words_to_come=words_to_come(len(transcript.words)))


def segment(transcript: Transcript, model: StarModel | None = None, *, words_to_come: int = 0) -> tuple[Span, ...]:
    """Split a transcript into ordered, non-overlapping STAR spans covering every word.

    Only sections the answer contains are returned; an empty transcript gives (). `words_to_come`: the
    answer is still being spoken and about this many words will follow (the live view): each piece is
    placed in the whole answer, nothing is taken for its last piece, and later sections may yet come.
    """
    words = transcript.words
    if not words:
        return ()
    m = model or load_model()
    pieces = starfeatures.units(words)
    emissions = [log_probabilities(x, m) for x in starfeatures.features(pieces, words_to_come)]
    labels = tidy(decode(emissions, pieces, m, is_open=words_to_come > 0), pieces, m, words_to_come)
    spans: list[Span] = []
    start = 0
    for i in range(1, len(pieces) + 1):
        if i == len(pieces) or labels[i] != labels[start]:
            first, last = pieces[start].first, pieces[i - 1].last
            span_words = words[first:last]
            end_s = words[last].start_s if last < len(words) else span_words[-1].end_s
            spans.append(Span(Section.RESULT if labels[start] == _HEADLINE else SECTION_ORDER[labels[start] - 1],
                              span_words[0].start_s, end_s, span_words))
            start = i
    return tuple(spans)


def log_probabilities(x: Sequence[float], m: StarModel) -> list[float]:
    """log P(section | piece) for the five sections, from the piece's features."""
    z = [(v - mu) / s for v, mu, s in zip(x, m.mean, m.scale)]
    scores = [b + sum(w * v for w, v in zip(row, z)) for row, b in zip(m.weights, m.bias)]
    top = max(scores)
    norm = top + math.log(sum(math.exp(s - top) for s in scores))
    return [s - norm for s in scores]


OPENING_CLAUSE_WORDS = 10  # an opening Situation this short, inside the Task's sentence, belongs to the Task

# Decoder states: 0 is a headline Result (only at the start, within the first sentence), 1-5 the sections
# in STAR order. A state may stay or move to any later one.
_HEADLINE = 0


def decode(emissions: Sequence[Sequence[float]], pieces: Sequence[starfeatures.Unit], m: StarModel,
           is_open: bool = False) -> list[int]:
    """The best labelling (states, see above) of the pieces under the STAR order (`is_open`: the answer goes
    on, so the sections after the last piece's are not left out yet)."""
    n_states = 6
    neg = -math.inf
    best = [[neg] * n_states for _ in pieces]
    back = [[0] * n_states for _ in pieces]
    emit = [[e[3], *e] for e in emissions]  # the headline emits as a Result
    skipped = [0.0] * (n_states + 1)  # skipped[s]: the cost of leaving out every section before state s
    for s in range(1, n_states + 1):
        skipped[s] = skipped[s - 1] + (m.skip_cost[s - 2] if s >= 2 else 0.0)

    def between(prev: int, s: int) -> float:  # sections left out going from state prev to state s
        return skipped[s] - skipped[max(prev, 0) + 1] if s > max(prev, 0) + 1 else 0.0

    best[0][_HEADLINE] = emit[0][0] - m.headline_cost
    for s in range(1, n_states):
        best[0][s] = emit[0][s] - m.enter_cost[s - 1] - between(0, s)
    for u in range(1, len(pieces)):
        in_first_sentence = pieces[u].sentence == pieces[0].sentence
        for s in range(n_states):
            if s == _HEADLINE:
                if in_first_sentence:
                    best[u][s], back[u][s] = best[u - 1][s] + emit[u][s], s
                continue
            stay = best[u - 1][s]
            move, move_from = neg, s
            for prev in range(s):
                if prev == _HEADLINE and in_first_sentence:
                    continue  # a headline is a whole sentence
                candidate = best[u - 1][prev] - m.enter_cost[s - 1] - between(prev, s)
                if candidate > move:
                    move, move_from = candidate, prev
            if stay >= move:
                best[u][s], back[u][s] = stay + emit[u][s], s
            else:
                best[u][s], back[u][s] = move + emit[u][s], move_from
    # A headline alone is no answer; sections after the last one are left out too.
    last = [best[-1][s] - (0.0 if is_open else between(s, n_states)) if s != _HEADLINE else neg for s in range(n_states)]
    if all(v == neg for v in last):
        last = best[-1]
    s = max(range(n_states), key=lambda k: last[k])
    labels = [0] * len(pieces)
    for u in range(len(pieces) - 1, -1, -1):
        labels[u] = s
        s = back[u][s]
    return labels


def tidy(labels: list[int], pieces: Sequence[starfeatures.Unit], m: StarModel, words_to_come: int = 0) -> list[int]:
    """The decoder's labels with the labelling guide's clear-cut rules applied (scripts/data/LABELLING.md): a
    closing part that opens with a hindsight turn ("Looking back...", "If I did it again...") is a Reflection;
    then scraps join their neighbours."""
    out = list(labels)
    reflection, result = SECTION_ORDER.index(Section.REFLECTION) + 1, SECTION_ORDER.index(Section.RESULT) + 1
    total = sum(len(p.tokens) for p in pieces) + words_to_come or 1
    seen = 0
    for k, p in enumerate(pieces):
        late = seen / total >= 0.6
        seen += len(p.tokens)
        if late and out[k] == result and starfeatures.opens_with_hindsight(p) and all(s >= result for s in out[k:]):
            out[k:] = [reflection] * (len(out) - k)
            break
    return merge_scraps(out, pieces, m.min_section_words)


def merge_scraps(labels: list[int], pieces: Sequence[starfeatures.Unit], min_words: int) -> list[int]:
    """Give a later section of only a few words (a stray phrase, words Whisper made up) to the one before, and
    an opening Situation that is only the start of the first sentence ("As deputy manager of a store, I was
    told to...") to the Task it leads into: that is how people who open with the Task label it."""
    out = list(labels)
    task, situation = SECTION_ORDER.index(Section.TASK) + 1, SECTION_ORDER.index(Section.SITUATION) + 1
    opening = [k for k, s in enumerate(out) if s == situation and (k == 0 or out[k - 1] == situation)]
    if opening and opening[0] == 0 and len(opening) < len(out) and out[len(opening)] == task:
        short = sum(len(pieces[k].tokens) for k in opening) <= OPENING_CLAUSE_WORDS
        if short and all(pieces[k].sentence == pieces[len(opening)].sentence for k in opening):
            out[: len(opening)] = [task] * len(opening)
    while True:
        runs: list[tuple[int, int]] = []
        for i in range(len(out)):
            if i and out[i] == out[i - 1]:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
        small = next(((a, b) for a, b in runs[1:] if sum(len(p.tokens) for p in pieces[a:b]) < min_words), None)
        if small is None:
            return out
        a, b = small
        out[a:b] = [out[a - 1]] * (b - a)
