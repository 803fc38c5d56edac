"""The section timeline drawn as bars: each STAR section against its target, the total against the budget.

Returns rich renderables and never prints; `cli.py` (or the debrief) decides where they go.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from mockint.star import Span
from mockint.text import clock
from mockint.timing import SectionTiming, TimingStatus, TotalTiming

BAR_WIDTH = 40  # characters for the longest of all durations and targets

_STYLE = {
    TimingStatus.OK: "green",
    TimingStatus.OVER: "red",
    TimingStatus.UNDER: "yellow",
    TimingStatus.MISSING: "red dim",
}
_LABEL = {
    TimingStatus.OK: "ok",
    TimingStatus.OVER: "over",
    TimingStatus.UNDER: "under",
    TimingStatus.MISSING: "missing",
}


def _bar(duration_s: float, target_lo_s: float, target_hi_s: float, scale: float, status: TimingStatus) -> Text:
    """Filled cells for the duration; '┃' marks the target (or each end of a target range)."""
    filled = int(round(duration_s * scale))
    lo = min(BAR_WIDTH - 1, int(round(target_lo_s * scale)))
    hi = min(BAR_WIDTH - 1, int(round(target_hi_s * scale)))
    text = Text()
    for i in range(BAR_WIDTH):
        if i in (lo, hi):
            text.append("┃", style="bold")
        elif i < filled:
            beyond = status is TimingStatus.OVER and i > hi
            text.append("█", style="red" if beyond else "green" if status is TimingStatus.OVER else _STYLE[status])
        else:
            text.append("·", style="dim")
    return text


def render_timeline(timings: Sequence[SectionTiming], total: TotalTiming | None, *, is_compact: bool = False) -> RenderableType:
    """Each section as a bar against its target (over/under/missing marked), then the total against the
    budget (left out when there is no budget to judge it by). Compact: one row each, no header."""
    longest = max(
        [t.target_s for t in timings] + [t.duration_s or 0.0 for t in timings] + [1.0]
    )
    scale = (BAR_WIDTH - 1) / (longest * 1.05)
    table = Table(box=None, pad_edge=False, show_header=not is_compact, header_style="bold")
    table.add_column("section")
    table.add_column("time", justify="right")
    table.add_column("target", justify="right")
    table.add_column("bar (┃ = target)", no_wrap=True)
    table.add_column("")
    for t in timings:
        if t.duration_s is None:
            bar = Text("— missing —".center(BAR_WIDTH), style=_STYLE[t.status])
            shown = "—"
        else:
            bar = _bar(t.duration_s, t.target_s, t.target_s, scale, t.status)
            shown = f"{t.duration_s:.0f} s"
        table.add_row(t.section.value.capitalize(), shown, f"{t.target_s:.0f} s", bar,
                      Text(_LABEL[t.status], style=_STYLE[t.status]))

    if total is None:
        return table
    row = _total_row(total)
    if is_compact:
        table.add_row(*row)
        return table
    totals = Table(box=None, pad_edge=False, show_header=False)
    totals.add_column()
    totals.add_column(justify="right")
    totals.add_column(justify="right")
    totals.add_column(no_wrap=True)
    totals.add_column()
    totals.add_row(*row)
    return Group(table, Text(""), totals)


def _total_row(total: TotalTiming) -> tuple[Text, str, str, Text, Text]:
    total_scale = (BAR_WIDTH - 1) / (max(total.duration_s, total.budget_max_s, 1.0) * 1.05)
    budget = f"{total.budget_min_s:.0f}–{total.budget_max_s:.0f} s"
    if total.status is TimingStatus.MISSING:
        total_bar = Text("— no answer —".center(BAR_WIDTH), style=_STYLE[total.status])
    else:
        total_bar = _bar(total.duration_s, total.budget_min_s, total.budget_max_s, total_scale, total.status)
    return (Text("Total", style="bold"), f"{total.duration_s:.0f} s", budget, total_bar,
            Text(_LABEL[total.status], style=_STYLE[total.status]))


def render_sections(spans: Sequence[Span]) -> RenderableType:
    """Each detected section's words under a heading with its time in the recording."""
    parts: list[RenderableType] = []
    for span in spans:
        heading = Text(f"{span.section.value.capitalize()}", style="bold")
        heading.append(f"  {clock(span.start_s)}–{clock(span.end_s)}", style="dim")
        parts += [heading, Text(span.text), Text("")]
    if not parts:
        parts.append(Text("(no speech recognised)", style="dim"))
    return Group(*parts)
