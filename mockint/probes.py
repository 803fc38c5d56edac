"""Follow-up probes: which of the question's probes to ask, given the gaps the rubric found, and how an
answer to one compares with the page's weak and strong answers to it.

Pure and deterministic; asking the probe aloud and recording the answer belong to interview.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from mockint.bank import Probe, Question
from mockint.rubric import Rubric, load_rubric
from mockint.scorecard import Evidence, ProbeJudgement, Scorecard, Verdict
from mockint.text import (
    Sentence,
    content_words,
    find_phrase,
    has_number,
    normalise,
    said_span,
    split_sentences,
    subject_before_i,
)
from mockint.transcript import Transcript


def probe_kinds(probe: Probe, rubric: Rubric | None = None) -> tuple[str, ...]:
    """The kinds (rubric.toml [probe_kinds]) whose keywords appear in the probe's question or its "Probes:" line."""
    r = rubric or load_rubric()
    text = normalise(f"{probe.intent} {probe.question}")
    return tuple(k.name for k in r.probe_kinds if find_phrase(text, k.keywords))


def _gaps(card: Scorecard) -> list[str]:
    """Checks that did not pass, worst first: the three fixes, then other failures, then warnings."""
    order = [f.check for f in card.fixes]
    for wanted in (Verdict.FAIL, Verdict.WARN):
        order += [f.check for f in card.findings if f.verdict is wanted and f.check not in order]
    return order


def choose_probes(scorecard: Scorecard, question: Question, n: int, rubric: Rubric | None = None) -> tuple[Probe, ...]:
    """Up to `n` of the question's probes: one per gap, biggest gap first, each the first probe on the page
    of a kind that gap calls for (no numbers -> "How did you measure the impact..."); then page order."""
    r = rubric or load_rubric()
    kinds_of = {i: probe_kinds(p, r) for i, p in enumerate(question.probes)}
    chosen: list[int] = []
    for check in _gaps(scorecard):
        wanted = [k.name for k in r.probe_kinds if check in k.checks]
        pick = next((i for i in kinds_of if i not in chosen and set(kinds_of[i]) & set(wanted)), None)
        if pick is not None:
            chosen.append(pick)
        if len(chosen) >= n:
            break
    chosen += [i for i in range(len(question.probes)) if i not in chosen]
    return tuple(question.probes[i] for i in chosen[: max(n, 0)])


def judge_probe(probe: Probe, transcript: Transcript, rubric: Rubric | None = None) -> ProbeJudgement:
    """Judge one probe answer against the bank's weak and strong answers to that probe: weak-answer
    patterns (routing, vague endings, the page's weak phrasings), overlap with the strong answer's key
    content, 'I' against 'we'/'they', and numbers where the strong answer has them."""
    r = rubric or load_rubric()
    p, pj = r.phrases, r.probe_judging
    stop = frozenset(p.stopwords)
    sents = split_sentences(transcript.words)

    def done(verdict: Verdict, message: str, evidence: Sequence[Sentence] = (), overlap: float = 0.0) -> ProbeJudgement:
        return ProbeJudgement(probe.question, probe.intent, verdict, message,
                              tuple(Evidence.of(s) for s in evidence), probe.tagline, round(overlap, 3))

    if not sents:
        return done(Verdict.FAIL, "No answer heard.")
    said = set().union(*(content_words(s.norm, stop) for s in sents))
    strong = content_words(normalise(f"{probe.strong_answer} {probe.tagline}"), stop)
    weak = content_words(normalise(probe.weak_answer), stop) - strong
    overlap = len(said & strong) / len(strong) if strong else 0.0
    weak_overlap = len(said & weak) / len(weak) if weak else 0.0

    patterns = (*p.routing, *p.vague_result, *p.generic_reflection, *pj.weak_patterns)
    weak_hits = [s for s in sents if find_phrase(s.norm, patterns)]
    if weak_hits:
        phrase = find_phrase(weak_hits[0].norm, patterns)
        heard = said_span(weak_hits[0].text, phrase or "")
        return done(Verdict.FAIL, f"Like the page's weak answer (\u201c{heard}\u201d): {probe.weak_why}", weak_hits, overlap)
    if overlap < pj.strong_overlap_min and weak_overlap > overlap:
        return done(Verdict.FAIL, f"Reads like the page's weak answer: {probe.weak_why}", sents[:2], overlap)

    others = [s for s in sents if subject_before_i(s.norm, (*p.we_words, "they"), p.i_words)]
    owned = [s for s in sents if find_phrase(s.norm, p.i_words) and s not in others]
    gaps: list[str] = []
    if not owned:
        gaps.append("no sentence says what \u2018I\u2019 did")
    elif len(others) > len(owned):
        gaps.append("more \u2018we\u2019/\u2018they\u2019 than \u2018I\u2019")
    if has_number(normalise(probe.strong_answer), p.number_words) and not any(has_number(s.norm, p.number_words) for s in sents):
        gaps.append("no number, where the strong answer has one")
    if overlap < pj.strong_overlap_pass:
        missing = sorted(strong - said)[:5]
        gaps.append(f"little of the strong answer's substance (not heard: {', '.join(missing)})")
    if not gaps:
        return done(Verdict.PASS, f"Matches the strong answer ({overlap:.0%} of its key content).", owned[:2], overlap)
    verdict = Verdict.FAIL if len(gaps) >= 3 else Verdict.WARN
    return done(verdict, "Partly there: " + "; ".join(gaps) + ".", (others or owned or sents)[:2], overlap)
