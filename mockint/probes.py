"""Follow-up probes: which of the question's probes to ask (by the gaps the rubric found), how to ask each one
in the candidate's own terms, and how an answer to it measures up against what the probe tests.

Pure and deterministic; asking aloud and recording belong to interview.py. The bank's probes are written about
the page's example story: a candidate who tells that story hears the page's wording and is judged against the
page's weak and strong answers; one who tells their own story hears the probe's intent, quoting what they said
(rubric.toml [probe_kinds]), and is judged by what the probe tests, never by the page's details.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mockint.analysis import Analysis
from mockint.bank import Probe, Question
from mockint.checks import tells_page_story
from mockint.rubric import ProbeKind, Rubric, load_rubric
from mockint.scorecard import Evidence, ProbeJudgement, Scorecard, Verdict
from mockint.star import Section
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

QUOTE_MAX_WORDS = 14
QUOTE_MIN_WORDS = 4


@dataclass(frozen=True, slots=True)
class AskedProbe:
    """A probe as it will be asked: which of the question's probes (`index`) and its words for this candidate."""

    index: int
    text: str
    kind: str | None


def probe_kinds(probe: Probe, rubric: Rubric | None = None) -> tuple[str, ...]:
    """The kinds (rubric.toml [probe_kinds]) whose keywords appear in the probe's question or its "Probes:" line,
    in the rubric's order: the first is the probe's own kind."""
    r = rubric or load_rubric()
    text = normalise(f"{probe.intent} {probe.question}")
    return tuple(k.name for k in r.probe_kinds if find_phrase(text, k.keywords))


def _kind(probe: Probe, r: Rubric) -> ProbeKind | None:
    names = probe_kinds(probe, r)
    return next((k for k in r.probe_kinds if names and k.name == names[0]), None)


def _gaps(card: Scorecard) -> list[str]:
    """Checks that did not pass, worst first: the three fixes, then other failures, then warnings."""
    order = [f.check for f in card.fixes]
    for wanted in (Verdict.FAIL, Verdict.WARN):
        order += [f.check for f in card.findings if f.verdict is wanted and f.check not in order]
    return order


def choose_probes(
    card: Scorecard, analysis: Analysis, question: Question, n: int, rubric: Rubric | None = None
) -> tuple[AskedProbe, ...]:
    """Up to `n` probes: one per gap, biggest gap first, each the first probe of a kind that gap calls for (no
    numbers -> "How did you measure the impact..."); then probes about what the answer has not covered yet;
    what it already covered comes last. Each is worded for the candidate's story."""
    r = rubric or load_rubric()
    kinds_of = {i: probe_kinds(p, r) for i, p in enumerate(question.probes)}
    chosen: list[int] = []
    for check in _gaps(card):
        wanted = {k.name for k in r.probe_kinds if check in k.checks}
        pick = next((i for i in kinds_of if i not in chosen and set(kinds_of[i]) & wanted), None)
        if pick is not None:
            chosen.append(pick)
        if len(chosen) >= n:
            break
    passed = {f.check for f in card.findings if f.verdict is Verdict.PASS}

    def covered(i: int) -> bool:  # every check its kinds stand for already passed
        checks = {c for k in r.probe_kinds if k.name in kinds_of[i] for c in k.checks}
        return bool(checks) and checks <= passed

    rest = sorted((i for i in range(len(question.probes)) if i not in chosen), key=lambda i: (covered(i), i))
    own = not tells_page_story(question, (normalise(analysis.transcript.text),), r)
    asked: list[AskedProbe] = []
    quoted: set[str] = set()
    order = chosen + rest
    # Told in their own terms, two probes of one kind would ask the same thing twice: other kinds first.
    kinds = [_kind(question.probes[i], r) for i in order]
    if own:
        first = [i for k, i in enumerate(order) if kinds[k] is None or kinds[k] not in kinds[:k]]
        order = first + [i for i in order if i not in first]
    for i in order:
        probe = _asked(i, question, analysis, own, r, quoted)
        if len(asked) < n and probe.text not in {a.text for a in asked}:  # two probes worded alike: ask one
            asked.append(probe)
            quoted.update(q for q in _quotes_in(probe.text))
    return tuple(asked)


def _quotes_in(text: str) -> list[str]:
    return [part.split("\u201d", 1)[0] for part in text.split("\u201c")[1:]]


