"""Scoring: the checks of one answer tied into a `Scorecard` (weights, verdict, Bar Raiser line, fixes), and
a session scored with its probe answers judged, as a new score record.

Pure. The answer arrives analysed once (`analysis.Analysis`: its spans and timings); the checks are
checks.py and delivery.py, the data rubric.py, the records scorecard.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from mockint.analysis import Analysis, analyse
from mockint.bank import Level, Question
from mockint.checks import Checker, Story, story_of, timing_finding
from mockint.delivery import delivery, words_per_minute
from mockint.errors import NoAnswerHeard, SessionError
from mockint.hearing import judge
from mockint.probes import judge_probe
from mockint.rubric import DELIVERY, RUBRIC_VERSION, Rubric, load_rubric
from mockint.scorecard import POINTS, DeliveryStats, Evidence, Finding, Fix, ProbeJudgement, Scorecard, SectionScore, Verdict
from mockint.session import ScoreRecord, Session, Turn
from mockint.star import SECTION_ORDER, Section
from mockint.text import clock
from mockint.timing import SectionTiming, TimingStatus


def score(analysis: Analysis, question: Question, *, lp: str | None = None, rubric: Rubric | None = None) -> Scorecard:
    """Judge one analysed answer.

    Args:
        lp: one of `question`'s LP angle names; weights the findings (see rubric.toml). Unknown names are
            a programming error (ValueError): the CLI checks them first.

    Fillers count as measured only when the transcript's `heard_fillers` and voice activity say so;
    otherwise a count is a lower bound or "not measurable".
    """
    r = rubric or load_rubric()
    angle = None if lp is None else question.lp_angle(lp)
    if lp is not None and angle is None:
        raise ValueError(f"{lp!r} is not an LP angle of question {question.id!r}")
    lp_name = None if angle is None else angle.name
    story = story_of(analysis.transcript, analysis.spans)
    findings, stats = _findings(analysis, story, question, r)
    weights = _weights(findings, r, lp_name)
    overall = round(100 * sum(w * POINTS[f.verdict] for f in findings if (w := weights.get(f.check)) is not None)
                    / sum(weights.values()))
    order = {cid: i for i, cid in enumerate(r.checks)}
    ranked = sorted(
        (f for f in findings if f.verdict in (Verdict.FAIL, Verdict.WARN)),
        key=lambda f: (f.verdict is not Verdict.FAIL, -weights[f.check] * (1 - POINTS[f.verdict]), order[f.check]),
    )
    verdict = _hire_verdict(overall, findings, r, len(story.spans))
    delivery_score = _group_score(findings, DELIVERY, r)
    missing = [s for s in SECTION_ORDER if s not in story.spans]
    return Scorecard(
        rubric_version=r.version,
        question_id=question.id,
        level=analysis.level,
        lp=lp_name,
        overall=overall,
        verdict=verdict,
        bar_raiser=_bar_raiser(findings, ranked, verdict, delivery_score, r, lp_name, missing),
        sections=_section_scores(analysis, story, findings, r),
        delivery_score=delivery_score,
        delivery=stats,
        findings=tuple(findings),
        fixes=_fixes(ranked, analysis, r),
        target_scale=analysis.plan.scale,
    )


def _findings(analysis: Analysis, story: Story, question: Question, r: Rubric) -> tuple[list[Finding], DeliveryStats]:
    """Every check's finding (section timings, the total, the content checks, then delivery), and the
    delivery measurements."""
    findings: list[Finding] = []
    for t in analysis.timings:
        first = story.of(t.section)[:1]
        findings.append(timing_finding(
            f"timing.{t.section.value}", t.section, t.status, t.duration_s, t.target_s, f"{t.target_s:.0f} s target",
            question.section(t.section).coaching, tuple(Evidence.of(s) for s in first)))
    guide = question.level(analysis.level)
    budget = (f"the {guide.budget_min_s / 60:g}-{guide.budget_max_s / 60:g} min budget"
              if guide.budget_min_s != guide.budget_max_s else f"the {guide.budget_max_s / 60:g} min budget")
    total = analysis.total
    mid_s = (total.budget_min_s + total.budget_max_s) / 2
    findings.append(timing_finding("timing.total", None, total.status, total.duration_s, mid_s, budget,
                                   guide.budget_text, ()))
    c = Checker(story, question, analysis.level, r)
    findings += [c.situation_concise(), c.task_scope(), c.task_assigned(), c.action_i(), c.action_routing(),
                 c.action_depth(), c.action_key_moves(), c.result_metric(), c.result_business(),
                 c.result_second_order(), c.result_vague(), c.reflection_specific()]
    if analysis.level is Level.SENIOR:
        findings.append(c.reflection_systemic())
    stats, said = delivery(story, analysis.transcript, r, total)
    return findings + said, stats


def _section_scores(analysis: Analysis, story: Story, findings: Sequence[Finding], r: Rubric) -> tuple[SectionScore, ...]:
    return tuple(
        SectionScore(
            section=t.section,
            score=_group_score(findings, t.section.value, r) if t.section in story.spans else 0,  # not heard: nothing earned
            target_s=t.target_s,
            duration_s=None if t.duration_s is None else round(t.duration_s, 3),
            timing=t.status,
            wpm=words_per_minute(story.spans[t.section].words) if t.section in story.spans else None,
        )
        for t in analysis.timings
    )


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
    return round(100 * sum(rubric.check(f.check).weight * POINTS[f.verdict] for f in scored) / total)


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


def _fixes(ranked: Sequence[Finding], analysis: Analysis, r: Rubric) -> tuple[Fix, ...]:
    """The three things to fix first, worst first, each consistent with the timing: a section never heard
    gets one "add it" fix (not one per failed check); a section is never told to grow while the whole answer
    is over budget; a fix quotes only what was said."""
    timing = {t.section: t for t in analysis.timings}
    missing = {s for s, t in timing.items() if t.status is TimingStatus.MISSING}
    out: list[Fix] = []
    added: set[Section] = set()
    for f in ranked:
        if f.section in missing:
            if f.section in added:
                continue
            added.add(f.section)
            text = _timing_fix(timing[f.section], analysis, r)
        elif f.check.startswith("timing.") and f.section is not None:
            if analysis.total.status is TimingStatus.OVER and timing[f.section].status is TimingStatus.UNDER:
                continue  # lengthening a section would push the whole answer further over
            text = _timing_fix(timing[f.section], analysis, r)
        elif f.check == "timing.total":
            text = _total_fix(analysis, r)
        elif f.check == "situation.concise" and timing[Section.SITUATION].status is TimingStatus.OVER and \
                "rchitecture" not in f.message:
            text = _timing_fix(timing[Section.SITUATION], analysis, r)  # too long, not an architecture tour
        else:
            spec = r.check(f.check)
            text = spec.fix_phrase.replace("{phrase}", f.phrase) if f.phrase and spec.fix_phrase else spec.fix
        if text not in {x.text for x in out}:
            out.append(Fix(f.check, f.section, text))
        if len(out) == 3:
            break
    return tuple(out)


def _timing_fix(t: SectionTiming, analysis: Analysis, r: Rubric) -> str:
    name, target = t.section.value.capitalize(), f"{t.target_s:.0f} s"
    what = r.check(f"timing.{t.section.value}").fix
    if t.status is TimingStatus.MISSING or t.duration_s is None:
        size = "a short " if analysis.total.status is TimingStatus.OVER else "a "
        return f"Add {size}{name} of about {target}: {what}."
    now = f"now {t.duration_s:.0f} s"
    if t.status is TimingStatus.OVER:
        return f"Cut the {name} to about {target} ({now}): {what}."
    donors = [x.section.value.capitalize() for x in analysis.timings if x.status is TimingStatus.OVER]
    room = f" Take the time from the {' and '.join(donors)}." if donors else ""
    return f"Give the {name} about {target} ({now}): {what}.{room}"


def _total_fix(analysis: Analysis, r: Rubric) -> str:
    total = analysis.total
    budget = f"{clock(total.budget_min_s)}-{clock(total.budget_max_s)}"
    if total.status is TimingStatus.OVER:
        over = [t.section.value.capitalize() for t in analysis.timings if t.status is TimingStatus.OVER]
        cut = " and ".join(over) if over else "the longest sections"
        return f"Keep the whole answer within {budget} (now {clock(total.duration_s)}): cut the {cut}."
    missing = [t.section.value.capitalize() for t in analysis.timings if t.status is TimingStatus.MISSING]
    short = [t.section.value.capitalize() for t in analysis.timings if t.status is TimingStatus.UNDER]
    asks = ([f"add a {' and a '.join(missing)}"] if missing else []) + ([f"say more about the {' and the '.join(short)}"] if short else [])
    return f"Fill the {budget} budget (now {clock(total.duration_s)}): {', and '.join(asks) or 'say more about what you did and what it changed'}."


# --- a session -------------------------------------------------------------------------------------


def transcript_digest(turns: Sequence[Turn]) -> str:
    """A short fingerprint of every turn's words and times: equal digests mean the same thing was scored."""
    # Formatted to the digits the file keeps (Word.to_dict rounds the same way), so a transcript fresh
    # from ASR and the same one loaded back from session.json have the same digest.
    parts = []
    for t in turns:
        parts.append(f"\x1e{t.transcript.duration_s:.3f}")
        parts.extend(f"\x1d{w.text}\x1f{w.start_s:.3f}\x1f{w.end_s:.3f}\x1f{w.probability:.4f}" for w in t.transcript.words)
    return hashlib.sha256("".join(parts).encode("utf-8")).hexdigest()[:16]


