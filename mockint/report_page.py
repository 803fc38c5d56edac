"""The session report as one self-contained HTML page: players, the STAR timeline, the marked transcript that
follows the audio, the verdict, fixes and findings linked to their moments, the probes, pace and pauses, and
progress across attempts. Pure: `session_page(ReportInput)` returns the page as a string.

What goes in (the assessment, the audio's URLs, the other attempts) is gathered by report.py; the charts are
report_svg.py, the style and script report_assets.py. Every text from a session is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from mockint.bank import Question
from mockint.history import Progress, created
from mockint.report_assets import CSS, JS
from mockint.report_data import Assessment, Mark, MarkedWord, mark_words, pace, pauses
from mockint.report_svg import attempts_chart, pace_chart, section_bars, star_strip
from mockint.rubric import load_rubric
from mockint.scorecard import Evidence, Finding, ProbeJudgement, Scorecard, Verdict
from mockint.session import Session, Turn, TurnKind
from mockint.star import SECTION_ORDER, Section
from mockint.text import clock
from mockint.timing import SectionTiming, TotalTiming, time_sections

ANSWER_AUDIO = "a-answer"
SHORT_PAUSE_S = 1.0  # pauses drawn on the pace chart; the rubric's long ones are marked stronger

_MARK = {Verdict.PASS: "✓", Verdict.WARN: "!", Verdict.FAIL: "✗", Verdict.NOT_MEASURED: "?"}
_MARK_TITLE = {Mark.FILLER: "filler", Mark.HEDGE: "hedge", Mark.ROUTING: "routing: handing it off, not owning it",
               Mark.NOT_I: "not 'I': whose work was this?"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class TurnMedia:
    """How the page reaches one turn's sound: URLs relative to the page, or data: URIs when embedded."""

    audio_src: str | None  # the recorded answer; None when there is none to play
    prompt_src: str | None = None  # the question or probe spoken by text-to-speech, when synthesised
    missing: str | None = None  # why the recording cannot be played, in a sentence


@dataclass(frozen=True, slots=True)
class Previous:
    """The attempt before this one at the same question, for the side-by-side."""

    session: Session
    assessment: Assessment
    href: str | None


@dataclass(frozen=True, slots=True)
class ReportInput:
    session: Session
    question: Question | None
    assessment: Assessment
    media: tuple[TurnMedia, ...]  # one per turn, in turn order
    progress: Progress | None = None  # every attempt at this question, this one included, oldest first
    previous: Previous | None = None
    index_href: str | None = None


# --- shared pieces ------------------------------------------------------------------------------------------


def document(title: str, body: str) -> str:
    """A whole page: the style and script inline, no external resource of any kind (not even a favicon)."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<link rel=\"icon\" href=\"data:,\"><title>{escape(title)}</title><style>{CSS}</style></head>"
            f"<body><main>{body}</main><script>{JS}</script></body></html>\n")  # fmt: skip


def verdict_class(verdict: str | None) -> str:
    """v0 (best) .. v4 by the verdict's place in the rubric's bands; '' for a name this rubric lacks."""
    names = [b.name for b in load_rubric().verdicts]
    return f"v{min(names.index(verdict), 4)}" if verdict in names else ""


def label(check: str) -> str:
    spec = load_rubric().checks.get(check)
    return spec.label if spec is not None else check


def day(session: Session) -> str:
    return f"{created(session):%Y-%m-%d %H:%M}"


def at(audio_id: str | None, t_s: float | None) -> str:
    """A moment of the recording: a link that plays it from there, or the plain time without audio."""
    if t_s is None:
        return ""
    if audio_id is None:
        return f'<span class="at">{clock(t_s)}</span>'
    return f'<a class="at" href="#" data-seek="{t_s:.3f}" data-audio="{audio_id}">{clock(t_s)}</a>'


def timings_of(assessment: Assessment) -> tuple[tuple[SectionTiming, ...], TotalTiming | None]:
    """Section times from the scorecard (as scored), else from the analysis, else against default targets."""
    card = assessment.card
    if card is not None:
        d = card.delivery
        total = TotalTiming(d.total_s, d.budget_min_s, d.budget_max_s, d.total_timing)
        return tuple(SectionTiming(s.section, s.target_s, s.duration_s, s.timing) for s in card.sections), total
    if assessment.analysis is not None:
        return assessment.analysis.timings, assessment.analysis.total
    return time_sections(assessment.spans), None


def progress_charts(progress: Progress, current_id: str | None = None) -> str:
    """The score and each section's time across the attempts at one question, as small SVG charts."""
    ids = [a.session_id for a in progress.attempts]
    current = ids.index(current_id) if current_id in ids else None
    labels = [f"{a.created_at:%b %d}" for a in progress.attempts]
    charts = [attempts_chart([None if s is None else float(s) for s in progress.scores], labels, y_max=100, unit="points",
                             current=current, title="Score")]  # fmt: skip
    for section in SECTION_ORDER:
        durations = progress.durations(section)
        statuses = [next(t.status for t in a.timings if t.section is section) for a in progress.attempts]
        target = progress.target_s(section)
        top = max([target * 1.5] + [d for d in durations if d is not None])
        charts.append(attempts_chart(durations, labels, y_max=top, unit="s", current=current, target=target,
                                     statuses=statuses, title=f"{section.value.capitalize()} (s, target {target:.0f})"))  # fmt: skip
    return '<div class="charts">' + "".join(f"<div>{c}</div>" for c in charts) + "</div>"