def _asked(index: int, question: Question, analysis: Analysis, own_story: bool, r: Rubric, used: set[str]) -> AskedProbe:
    probe = question.probes[index]
    kind = _kind(probe, r)
    if not own_story or kind is None or not kind.ask:
        return AskedProbe(index, probe.question, kind.name if kind else None)
    quote = _quote(analysis, kind, r, used)
    text = kind.ask_quoting.replace("{quote}", quote) if quote and "{quote}" in kind.ask_quoting else kind.ask
    return AskedProbe(index, text, kind.name)


def _quote(analysis: Analysis, kind: ProbeKind, r: Rubric, used: set[str]) -> str:
    """A short stretch of what the candidate said in the kind's sections, as said (a number where the kind
    asks about one), not one an earlier probe quoted; "" when nothing fits."""
    numeric = any("#number" in phrases for _, phrases in kind.signals)
    for name in kind.quote_from:
        spans = [s for s in analysis.spans if s.section is Section(name)]
        sentences = [x for span in spans for x in split_sentences(span.words)]
        if not sentences:
            continue
        # A number for the kinds that ask about one; otherwise the last sentence, where a section usually lands
        # (the fix after the investigation), or the first for the Task and Situation.
        position = {k: i for i, k in enumerate(sentences)}
        late = name not in (Section.TASK.value, Section.SITUATION.value)
        ranked = sorted(sentences, key=lambda s: (not (numeric and has_number(s.norm, r.phrases.number_words)),
                                                  -position[s] if late else position[s]))
        for sentence in ranked:
            clause = _clause(sentence, r)
            if len(clause.split()) >= QUOTE_MIN_WORDS and clause not in used:
                return clause
    return ""


def _clause(sentence: Sentence, r: Rubric) -> str:
    """The sentence, or its clause with a number (or its first words) when it is long; punctuation trimmed."""
    words = sentence.text.split()
    if len(words) > QUOTE_MAX_WORDS:
        clauses: list[list[str]] = [[]]
        for w in words:
            clauses[-1].append(w)
            if w.endswith((",", ";", ":")):
                clauses.append([])
        fitting = [c for c in clauses if QUOTE_MIN_WORDS <= len(c) <= QUOTE_MAX_WORDS]
        numbered = [c for c in fitting if has_number(normalise(" ".join(c)), r.phrases.number_words)]
        words = (numbered or fitting or [words[:QUOTE_MAX_WORDS]])[0]
    return " ".join(words).strip(".,;:!?\u2026 ")


# --- judging ----------------------------------------------------------------------------------------


def judge_probe(
    probe: Probe,
    transcript: Transcript,
    *,
    asked: str | None = None,
    answer: Transcript | None = None,
    question: Question | None = None,
    rubric: Rubric | None = None,
) -> ProbeJudgement:
    """Judge one probe answer. `asked` is the probe as it was asked; `answer` the main answer and `question` the
    page it came from: a candidate telling their own story is judged by what the probe tests (`_judge_intent`),
    one retelling the page's story against the page's weak and strong answers (`_judge_against_page`)."""
    r = rubric or load_rubric()
    sents = split_sentences(transcript.words)
    text = asked or probe.question
    if not sents:
        return ProbeJudgement(text, probe.intent, Verdict.FAIL, "No answer heard.", (), probe.tagline, 0.0)
    weak = _weak_pattern(sents, r)
    own = answer is not None and question is not None and not tells_page_story(question, (normalise(answer.text),), r)
    if weak is not None:
        sentence, heard = weak
        why = probe.weak_why if not own else "that hands the work to others or stays vague, which is what this probe checks."
        return _done(probe, text, Verdict.FAIL, f"Like the page's weak answer (\u201c{heard}\u201d): {why}", [sentence], 0.0)
    if own:
        kind = _kind(probe, r)
        if kind is not None and kind.signals:
            return _judge_intent(probe, text, sents, kind, answer, r)
    return _judge_against_page(probe, text, sents, r)


def _done(probe: Probe, asked: str, verdict: Verdict, message: str, evidence: Sequence[Sentence], overlap: float) -> ProbeJudgement:
    return ProbeJudgement(asked, probe.intent, verdict, message, tuple(Evidence.of(s) for s in evidence[:2]),
                          probe.tagline, round(overlap, 3))


