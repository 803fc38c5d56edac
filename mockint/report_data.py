"""What the session report shows, worked out from a session: its current score, each word's STAR section and
marks (filler, hedge, routing, not 'I'), the pace per window and the pauses.

Pure: a loaded session and its question in, values out; no files, no clock. A score saved by another rubric
version is scored again here, in memory (never saved), as `mockint replay` does. Drawing is report_page.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from mockint.analysis import Analysis, analyse
from mockint.bank import Question
from mockint.delivery import silences
from mockint.errors import SessionError
from mockint.fillers import find_fillers
from mockint.rubric import RUBRIC_VERSION, Phrases
from mockint.scorecard import Evidence, ProbeJudgement, Scorecard, Verdict
from mockint.scoring import judge_probes, score
from mockint.session import ScoreRecord, Session
from mockint.star import Section, Span, segment
from mockint.text import clean_word
from mockint.transcript import Transcript, Word

NOT_I_CHECK = "action.i_statements"  # its evidence: the Action sentences where 'we' or 'they' did the work


@dataclass(frozen=True, slots=True)
class Assessment:
    """A session as the report shows it: its answer's sections, its current scorecard and probe judgements.

    `card` is None when there is nothing to score (no answer) or no way to score it (the question is no
    longer in the bank and the saved score is from another rubric). `problems` says why, in sentences.
    """

    spans: tuple[Span, ...]
    analysis: Analysis | None  # None without the question (no targets to time the sections against)
    card: Scorecard | None
    judgements: tuple[ProbeJudgement, ...]
    is_rescored: bool  # `card` was scored now, in memory; the saved score came from another rubric version
    problems: tuple[str, ...]


def _empty() -> Transcript:
    return Transcript((), 0.0)


def assess(session: Session, question: Question | None) -> Assessment:
    """The session's current scorecard: the saved one when it is from this rubric, else scored in memory."""
    answer = session.answer
    transcript = answer.transcript if answer is not None else _empty()
    latest = session.latest_score
    saved_card = latest.scorecard if latest is not None else None
    saved_judged = latest.probe_judgements if latest is not None else ()
    if question is None:
        problem = f"Question '{session.question_id}' is not in the question bank: the saved score is shown as it was."
        return Assessment(segment(transcript), None, saved_card, saved_judged, False, (problem,))
    analysis = analyse(transcript, question, session.level)
    if latest is not None and saved_card is not None and latest.rubric_version == RUBRIC_VERSION:
        return Assessment(analysis.spans, analysis, saved_card, saved_judged, False, ())
    if answer is None:
        return Assessment(analysis.spans, analysis, None, (), False, ("No answer was recorded, so there is nothing to score.",))
    problems: list[str] = []
    lp = session.lp if session.lp is None or question.lp_angle(session.lp) is not None else None
    if lp != session.lp:
        problems.append(f"The question no longer has the angle '{session.lp}': scored without it.")
    card = score(analysis, question, lp=lp)
    try:
        judged = judge_probes(session, question)
    except SessionError as e:
        judged = ()
        problems.append(f"Probe answers not judged: {e}")
    return Assessment(analysis.spans, analysis, card, judged, True, tuple(problems))


def as_scored(session: Session, assessment: Assessment) -> Session:
    """The session with its in-memory score as the latest record (for history's rows and progress)."""
    card = assessment.card
    if not assessment.is_rescored or card is None:
        return session
    record = ScoreRecord(session.created_at, card.rubric_version, session.model, card.overall, card.verdict, card,
                         assessment.judgements)  # fmt: skip
    return replace(session, scores=(*session.scores, record))


# --- the transcript, word by word -------------------------------------------------------------------


class Mark(StrEnum):
    FILLER = "filler"
    HEDGE = "hedge"
    ROUTING = "routing"
    NOT_I = "not-i"  # a sentence of the Action where 'we' or 'they', not 'I', did the work


@dataclass(frozen=True, slots=True)
class MarkedWord:
    word: Word
    section: Section | None  # None for probe answers and words no span claimed
    marks: frozenset[Mark]