# --- the session page --------------------------------------------------------------------------------------


def _audio_id(r: ReportInput, index: int) -> str | None:
    if index >= len(r.media) or r.media[index].audio_src is None:
        return None
    return ANSWER_AUDIO if r.session.turns[index].kind is TurnKind.ANSWER else f"a-turn-{index}"


def _answer_index(session: Session) -> int | None:
    return next((i for i, t in enumerate(session.turns) if t.kind is TurnKind.ANSWER), None)


def _header(r: ReportInput) -> str:
    s, q, card = r.session, r.question, r.assessment.card
    title = q.title if q is not None else s.question_id
    lp = f" · LP: {escape(s.lp)}" if s.lp else ""
    rubric = f" · rubric {escape(card.rubric_version)}" if card is not None else ""
    badges = "" if s.is_complete else '<span class="badge warn">interrupted</span>'
    index = f' · <a class="no-print" href="{escape(r.index_href)}">all sessions</a>' if r.index_href else ""
    return (f"<header><h1>{escape(title)}{badges}</h1><div class=\"meta\">{escape(s.id)} · {day(s)} · "
            f"{escape(s.question_id)} · level {escape(s.level.value)}{lp} · recorded with {escape(s.model)}{rubric}{index}"
            "</div></header>")  # fmt: skip


def missing_notes(r: ReportInput) -> list[str]:
    """What this page cannot show, and why, in sentences."""
    s, notes = r.session, []
    if not s.is_complete:
        notes.append("The session was interrupted (saved after Ctrl-C or a crash): what follows is what was recorded.")
    answer = s.answer
    if answer is None:
        notes.append("No answer was recorded in this session.")
    elif not answer.transcript.words:
        notes.append("No words were heard in the answer: there is no transcript to show.")
    for media in r.media:
        if media.missing:
            notes.append(media.missing)
    if r.assessment.card is None:
        latest = s.latest_score
        saved = f" The saved score was {latest.overall} ({latest.verdict})." if latest is not None else ""
        notes.append("This session has no scorecard to show." + saved)
    notes.extend(r.assessment.problems)
    return notes


def _missing(r: ReportInput) -> str:
    notes = missing_notes(r)
    if not notes:
        return ""
    return '<section class="card missing" id="missing"><h2>Missing from this report</h2><ul>' + "".join(
        f"<li>{escape(n)}</li>" for n in notes) + "</ul></section>"  # fmt: skip


