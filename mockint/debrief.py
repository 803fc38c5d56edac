"""The debrief: a scorecard (plus the question's bank entry and any probe judgements) as a rich terminal
view, JSON or Markdown. Renders and returns; never prints. The timeline bars come from timeline.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mockint.bank import Level, Question
from mockint.rubric import load_rubric
from mockint.scorecard import Evidence, Finding, ProbeJudgement, Scorecard, Verdict
from mockint.session import Session
from mockint.star import SECTION_ORDER, Section
from mockint.text import clock
from mockint.timing import SectionTiming, TotalTiming

_MARK = {Verdict.PASS: "✓", Verdict.WARN: "!", Verdict.FAIL: "✗", Verdict.NOT_MEASURED: "?"}
_STYLE = {Verdict.PASS: "green", Verdict.WARN: "yellow", Verdict.FAIL: "red", Verdict.NOT_MEASURED: "dim"}
_LEVEL_NAME = {Level.SDE1: "SDE 1", Level.SDE2: "SDE 2", Level.SENIOR: "Senior SDE"}
_VERDICT_STYLE = {"Strong Hire": "bold green", "Hire": "green", "Leaning Hire": "yellow",
                  "Leaning No Hire": "red", "No Hire": "bold red"}


def _label(check: str) -> str:
    spec = load_rubric().checks.get(check)
    return spec.label if spec is not None else check


def _heading(section: Section | None) -> str:
    return "Delivery" if section is None else section.value.capitalize()


def timings(card: Scorecard) -> tuple[tuple[SectionTiming, ...], TotalTiming]:
    """The scorecard's times as the STAR helper's timing values (for timeline.render_timeline)."""
    sections = tuple(SectionTiming(s.section, s.target_s, s.duration_s, s.timing) for s in card.sections)
    d = card.delivery
    return sections, TotalTiming(d.total_s, d.budget_min_s, d.budget_max_s, d.total_timing)


def _unpack(
    card: Scorecard | Session, judgements: Sequence[ProbeJudgement]
) -> tuple[Scorecard, tuple[ProbeJudgement, ...]]:
    if isinstance(card, Scorecard):
        return card, tuple(judgements)
    record = card.latest_score
    if record is None or record.scorecard is None:
        raise ValueError(f"session {card.id} has no scorecard to render")
    return record.scorecard, tuple(judgements) or record.probe_judgements


# --- terminal -------------------------------------------------------------------------------------


def _evidence_table(evidence: Sequence[Evidence], shown: set[Evidence] | None = None) -> Table:
    """Each quote with its time; a quote already shown above is referred to, not repeated."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(style="italic")
    for e in evidence:
        grid.add_row(clock(e.start_s), _quote(e, shown))
    return grid


def _quote(e: Evidence, shown: set[Evidence] | None) -> str:
    note = f" ({e.note})" if e.note else ""
    if shown is not None and e in shown:
        return f"(quoted above){note}"
    if shown is not None:
        shown.add(e)
    return f"\u201c{e.text}\u201d{note}"


def fixes_heading(count: int) -> str:
    """The fix list's heading, counted right ("Two things to fix first")."""
    return {0: "Nothing to fix first", 1: "One thing to fix first", 2: "Two things to fix first"}.get(
        count, "Three things to fix first")


def timeline_title(card: Scorecard) -> str:
    if card.target_scale < 1.0:
        return f"Timeline (targets scaled to your {clock(card.delivery.budget_max_s)} budget)"
    return "Timeline"