def _phrase_hits(norms: Sequence[str], phrases: Sequence[str]) -> set[int]:
    """Indices of the words that make up any of `phrases` (normalised, space-separated) in `norms`."""
    split = [p.split() for p in phrases if p]
    hits: set[int] = set()
    for i in range(len(norms)):
        for words in split:
            if norms[i : i + len(words)] == words:
                hits.update(range(i, i + len(words)))
    return hits


def _sentence_hits(words: Sequence[Word], evidence: Sequence[Evidence]) -> set[int]:
    """Indices of the words of each evidence sentence: from the word it starts at, as many words as it has."""
    hits: set[int] = set()
    for e in evidence:
        first = next((i for i, w in enumerate(words) if abs(w.start_s - e.start_s) < 0.0015), None)
        if first is not None:
            hits.update(range(first, min(len(words), first + len(e.text.split()))))
    return hits


def _sections(words: Sequence[Word], spans: Sequence[Span]) -> list[Section | None]:
    """Each word's section: spans cover the words in order (star.segment); None where they do not."""
    sections: list[Section | None] = [span.section for span in spans for _ in span.words]
    return sections if len(sections) == len(words) else [None] * len(words)


def mark_words(transcript: Transcript, spans: Sequence[Span], phrases: Phrases, card: Scorecard | None) -> tuple[MarkedWord, ...]:
    """Every word with its section and what is marked on it: fillers (fillers.find_fillers), hedges and routing
    phrases (the rubric's lists), and the sentences the scorecard found not told as 'I'."""
    words = transcript.words
    norms = [clean_word(w.text) for w in words]
    filler_times = [(h.start_s, h.end_s) for h in find_fillers(transcript)]
    found = {
        Mark.HEDGE: _phrase_hits(norms, phrases.hedges),
        Mark.ROUTING: _phrase_hits(norms, phrases.routing),
        Mark.FILLER: {i for i, w in enumerate(words) if any(a <= w.start_s <= b for a, b in filler_times)},
    }
    finding = card.finding(NOT_I_CHECK) if card is not None else None
    if finding is not None and finding.verdict in (Verdict.WARN, Verdict.FAIL):
        found[Mark.NOT_I] = _sentence_hits(words, finding.evidence)
    sections = _sections(words, spans)
    return tuple(
        MarkedWord(w, sections[i], frozenset(m for m, hits in found.items() if i in hits)) for i, w in enumerate(words)
    )


# --- pace and pauses ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaceWindow:
    start_s: float
    end_s: float
    wpm: float  # words starting in the window, per minute of the window


def pace(words: Sequence[Word], window_s: float = 10.0, min_window_s: float = 3.0) -> tuple[PaceWindow, ...]:
    """Words per minute in consecutive windows from the first word to the last; a last window shorter than
    `min_window_s` joins the one before (a few words over a second would read as a sprint)."""
    if len(words) < 2:
        return ()
    start, end = words[0].start_s, words[-1].end_s
    edges = [start]
    while edges[-1] + window_s < end:
        edges.append(edges[-1] + window_s)
    if len(edges) > 1 and end - edges[-1] < min_window_s:
        edges.pop()
    edges.append(end)
    windows = []
    for a, b in zip(edges, edges[1:]):
        last = b == end
        n = sum(1 for w in words if a <= w.start_s < b or (last and w.start_s == b))
        windows.append(PaceWindow(a, b, round(n * 60.0 / (b - a), 1) if b > a else 0.0))
    return tuple(windows)


@dataclass(frozen=True, slots=True)
class Pause:
    """A silence between words: when it began and ended, and its length."""

    start_s: float
    end_s: float
    duration_s: float


def pauses(transcript: Transcript, min_s: float) -> tuple[Pause, ...]:
    """Silences of at least `min_s` between the first word and the last (as delivery.silences finds them)."""
    words = transcript.words
    if not words:
        return ()
    first, last = words[0].start_s, words[-1].end_s
    return tuple(
        Pause(a, b, b - a) for a, b in silences(transcript, words) if b - a >= min_s and a >= first - 0.01 and b <= last + 0.01
    )