def _verdict(r: ReportInput) -> str:
    card = r.assessment.card
    if card is None:
        return ""
    subs = "".join(f"<span>{s.section.value.capitalize()} {s.score}</span>" for s in card.sections)
    subs += f"<span>Delivery {card.delivery_score}</span>"
    note = ""
    latest = r.session.latest_score
    if r.assessment.is_rescored and latest is not None:
        note = (f'<p class="muted">Scored now with rubric {escape(card.rubric_version)}; the saved score, {latest.overall} '
                f"({escape(latest.verdict)}), came from rubric {escape(latest.rubric_version)}. "
                "Run <code>mockint rescore</code> to save this one.</p>")  # fmt: skip
    elif r.assessment.is_rescored:
        note = f'<p class="muted">Scored now with rubric {escape(card.rubric_version)} (not saved).</p>'
    return (f'<section class="card" id="verdict"><div class="head"><div class="score">{card.overall}<small>/100</small></div>'
            f'<div class="verdict {verdict_class(card.verdict)}">{escape(card.verdict)}</div></div>'
            f'<p class="barraiser"><b>Bar Raiser thinks:</b> {escape(card.bar_raiser)}</p>'
            f'<div class="subscores">{subs}</div>{note}</section>')  # fmt: skip


def _moment(card: Scorecard, check: str, r: ReportInput) -> float | None:
    """When a check's problem can be heard: its first evidence, else the start of its section."""
    finding = card.finding(check)
    if finding is not None and finding.evidence:
        return finding.evidence[0].start_s
    section = finding.section if finding is not None else None
    return next((s.start_s for s in r.assessment.spans if s.section is section), None)


def _fixes(r: ReportInput, audio_id: str | None) -> str:
    card = r.assessment.card
    if card is None or not card.fixes:
        return ""
    items = "".join(f"<li>{escape(f.text)} {at(audio_id, _moment(card, f.check, r))}</li>" for f in card.fixes)
    return f'<section class="card" id="fixes"><h2>Fix these first</h2><ol class="fixes">{items}</ol></section>'


def _player(audio_id: str | None, media: TurnMedia | None, what: str) -> str:
    if media is None or media.audio_src is None or audio_id is None:
        return f'<p class="muted">No recording of the {what} to play.</p>'
    return (f'<div class="player"><audio id="{audio_id}" controls preload="auto" src="{escape(media.audio_src)}">'
            "</audio></div>")


def _prompt(turn: Turn, media: TurnMedia | None, heading: str) -> str:
    spoken = ""
    if media is not None and media.prompt_src is not None:
        spoken = f'<audio class="prompt-audio" controls preload="metadata" src="{escape(media.prompt_src)}"></audio>'
    text = escape(turn.prompt) if turn.prompt else "(not saved)"
    return f'<h3>{heading}</h3><p class="prompt">{text}</p>{spoken}'


def _word(mw: MarkedWord) -> str:
    classes = ["w", *sorted(f"m-{m.value}" for m in mw.marks)]
    tip = ", ".join(_MARK_TITLE[m] for m in sorted(mw.marks))
    title = f' title="{escape(tip)}"' if tip else ""
    return f'<span class="{" ".join(classes)}" data-t="{mw.word.start_s:.3f}"{title}>{escape(mw.word.text)}</span>'


def transcript_html(words: Sequence[MarkedWord], audio_id: str | None) -> str:
    """The words as paragraphs, one per run of a section, each word a span the script follows and seeks by."""
    if not words:
        return '<p class="muted">No words were heard.</p>'
    paragraphs: list[list[MarkedWord]] = []
    for mw in words:
        if not paragraphs or mw.section is not paragraphs[-1][0].section:
            paragraphs.append([])
        paragraphs[-1].append(mw)
    out = []
    for para in paragraphs:
        section = para[0].section
        cls = f' class="s-{section.value}"' if section is not None else ""
        head = f'<span class="sec">{section.value}</span>' if section is not None else ""
        out.append(f"<p{cls}>{head}{at(audio_id, para[0].word.start_s)} " + " ".join(_word(w) for w in para) + "</p>")
    data = f' data-audio="{audio_id}"' if audio_id is not None else ""
    return f'<div class="transcript"{data}>' + "".join(out) + "</div>"