def _marked(verdict: Verdict, body: RenderableType) -> Table:
    """A verdict mark with its text wrapped beside it (hanging indent)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, width=3, justify="right")
    grid.add_column()
    grid.add_row(Text(_MARK[verdict], style=_STYLE[verdict]), body)
    return grid


def _finding_row(f: Finding, quoted: set[Evidence]) -> Table:
    line = Text()
    line.append(f"{_label(f.check)}: ", style="bold")
    line.append(f.message)
    shown = _shown_evidence(f)
    return _marked(f.verdict, Group(line, _evidence_table(shown, quoted)) if shown else line)


def _has_coaching(f: Finding, fix_text: str) -> bool:
    """Bank coaching worth showing beside a fix (timing findings carry the fix itself as coaching)."""
    return bool(f.coaching) and not fix_text.startswith(f.coaching)


def _shown_evidence(f: Finding) -> tuple[Evidence, ...]:
    """All the evidence for a problem; one sentence to back a pass."""
    return f.evidence if f.verdict in (Verdict.WARN, Verdict.FAIL) else f.evidence[:1]


def render(
    scorecard: Scorecard | Session,
    question: Question,
    *,
    probe_judgements: Sequence[ProbeJudgement] = (),
) -> RenderableType:
    """The debrief as a rich renderable. A `Session` is shown through its latest score record."""
    from mockint.timeline import render_timeline

    card, judged = _unpack(scorecard, probe_judgements)
    head = Text()
    head.append(f"{question.title}\n", style="bold")
    lp = f" · LP: {card.lp}" if card.lp else ""
    head.append(f"{question.id} · level {_LEVEL_NAME[card.level]}{lp} · rubric {card.rubric_version}", style="dim")
    parts: list[RenderableType] = [head, _verdict_panel(card)]
    section_t, total_t = timings(card)
    parts.append(Panel(render_timeline(section_t, total_t), title=timeline_title(card), title_align="left"))
    parts += [_scores_panel(card), _findings_panel(card), _fixes_panel(card)]
    coaching = _coaching(card, question)
    if coaching:
        body = Text()
        for i, (section, coach, mistake) in enumerate(coaching):
            if i:
                body.append("\n\n")
            body.append(f"{_heading(section)}: ", style="bold")
            body.append(coach)
            body.append(f"\nCommon mistake: {mistake}", style="dim")
        parts.append(Panel(body, title="Coaching from the page", title_align="left"))
    parts.append(Panel(_level_text(card, question), title=f"At {_LEVEL_NAME[card.level]}", title_align="left"))
    parts.append(Panel(_lp_text(card, question), title="LP angle", title_align="left"))
    if judged:
        parts.append(_probes_panel(judged))
    return Group(*parts)


def summary(scorecard: Scorecard | Session, question: Question, *, rows: int | None = None) -> RenderableType:
    """The debrief on one screen (about 20 lines at 80 columns): the verdict and score, the timeline, the
    fixes each with the sentence it is about and its time, and one line on delivery. `render` is all of it.
    With `rows` (what is left of the terminal's height), the fixes' quotes are left out, the last fix's
    first, until it fits: the verdict at the top stays on the screen."""
    card, _ = _unpack(scorecard, ())
    return _Summary(card, rows) if rows is not None else _summary(card, len(card.fixes))


class _Summary:
    def __init__(self, card: Scorecard, rows: int) -> None:
        self.card, self.rows = card, rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        quoted = len(self.card.fixes)
        view = _summary(self.card, quoted)
        while quoted > 0 and len(console.render_lines(view, options, pad=False)) > self.rows:
            quoted -= 1
            view = _summary(self.card, quoted)
        yield view


def _summary(card: Scorecard, quoted: int) -> Group:
    """The one-screen debrief with a quote under the first `quoted` fixes."""
    from mockint.timeline import render_timeline

    head = Text()
    head.append(f"{card.overall}/100 ", style="bold")
    head.append(card.verdict, style=_VERDICT_STYLE.get(card.verdict, "bold"))
    head.append(" · Bar Raiser thinks: ", style="bold")
    head.append(card.bar_raiser, style="italic")
    section_t, total_t = timings(card)
    scaled = f": targets scaled to your {clock(card.delivery.budget_max_s)} budget" if card.target_scale < 1.0 else ""
    title = f"Timeline, {_LEVEL_NAME[card.level]}{f', {card.lp}' if card.lp else ''}{scaled} (┃ = target)"
    return Group(
        head, Text(title, style="bold underline"),
        render_timeline(section_t, total_t, is_compact=True),
        Text(fixes_heading(len(card.fixes)), style="bold underline"), _short_fixes(card, quoted), _delivery_line(card),
    )  # fmt: skip


def next_steps(session: str, *, is_full: bool, has_page: bool) -> str:
    """What to do after a practice debrief (markup): hear it and read all of it, open the page."""
    hints = ([] if is_full else [f"[bold]mockint replay {session} --full[/] (all of it)"]) + (
        [f"[bold]mockint report {session} --open[/] (page)"] if has_page else [])
    return f"Next: {', '.join(hints)}" if hints else ""  # one line at 80 columns: the debrief's first line stays on a 24-row screen


def _short_fixes(card: Scorecard, quoted: int) -> RenderableType:
    """Each fix, then (for the first `quoted`) the first sentence its finding quotes, cut to one line, and
    when it was said."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right", style="bold")
    grid.add_column()
    for i, fx in enumerate(card.fixes, start=1):
        finding = card.finding(fx.check)
        evidence = _shown_evidence(finding)[:1] if finding is not None and i <= quoted else ()
        grid.add_row(f"{i}.", Group(Text(fx.text), *(_OneLineQuote(e) for e in evidence)))
    return grid if card.fixes else Text("Nothing to fix first.")