def score_session(
    session: Session,
    question: Question,
    *,
    rubric: Rubric | None = None,
    model: str | None = None,
    now: datetime,
    card: Scorecard | None = None,
) -> Session:
    """Score the answer (and judge each probe answer) and append a ScoreRecord.

    A recording with no answer in it (silence, noise, another language: hearing.judge) is never scored:
    NoAnswerHeard says why. Idempotent: if the latest record already has this rubric version, this model and these transcripts,
    the session is returned unchanged (the same object), so callers can skip saving. `card` is the
    answer's scorecard when the caller already has it (the interview scored it to choose probes).
    `model` names the speech model that made the transcripts (default: the one that recorded the session).
    Raises SessionError if the session has no answer or refers to a probe the question does not have.
    """
    answer = session.answer
    if answer is None:
        raise SessionError(f"Session '{session.id}' has no recorded answer to score. Re-record it with 'mockint practice'.")
    hearing = judge(answer.transcript)
    if not hearing.is_answer:
        raise NoAnswerHeard(f"Session '{session.id}': {hearing.message}")
    used_model = model if model is not None else session.model
    version = rubric.version if rubric is not None else RUBRIC_VERSION
    digest = transcript_digest(session.turns)
    latest = session.latest_score
    if latest is not None and (latest.rubric_version, latest.model, latest.transcript_digest) == (version, used_model, digest):
        return session
    if card is None:
        card = score(analyse(answer.transcript, question, session.level), question, lp=session.lp, rubric=rubric)
    record = ScoreRecord(
        scored_at=now.isoformat(timespec="seconds"),
        rubric_version=version,
        model=used_model,
        overall=card.overall,
        verdict=card.verdict,
        scorecard=card,
        probe_judgements=judge_probes(session, question, rubric),
        transcript_digest=digest,
    )
    return replace(session, scores=(*session.scores, record))


def judge_probes(session: Session, question: Question, rubric: Rubric | None = None) -> tuple[ProbeJudgement, ...]:
    """Each probe answer of the session judged against its probe. Raises SessionError for a probe the
    question does not have."""
    judgements = []
    for turn in session.probe_turns:
        if turn.probe_index is None:
            continue
        if not 0 <= turn.probe_index < len(question.probes):
            raise SessionError(
                f"Session '{session.id}' has an answer to probe {turn.probe_index + 1}, but question "
                f"'{question.id}' has {len(question.probes)} probes. Was the question file changed?"
            )
        probe = question.probes[turn.probe_index]
        answer = session.answer
        judgements.append(judge_probe(probe, turn.transcript, asked=turn.prompt or probe.question,
                                      answer=answer.transcript if answer else None, question=question, rubric=rubric))
    return tuple(judgements)