def _weak_pattern(sents: Sequence[Sentence], r: Rubric) -> tuple[Sentence, str] | None:
    """The first sentence that sounds like a page's weak answer (routing, vague endings, generic lessons)."""
    p = r.phrases
    patterns = (*p.routing, *p.vague_result, *p.generic_reflection, *r.probe_judging.weak_patterns)
    for s in sents:
        phrase = find_phrase(s.norm, patterns)
        if phrase is not None:
            return s, said_span(s.text, phrase)
    return None


def _judge_intent(
    probe: Probe, asked: str, sents: Sequence[Sentence], kind: ProbeKind, answer: Transcript | None, r: Rubric
) -> ProbeJudgement:
    """Which of the kind's signals the answer has: at least `need` passes, one warns, none fails."""
    heard: list[tuple[str, Sentence]] = []
    missing: list[str] = []
    for label, phrases in kind.signals:
        hit = next((s for s in sents if _signal(s, sents, phrases, answer, r)), None)
        if hit is None:
            missing.append(label)
        else:
            heard.append((label, hit))
    evidence = list(dict.fromkeys(s for _, s in heard)) or list(sents[:1])
    if len(heard) >= kind.need:
        says = ", ".join(label for label, _ in heard)
        return _done(probe, asked, Verdict.PASS, f"Answers what this probe tests ({probe.intent.rstrip('.')}): {says}.",
                     evidence, 0.0)
    verdict = Verdict.WARN if heard else Verdict.FAIL
    return _done(probe, asked, verdict, f"Partly there for what this probe tests ({probe.intent.rstrip('.')}): "
                 f"not heard: {', '.join(missing)}.", evidence, 0.0)


def _signal(s: Sentence, sents: Sequence[Sentence], phrases: Iterable[str], answer: Transcript | None, r: Rubric) -> bool:
    p = r.phrases
    for phrase in phrases:
        if phrase == "#number" and has_number(s.norm, p.number_words):
            return True
        if phrase == "#business" and find_phrase(s.norm, p.business_terms):
            return True
        if phrase == "#mine" and _mine(sents, r) and find_phrase(s.norm, p.i_words):
            return True
        if phrase == "#story" and answer is not None and len(_story_words(s, answer, r)) >= 2:
            return True
        if not phrase.startswith("#") and find_phrase(s.norm, (phrase,)):
            return True
    return False


def _mine(sents: Sequence[Sentence], r: Rubric) -> bool:
    p = r.phrases
    others = [s for s in sents if subject_before_i(s.norm, (*p.we_words, "they"), p.i_words)]
    owned = [s for s in sents if find_phrase(s.norm, p.i_words) and s not in others]
    return len(owned) >= max(1, len(others))


def _story_words(s: Sentence, answer: Transcript, r: Rubric) -> set[str]:
    stop = frozenset(r.phrases.stopwords)
    return content_words(s.norm, stop) & content_words(normalise(answer.text), stop)


def _judge_against_page(probe: Probe, asked: str, sents: Sequence[Sentence], r: Rubric) -> ProbeJudgement:
    """The page's own story: overlap with the page's strong answer, 'I' against 'we'/'they', numbers."""
    p, pj = r.phrases, r.probe_judging
    stop = frozenset(p.stopwords)
    said = set().union(*(content_words(s.norm, stop) for s in sents))
    strong = content_words(normalise(f"{probe.strong_answer} {probe.tagline}"), stop)
    weak = content_words(normalise(probe.weak_answer), stop) - strong
    overlap = len(said & strong) / len(strong) if strong else 0.0
    weak_overlap = len(said & weak) / len(weak) if weak else 0.0
    if overlap < pj.strong_overlap_min and weak_overlap > overlap:
        return _done(probe, asked, Verdict.FAIL, f"Reads like the page's weak answer: {probe.weak_why}", sents, overlap)
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
        return _done(probe, asked, Verdict.PASS, f"Matches the strong answer ({overlap:.0%} of its key content).", owned, overlap)
    verdict = Verdict.FAIL if len(gaps) >= 3 else Verdict.WARN
    return _done(probe, asked, verdict, "Partly there: " + "; ".join(gaps) + ".", others or owned or sents, overlap)