class _OneLineQuote:
    """“The quoted words” with their time, on one line: cut after a whole word (the quote stays a run of
    what was said) with an ellipsis outside the quotation marks."""

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        e = self.evidence
        words = e.text.split()
        room = options.max_width - len(clock(e.start_s)) - 4  # the time, a space, the quotation marks
        cut = len(words)
        while cut > 1 and len(" ".join(words[:cut])) + (1 if cut < len(words) else 0) > room:
            cut -= 1
        line = Text(f"{clock(e.start_s)} ", style="dim", no_wrap=True, overflow="crop")
        line.append(f"\u201c{' '.join(words[:cut])}\u201d", style="italic")
        if cut < len(words):
            line.append("\u2026", style="dim")
        yield line


def _delivery_line(card: Scorecard) -> Text:
    d = card.delivery
    if d.fillers_per_100_words is None:
        fillers = "fillers not measured"
    elif d.fillers_reliable:
        fillers = f"{d.fillers_per_100_words:.1f} fillers/100 words"
    elif d.filler_count:
        fillers = f"at least {d.filler_count} filler{'s' if d.filler_count != 1 else ''}"
    else:
        fillers = "no fillers transcribed (Whisper drops some)"
    pace = "pace not measured" if d.wpm is None else f"{d.wpm:.0f} wpm"
    line = Text()
    line.append("Delivery: ", style="bold")
    line.append(f"{pace} · {fillers} · {d.long_pauses} long pause{'s' if d.long_pauses != 1 else ''} · "
                f"{d.hedges} hedge{'s' if d.hedges != 1 else ''}")
    return line


def _verdict_panel(card: Scorecard) -> Panel:
    verdict = Text()
    verdict.append(f"{card.overall}/100  ", style="bold")
    verdict.append(card.verdict, style=_VERDICT_STYLE.get(card.verdict, "bold"))
    verdict.append("\n\nBar Raiser thinks: ", style="bold")
    verdict.append(card.bar_raiser, style="italic")
    return Panel(verdict, title="Verdict", title_align="left")


def _scores_panel(card: Scorecard) -> Panel:
    scores = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    for col in ("Section", "Score", "Time", "Target", "Pace"):
        scores.add_column(col, justify="left" if col == "Section" else "right")
    for s in card.sections:
        scores.add_row(
            s.section.value.capitalize(), str(s.score),
            "—" if s.duration_s is None else f"{s.duration_s:.0f} s", f"{s.target_s:.0f} s",
            "—" if s.wpm is None else f"{s.wpm:.0f} wpm",
        )  # fmt: skip
    scores.add_row("Delivery", str(card.delivery_score), f"{card.delivery.total_s:.0f} s",
                   f"{card.delivery.budget_min_s:.0f}-{card.delivery.budget_max_s:.0f} s",
                   "—" if card.delivery.wpm is None else f"{card.delivery.wpm:.0f} wpm")
    return Panel(scores, title="Scores", title_align="left")


def _findings_panel(card: Scorecard) -> Panel:
    findings: list[RenderableType] = []
    quoted: set[Evidence] = set()
    for group in (*SECTION_ORDER, None):
        mine = [f for f in card.findings if f.section is group and not f.check.startswith("timing.")]
        if not mine:
            continue
        findings.append(Text(_heading(group), style="bold underline"))
        findings.extend(_finding_row(f, quoted) for f in mine)
    return Panel(Group(*findings), title="Findings (with the sentence and its time)", title_align="left")


def _fixes_panel(card: Scorecard) -> Panel:
    fixes = Table.grid(padding=(0, 1))
    fixes.add_column(no_wrap=True, justify="right", style="bold")
    fixes.add_column()
    coached: set[Section] = set()
    for i, fx in enumerate(card.fixes, start=1):
        body = Text(fx.text)
        f = card.finding(fx.check)
        if f is not None and f.section is not None and _has_coaching(f, fx.text) and f.section not in coached:
            coached.add(f.section)
            body.append(f"\nCoaching ({_heading(f.section)}): {f.coaching}", style="dim")
        fixes.add_row(f"{i}.", body)
    return Panel(fixes if card.fixes else Text("Nothing to fix first."), title=fixes_heading(len(card.fixes)), title_align="left")


