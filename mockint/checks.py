"""The content checks of the rubric: one method per check, each returning a `Finding` with its evidence.

Pure. The answer arrives as a `Story` (its sentences grouped by STAR span, built once by `story_of`); the
phrase lists and limits come from the `Rubric`. Delivery checks are delivery.py; the score, scoring.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from mockint.bank import Level, Question
from mockint.rubric import Rubric
from mockint.scorecard import Evidence, Finding, Verdict
from mockint.star import SECTION_ORDER, Section, Span
from mockint.text import (
    content_words,
    count_numbers,
    count_phrases,
    find_phrase,
    has_number,
    normalise,
    said_span,
    split_sentences,
    subject_before_i,
)
from mockint.timing import TimingStatus
from mockint.transcript import Transcript, Word

THEY_WORDS = ("they", "someone", "somebody")  # others as the subject of a sentence


def tells_page_story(question: Question, sentences: Iterable[str], rubric: Rubric) -> bool:
    """Whether an answer (its normalised sentences) retells the page's example story: enough of its content
    words come from the page's scenario and Situation, which name the story rather than the STAR shape.
    Measured: the seeds' weak answers 0.19-0.33, 60 answers about other stories 0.0-0.13."""
    stop = frozenset(rubric.phrases.stopwords)
    situation = question.section(Section.SITUATION)
    page = " ".join([question.scenario, situation.strong_example, *situation.key_phrases])
    page_words = content_words(normalise(page), stop)
    answer_words = set().union(set(), *(content_words(s, stop) for s in sentences))
    return bool(answer_words) and len(answer_words & page_words) / len(answer_words) >= rubric.limits.page_story_min_share


@dataclass(frozen=True, slots=True)
class StorySentence:
    """A sentence of the answer and the STAR section it was said in (None: no span claimed it)."""

    text: str
    norm: str
    start_s: float
    end_s: float
    section: Section | None


def _in_section(words: Sequence[Word], section: Section | None) -> list[StorySentence]:
    return [StorySentence(s.text, s.norm, s.start_s, s.end_s, section) for s in split_sentences(words)]


@dataclass(frozen=True, slots=True)
class Story:
    """Everything the checks read, precomputed once."""

    sentences: tuple[StorySentence, ...]
    by_section: Mapping[Section, tuple[StorySentence, ...]] = field(hash=False)
    spans: Mapping[Section, Span] = field(hash=False)
    words: tuple[Word, ...]

    def of(self, section: Section) -> tuple[StorySentence, ...]:
        return self.by_section.get(section, ())


def story_of(transcript: Transcript, spans: Sequence[Span]) -> Story:
    """The answer's sentences grouped by the span they fall in."""
    by_section: dict[Section, list[StorySentence]] = {}
    span_of: dict[Section, Span] = {}
    covered: set[tuple[str, float]] = set()
    for span in spans:
        span_of.setdefault(span.section, span)
        by_section.setdefault(span.section, []).extend(_in_section(span.words, span.section))
        covered.update((w.text, w.start_s) for w in span.words)
    sentences = [s for sec in SECTION_ORDER for s in by_section.get(sec, [])]
    # Words no span claimed still count for whole-answer checks (routing, vague endings, hedges).
    stray = [w for w in transcript.words if (w.text, w.start_s) not in covered]
    sentences.extend(_in_section(stray, None))
    sentences.sort(key=lambda s: s.start_s)
    return Story(
        sentences=tuple(sentences),
        by_section={k: tuple(v) for k, v in by_section.items()},
        spans=span_of,
        words=transcript.words,
    )