_LEGEND = ('<div class="legend"><span><span class="key m-filler">um</span> filler</span>'
           '<span><span class="key m-hedge">I think</span> hedge</span>'
           '<span><span class="key m-routing">escalated</span> routing, not owning</span>'
           '<span><span class="key m-not-i">we fixed it</span> not \u2018I\u2019 in the Action</span>'
           '<span class="no-print">click a word, a section or a time to listen from there</span></div>')  # fmt: skip


def _answer(r: ReportInput) -> str:
    index = _answer_index(r.session)
    if index is None:
        return ""
    turn, media = r.session.turns[index], r.media[index] if index < len(r.media) else None
    audio_id = _audio_id(r, index)
    timings, total = timings_of(r.assessment)
    spans = r.assessment.spans
    starts: dict[Section, float] = {}
    for span in spans:
        starts.setdefault(span.section, span.start_s)
    duration = max(turn.transcript.duration_s, spans[-1].end_s if spans else 0.0)
    marked = mark_words(turn.transcript, spans, load_rubric().phrases, r.assessment.card)
    return (f'<section class="card" id="answer"><h2>The interview</h2>{_prompt(turn, media, "Question")}'
            f'<h3>Your answer</h3>{_player(audio_id, media, "answer")}'
            f'<div id="timeline">{star_strip(spans, total, duration, audio_id)}'
            f"{section_bars(timings, total, starts, audio_id)}</div>"
            f'<h3>Transcript</h3>{_LEGEND}{transcript_html(marked, audio_id)}</section>')  # fmt: skip


def _pace(r: ReportInput) -> str:
    answer = r.session.answer
    index = _answer_index(r.session)
    if answer is None or index is None or len(answer.transcript.words) < 2:
        return ""
    lim = load_rubric().limits
    audio_id = _audio_id(r, index)
    windows = pace(answer.transcript.words)
    gaps = pauses(answer.transcript, SHORT_PAUSE_S)
    long_n = sum(1 for p in gaps if p.duration_s >= lim.pause_long_s)
    card = r.assessment.card
    overall = f"{card.delivery.wpm:.0f} words per minute overall" if card is not None and card.delivery.wpm else ""
    fillers = card.finding("delivery.fillers") if card is not None else None
    said = " · ".join(x for x in (overall, f"{long_n} pause{'s' if long_n != 1 else ''} over {lim.pause_long_s:g} s",
                                  fillers.message if fillers is not None else "") if x)  # fmt: skip
    chart = pace_chart(windows, gaps, answer.transcript.duration_s, (lim.wpm_slow, lim.wpm_fast), lim.pause_long_s, audio_id)
    return f'<section class="card" id="pace"><h2>Pace and pauses</h2><p class="muted">{escape(said)}</p>{chart}</section>'


def _evidence(evidence: Sequence[Evidence], audio_id: str | None) -> str:
    return "".join(f'<span class="evidence">{at(audio_id, e.start_s)} \u201c{escape(e.text)}\u201d</span>' for e in evidence)


def _mark(verdict: Verdict) -> str:
    return _MARK.get(verdict, "?")  # the rubric may grow verdicts; a new one shows as '?'


def _finding_row(f: Finding, audio_id: str | None) -> str:
    shown = f.evidence if f.verdict in (Verdict.WARN, Verdict.FAIL) else f.evidence[:1]
    return (f'<tr><td class="mark {f.verdict.value}">{_mark(f.verdict)}</td><td><b>{escape(label(f.check))}</b>: '
            f"{escape(f.message)}{_evidence(shown, audio_id)}</td></tr>")


def _findings(r: ReportInput, audio_id: str | None) -> str:
    card = r.assessment.card
    if card is None:
        return ""
    groups: list[tuple[str, list[Finding]]] = [(s.value.capitalize(), [f for f in card.findings if f.section is s]) for s in SECTION_ORDER]
    groups.append(("Delivery and timing", [f for f in card.findings if f.section is None]))
    rows = "".join(f'<tr class="group"><td colspan="2">{name}</td></tr>' + "".join(_finding_row(f, audio_id) for f in fs)
                   for name, fs in groups if fs)  # fmt: skip
    return f'<section class="card" id="findings"><h2>Every finding</h2><table class="findings">{rows}</table></section>'