def _probes_panel(judged: Sequence[ProbeJudgement]) -> Panel:
    probe_parts: list[RenderableType] = []
    for j in judged:
        t = Text()
        t.append(j.question, style="bold")
        t.append(f"\nProbes: {j.intent}", style="dim")
        t.append(f"\n{j.message}")
        tagline = Text(f"Strong answers say: \u2018{j.tagline}\u2019", style="green")
        probe_parts.append(_marked(j.verdict, Group(t, _evidence_table(j.evidence), tagline)))
    return Panel(Group(*probe_parts), title="Follow-up probes", title_align="left")


def _coaching(card: Scorecard, question: Question) -> list[tuple[Section, str, str]]:
    """The bank's coaching and common mistake for each section with a failed or warned content check."""
    out = []
    for section in SECTION_ORDER:
        bad = [f for f in card.findings if f.section is section and not f.check.startswith("timing.")
               and f.verdict in (Verdict.FAIL, Verdict.WARN)]
        if bad:
            g = question.section(section)
            out.append((section, g.coaching, g.common_mistake))
    return out


def _level_text(card: Scorecard, question: Question) -> Text:
    g = question.level(card.level)
    t = Text()
    t.append("Example reflection: ", style="bold")
    t.append(g.reflection)
    t.append("\nBar: ", style="bold")
    t.append(g.bar)
    t.append("\nTime: ", style="bold")
    t.append(g.budget_text or f"{g.budget_min_s:.0f}-{g.budget_max_s:.0f} s")
    return t


def _lp_text(card: Scorecard, question: Question) -> Text:
    t = Text()
    angle = question.lp_angle(card.lp) if card.lp else None
    if angle is None:
        names = ", ".join(a.name for a in question.lp_angles)
        t.append(f"No angle chosen. This story can be told for: {names} (use --lp NAME).")
        return t
    t.append(f"{angle.name}: ", style="bold")
    t.append(angle.guidance)
    t.append("\nEmphasise: ", style="bold green")
    t.append(angle.emphasise)
    t.append("\nDownplay: ", style="bold yellow")
    t.append(angle.downplay)
    return t


# --- JSON -----------------------------------------------------------------------------------------


def to_dict(
    scorecard: Scorecard | Session, question: Question, *, probe_judgements: Sequence[ProbeJudgement] = ()
) -> dict[str, Any]:
    card, judged = _unpack(scorecard, probe_judgements)
    g = question.level(card.level)
    angle = question.lp_angle(card.lp) if card.lp else None
    return {
        "question": {"id": question.id, "title": question.title},
        "scorecard": card.to_dict(),
        "probe_judgements": [j.to_dict() for j in judged],
        "coaching": [
            {"section": s.value, "coaching": c, "common_mistake": m} for s, c, m in _coaching(card, question)
        ],
        "level": {"level": card.level.value, "reflection": g.reflection, "bar": g.bar, "budget": g.budget_text},
        "lp_angle": None if angle is None else {
            "name": angle.name, "guidance": angle.guidance, "emphasise": angle.emphasise, "downplay": angle.downplay,
        },
    }


# --- Markdown ---------------------------------------------------------------------------------------

_BAR_CELLS = 24


def _md_bar(duration_s: float | None, target_s: float, scale_s: float) -> str:
    if duration_s is None:
        return "·" * _BAR_CELLS
    filled = min(_BAR_CELLS, round(duration_s / scale_s * _BAR_CELLS))
    mark = min(_BAR_CELLS - 1, round(target_s / scale_s * _BAR_CELLS))
    cells = ["█" if i < filled else "░" for i in range(_BAR_CELLS)]
    cells[mark] = "|"
    return "".join(cells)