class Checker:
    """The content checks of one answer: each method returns the finding of one rubric check."""

    def __init__(self, story: Story, question: Question, level: Level, rubric: Rubric) -> None:
        self.story = story
        self.q = question
        self.level = level
        self.r = rubric
        self.p = rubric.phrases
        self.lim = rubric.limits

    def _coach(self, section: Section) -> str:
        return self.q.section(section).coaching

    def _f(
        self, check: str, section: Section | None, verdict: Verdict, message: str, evidence: Iterable[StorySentence] = (),
        phrase: str = "",
    ) -> Finding:
        coaching = self._coach(section) if section is not None else self.r.check(check).fix
        return Finding(check, section, verdict, message, tuple(Evidence.of(s) for s in evidence), coaching, phrase)

    def _said(self, s: StorySentence, phrases: Iterable[str]) -> str:
        """The first of `phrases` in the sentence, as the candidate said it."""
        return said_span(s.text, find_phrase(s.norm, phrases) or "")

    def _missing(self, check: str, section: Section) -> Finding:
        return self._f(check, section, Verdict.FAIL, f"No {section.value.capitalize()} heard.")

    # Situation -------------------------------------------------------------------------------------
    def situation_concise(self) -> Finding:
        sents = self.story.of(Section.SITUATION)
        if not sents:
            return self._missing("situation.concise", Section.SITUATION)
        start = sents[0].start_s
        # The problem is on the table at the first sentence that names one and is not itself a tour of the
        # system ("the service sits downstream with high throughput" names no problem).
        problem = next((s for s in sents if find_phrase(s.norm, self.p.problem_markers)
                        and count_phrases(s.norm, self.p.architecture_terms) < 2), None)
        before = sents if problem is None else sents[: sents.index(problem)]
        arch = sum(count_phrases(s.norm, self.p.architecture_terms) for s in before + ((problem,) if problem else ()))
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
            phrase = self._said(hits[0], self.p.scope_boundary)
            return self._f("task.scope_boundary", Section.TASK, Verdict.PASS,
                           f"States the scope boundary (\u201c{phrase}\u201d).", hits[:2], phrase)
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
            phrase = self._said(hits[0], self.p.assigned)
            verdict = Verdict.FAIL if self._scope_expected() else Verdict.WARN
            return self._f("task.assigned", Section.TASK, verdict,
                           f"Disqualifier: \u201c{phrase}\u201d says it was assigned, not owned.", hits, phrase)
        if not self.story.of(Section.TASK):
            return self._f("task.assigned", Section.TASK, Verdict.NOT_MEASURED, "No Task heard to judge.")
        return self._f("task.assigned", Section.TASK, Verdict.PASS, "Nothing says the work was assigned.")

    # Action ------------------------------------------------------------------------------------------
    def _is_i(self, s: StorySentence) -> bool:
        return find_phrase(s.norm, self.p.i_words) is not None

    def _is_we(self, s: StorySentence) -> bool:
        """'We' as the subject: a 'we' word with no 'I' before it ("I found we prepped too much" is mine)."""
        return subject_before_i(s.norm, self.p.we_words, self.p.i_words)

    def _is_they(self, s: StorySentence) -> bool:
        """Others as the subject ("They handled the fix and I supported the rollout")."""
        return subject_before_i(s.norm, THEY_WORDS, self.p.i_words)

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
                           "No Action sentence says what \u2018I\u2019 did" + (f"; {what} of {len(sents)}." if what else "."),
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
            said = list(dict.fromkeys(self._said(s, self.p.routing) for s in hits))
            phrases = ", ".join(f"\u201c{p}\u201d" for p in said)
            if len(self._owned_steps()) >= self.lim.action_i_sentences_min:
                return self._f("action.routing", Section.ACTION, Verdict.WARN,
                               f"Routing language ({phrases}), though you also did the work: lead with the fix "
                               "you brought, not the hand-off.", hits, said[0])
            return self._f("action.routing", Section.ACTION, Verdict.FAIL,
                           f"Routing, not owning: {phrases}. This confirms you handed it off.", hits, said[0])
        if not self.story.of(Section.ACTION):
            return self._f("action.routing", Section.ACTION, Verdict.NOT_MEASURED, "No Action to judge.")
        return self._f("action.routing", Section.ACTION, Verdict.PASS, "No hand-offs: you owned the fix.")

    def _owned_steps(self) -> list[StorySentence]:
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
        shown = ", ".join(f"\u2018{m}\u2019" for m in missing[:4])  # the page's words, not the candidate's
        if not tells_page_story(self.q, (s.norm for s in self.story.sentences), self.r):
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

    # Result ------------------------------------------------------------------------------------------
    def result_metric(self) -> Finding:
        sents = self.story.of(Section.RESULT)
        nw = self.p.number_words
        with_numbers = [s for s in sents if has_number(s.norm, nw)]
        deltas = [
            s for s in with_numbers
            if find_phrase(s.norm, self.p.change_words) or count_numbers(s.norm) >= 2
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
            phrase = self._said(hits[0], self.p.vague_result)
            return self._f("result.vague", Section.RESULT, Verdict.FAIL,
                           f"Vague ending (\u201c{phrase}\u201d): activity, not impact. The interviewer remembers nothing.",
                           hits, phrase)
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
            phrase = self._said(generic[0], self.p.generic_reflection)
            return self._f("reflection.specific", Section.REFLECTION, Verdict.FAIL,
                           f"Generic reflection (\u201c{phrase}\u201d): tells the interviewer nothing about this story.",
                           generic, phrase)
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


def timing_finding(
    check: str, section: Section | None, status: TimingStatus, duration_s: float | None, target_s: float,
    target_text: str, coaching: str, evidence: tuple[Evidence, ...],
) -> Finding:
    """A time against its target as a finding: a section off target warns, a whole answer far off fails."""
    if status is TimingStatus.MISSING or duration_s is None:
        return Finding(check, section, Verdict.FAIL, f"Not heard ({target_text}).", evidence, coaching)
    if status is TimingStatus.OK:
        return Finding(check, section, Verdict.PASS, f"{duration_s:.0f} s against {target_text}.", evidence, coaching)
    far = duration_s > 2 * target_s if status is TimingStatus.OVER else duration_s < 0.5 * target_s
    verdict = Verdict.FAIL if far and section is None else Verdict.WARN
    word = "over" if status is TimingStatus.OVER else "under"
    return Finding(check, section, verdict, f"{duration_s:.0f} s against {target_text}: {word}.", evidence, coaching)