def _judgement(j: ProbeJudgement | None, audio_id: str | None) -> str:
    if j is None:
        return '<p class="muted">Not judged.</p>'
    return (f'<p><span class="mark {j.verdict.value}">{_mark(j.verdict)}</span> {escape(j.message)}</p>'
            f'<p class="muted">It tests: {escape(j.intent)} A strong answer: \u201c{escape(j.tagline)}\u201d</p>'
            f"{_evidence(j.evidence, audio_id)}")  # fmt: skip


def _probes(r: ReportInput) -> str:
    judged = list(r.assessment.judgements)
    parts: list[str] = []
    for index, turn in enumerate(r.session.turns):
        if turn.kind is not TurnKind.PROBE:
            continue
        judgement = judged.pop(0) if turn.probe_index is not None and judged else None
        media = r.media[index] if index < len(r.media) else None
        audio_id = _audio_id(r, index)
        words = mark_words(turn.transcript, (), load_rubric().phrases, None)
        parts.append(f'<div class="probe">{_prompt(turn, media, f"Probe {len(parts) + 1}")}'
                     f"{_player(audio_id, media, 'probe answer')}{transcript_html(words, audio_id)}"
                     f"{_judgement(judgement, audio_id)}</div>")  # fmt: skip
    if not parts:
        return ""
    return '<section class="card" id="probes"><h2>Follow-up probes</h2>' + "".join(parts) + "</section>"


def _column(session: Session, assessment: Assessment, heading: str) -> str:
    card = assessment.card
    score = f"<b>{card.overall}</b>/100 · <span class=\"{verdict_class(card.verdict)}\">{escape(card.verdict)}</span>" if card else "not scored"
    timings, total = timings_of(assessment)
    rows = "".join(f"<tr><td>{t.section.value.capitalize()}</td><td class=\"num\">{clock(t.duration_s)} / {clock(t.target_s)}</td>"
                   f"<td class=\"{_status_class(t.status.value)}\">{t.status.value}</td></tr>" for t in timings)  # fmt: skip
    if total is not None:
        rows += f"<tr><td>Total</td><td class=\"num\">{clock(total.duration_s)}</td><td>{total.status.value}</td></tr>"
    fixes = "".join(f"<li>{escape(f.text)}</li>" for f in card.fixes) if card else ""
    return (f"<div><h3>{heading}</h3><p>{day(session)} · {score}</p><table class=\"plain\">{rows}</table>"
            f"<ol class=\"fixes\">{fixes}</ol></div>")  # fmt: skip


def _status_class(status: str) -> str:
    return {"ok": "pass", "over": "fail", "under": "warn"}.get(status, "not_measured")


def _progress(r: ReportInput) -> str:
    p = r.progress
    if p is None or len(p.attempts) < 2:
        return ""
    side = ""
    if r.previous is not None:
        prev = r.previous
        link = f' <a href="{escape(prev.href)}">(its report)</a>' if prev.href else ""
        side = ('<h3>This attempt beside the previous one</h3><div class="cols">'
                f"{_column(prev.session, prev.assessment, 'Previous attempt' + link)}"
                f"{_column(r.session, r.assessment, 'This attempt')}</div>")  # fmt: skip
    return (f'<section class="card" id="progress"><h2>Progress on this question ({len(p.attempts)} attempts)</h2>'
            f"{progress_charts(p, r.session.id)}{side}</section>")


def session_page(r: ReportInput) -> str:
    """The whole report page for one session."""
    index = _answer_index(r.session)
    audio_id = _audio_id(r, index) if index is not None else None
    title = r.question.title if r.question is not None else r.session.question_id
    body = "".join([
        _header(r), _missing(r), _verdict(r), _fixes(r, audio_id), _answer(r), _pace(r), _findings(r, audio_id),
        _probes(r), _progress(r),
        "<footer>Made by mockint from the files in this folder: nothing here was sent anywhere.</footer>",
    ])  # fmt: skip
    return document(f"{title} · {day(r.session)} · mockint", body)