def _md_quote(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(
    scorecard: Scorecard | Session, question: Question, *, probe_judgements: Sequence[ProbeJudgement] = ()
) -> str:
    card, judged = _unpack(scorecard, probe_judgements)
    lines: list[str] = [f"# Debrief: {question.title}", ""]
    lp = f" · LP: {card.lp}" if card.lp else ""
    lines += [f"`{question.id}` · level {_LEVEL_NAME[card.level]}{lp} · rubric {card.rubric_version}", ""]
    lines += [f"**{card.overall}/100 — {card.verdict}**", "", f"> **Bar Raiser thinks:** {card.bar_raiser}", ""]
    lines += _md_timeline(card) + _md_scores(card) + _md_findings(card) + _md_fixes(card)
    coaching = _coaching(card, question)
    if coaching:
        lines += ["## Coaching from the page", ""]
        for section, coach, mistake in coaching:
            lines.append(f"- **{_heading(section)}:** {coach} *Common mistake:* {mistake}")
        lines.append("")
    g = question.level(card.level)
    lines += [f"## At {_LEVEL_NAME[card.level]}", "", f"- **Example reflection:** {g.reflection}", f"- **Bar:** {g.bar}",
              f"- **Time:** {g.budget_text or f'{g.budget_min_s:.0f}-{g.budget_max_s:.0f} s'}", ""]
    lines += ["## LP angle", ""]
    angle = question.lp_angle(card.lp) if card.lp else None
    if angle is None:
        lines.append(f"No angle chosen. This story can be told for: {', '.join(a.name for a in question.lp_angles)} (use `--lp NAME`).")
    else:
        lines += [f"**{angle.name}:** {angle.guidance}", "", f"- **Emphasise:** {angle.emphasise}", f"- **Downplay:** {angle.downplay}"]
    lines.append("")
    if judged:
        lines += ["## Follow-up probes", ""]
        for j in judged:
            lines += [f"### {_MARK[j.verdict]} {j.question}", "", f"*Probes: {j.intent}*", "", f"{j.message}", ""]
            lines += [f"- `{clock(e.start_s)}` {_md_quote(_quote(e, None))}" for e in j.evidence]
            lines += ["", f"Strong answers say: ‘{j.tagline}’", ""]
    return "\n".join(lines).rstrip() + "\n"


def _md_timeline(card: Scorecard) -> list[str]:
    lines = [f"## {timeline_title(card)}", "", "```"]
    scale = max([s.target_s * 1.5 for s in card.sections] + [s.duration_s or 0.0 for s in card.sections])
    for s in card.sections:
        took = "missing" if s.duration_s is None else f"{s.duration_s:4.0f} s"
        lines.append(f"{s.section.value.capitalize():<11}{_md_bar(s.duration_s, s.target_s, scale)} "
                     f"{took:>7} / {s.target_s:.0f} s  {s.timing}")
    d = card.delivery
    return lines + [f"{'Total':<11}{d.total_s:.0f} s against {d.budget_min_s:.0f}-{d.budget_max_s:.0f} s: {d.total_timing}",
                    "```", "(█ spoken, | target)", ""]


def _md_scores(card: Scorecard) -> list[str]:
    lines = ["## Scores", "", "| Section | Score | Time | Target | Pace |", "|---|---:|---:|---:|---:|"]
    for s in card.sections:
        lines.append(f"| {s.section.value.capitalize()} | {s.score} | "
                     f"{'—' if s.duration_s is None else f'{s.duration_s:.0f} s'} | {s.target_s:.0f} s | "
                     f"{'—' if s.wpm is None else f'{s.wpm:.0f} wpm'} |")
    d = card.delivery
    lines.append(f"| Delivery | {card.delivery_score} | {d.total_s:.0f} s | {d.budget_min_s:.0f}-{d.budget_max_s:.0f} s | "
                 f"{'—' if d.wpm is None else f'{d.wpm:.0f} wpm'} |")
    return lines + [""]


def _md_findings(card: Scorecard) -> list[str]:
    lines = ["## Findings", ""]
    quoted: set[Evidence] = set()
    for group in (*SECTION_ORDER, None):
        mine = [f for f in card.findings if f.section is group and not f.check.startswith("timing.")]
        if not mine:
            continue
        lines += [f"### {_heading(group)}", ""]
        for f in mine:
            lines.append(f"- {_MARK[f.verdict]} **{_label(f.check)}** ({f.verdict.value}): {f.message}")
            lines += [f"  - `{clock(e.start_s)}` {_md_quote(_quote(e, quoted))}" for e in _shown_evidence(f)]
        lines.append("")
    return lines


def _md_fixes(card: Scorecard) -> list[str]:
    lines = [f"## {fixes_heading(len(card.fixes))}", ""]
    for i, fx in enumerate(card.fixes, start=1):
        fixed = card.finding(fx.check)
        coach = (f" *Coaching ({_heading(fixed.section)}): {fixed.coaching}*"
                 if fixed is not None and fixed.section is not None and _has_coaching(fixed, fx.text) else "")
        lines.append(f"{i}. {fx.text}{coach}")
    if not card.fixes:
        lines.append("Nothing to fix first.")
    return lines + [""]
