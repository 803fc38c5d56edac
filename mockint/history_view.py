"""Past sessions drawn for the terminal: the sessions table and per-question progress sparklines.

Rich renderables, returned and never printed; the values come from history.py. Session ids are never cut
short (they are what `replay` and `report` take): on a narrow terminal the columns the id already holds
(date, question) are left out instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mockint.hearing import Heard
from mockint.history import Progress, SessionRow, distance_from_target, sparkline, trend
from mockint.text import clock

_STATUS_STYLE = {"ok": "green", "over": "red", "under": "yellow", "missing": "bright_black"}
_COLUMNS = ("date", "id", "question", "level", "total", "score", "verdict")
_DROPPED_FIRST = ("question", "date", "level")  # on a narrow terminal; the id holds the date and question
_VERDICT_WIDTH = 16  # room the verdict needs before columns are dropped ("Leaning No Hire")


def sessions_table(session_rows: Sequence[SessionRow]) -> Any:
    """One row per session; fits the width it is drawn at by dropping columns, never by cutting an id."""
    return _SessionsTable(tuple(session_rows))


class _SessionsTable:
    def __init__(self, session_rows: tuple[SessionRow, ...]) -> None:
        self.rows = session_rows

    def __rich_console__(self, console: Any, options: Any) -> Any:
        columns = list(_COLUMNS)
        for name in _DROPPED_FIRST:
            if self._width(columns) <= options.max_width:
                break
            columns.remove(name)
        yield self._table(columns)

    def _cells(self, r: SessionRow) -> dict[str, str]:
        verdict = r.verdict or ("[bright_black]not scored[/]" if r.heard is Heard.SPEECH else "[yellow]no answer heard[/]")
        if not r.is_complete:
            verdict += " [yellow](interrupted)[/]"
        return {
            "date": r.created_at.strftime("%Y-%m-%d %H:%M"), "id": r.id, "question": r.question_id,
            "level": r.level.value, "total": clock(r.total_s), "score": "-" if r.overall is None else str(r.overall),
            "verdict": verdict,
        }  # fmt: skip

    def _width(self, columns: Sequence[str]) -> int:
        """Columns' widths (the verdict's minimum) plus the gaps between them."""
        cells = [self._cells(r) for r in self.rows]
        widths = [_VERDICT_WIDTH if c == "verdict" else max([len(c)] + [len(x[c]) for x in cells]) for c in columns]
        return sum(widths) + len(columns) - 1

    def _table(self, columns: Sequence[str]) -> Any:
        from rich.table import Table

        n = len(self.rows)
        table = Table(title=f"{n} session{'' if n == 1 else 's'}", title_justify="left", pad_edge=False, box=None,
                      header_style="bold")  # fmt: skip
        for name in columns:
            table.add_column(name, justify="right" if name in ("total", "score") else "left",
                             no_wrap=name != "verdict", min_width=_VERDICT_WIDTH if name == "verdict" else None)  # fmt: skip
        for r in self.rows:
            cells = self._cells(r)
            table.add_row(*(cells[c] for c in columns))
        return table


def _styled_spark(values: Sequence[float | None], statuses: Sequence[str], *, low: float, high: float) -> Any:
    from rich.text import Text

    text = Text()
    for ch, status in zip(sparkline(values, low=low, high=high), statuses, strict=True):
        text.append(ch, style=_STATUS_STYLE.get(status, ""))
    return text


def _arrow(direction: int, better: int) -> str:
    """↑ the value went up, ↓ down, → about the same (first attempt to last); green when that is better
    (`better` > 0), red when worse, grey when neither."""
    if direction == 0:
        return "[bright_black]→[/]"
    style = "green" if better > 0 else "red" if better < 0 else "bright_black"
    return f"[{style}]{'↑' if direction > 0 else '↓'}[/]"


PROGRESS_LEGEND = (
    "Bars: one per attempt, oldest first; a section's bar is its time on a scale of 0 to twice its target, "
    "[green]on target[/], [red]over[/], [yellow]under[/], [bright_black]· missing[/]. "
    "Arrows: ↑ more, ↓ less, → about the same, first attempt to last; "
    "[green]green[/] is better (a higher score, a time closer to its target), [red]red[/] is worse."
)


def sessions_footer(*, has_progress: bool) -> Any:
    """The legend (when progress is drawn) and what to do next."""
    from rich.console import Group
    from rich.text import Text

    hint = Text.from_markup("Next: [bold]mockint replay ID[/] (an id, the start of one, or [bold]last[/]) to listen "
                            "to a session and read its debrief; [bold]mockint report --index[/] for all of them as pages.")
    return Group(Text.from_markup(PROGRESS_LEGEND, style="bright_black"), hint) if has_progress else hint


def progress_view(p: Progress) -> Any:
    """Score and each section's time against its target across attempts, one sparkline per row.

    Section bars share one scale (0 to twice the target) so the target sits mid-height; each bar is
    coloured by that attempt's status: green on target, red over, yellow under, grey missing.
    """
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    n = len(p.attempts)
    first, last = p.attempts[0].created_at, p.attempts[-1].created_at
    title = Text.from_markup(f"[bold]{p.question_id}[/]: {n} attempt{'s' if n != 1 else ''}, {first:%Y-%m-%d} → {last:%Y-%m-%d}")
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bright_black")
    table.add_column("")
    table.add_column("attempts", no_wrap=True)
    table.add_column("first", justify="right")
    table.add_column("last", justify="right")
    table.add_column("target", justify="right")
    table.add_column("trend")
    scores = p.scores
    score_status = ["ok" if s is not None else "missing" for s in scores]
    present = [s for s in scores if s is not None]
    score_trend = trend(scores, tolerance=2)
    table.add_row(
        "score",
        _styled_spark(scores, score_status, low=0, high=100),
        str(present[0]) if present else "-",
        str(present[-1]) if present else "-",
        "",
        _arrow(score_trend, better=score_trend),
    )
    for section in (t.section for t in p.attempts[-1].timings):
        durations = p.durations(section)
        target = p.target_s(section)
        statuses = [next(t.status.value for t in a.timings if t.section is section) for a in p.attempts]
        spoken = [d or 0.0 for d in durations]  # a section not heard had no time
        closer = -trend(distance_from_target(spoken, target), tolerance=3)
        table.add_row(
            section.value,
            _styled_spark(durations, statuses, low=0, high=2 * target),
            clock(durations[0]),
            clock(durations[-1]),
            clock(target),
            _arrow(trend(spoken, tolerance=3), better=closer),
        )
    return Group(title, table)
