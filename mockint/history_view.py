"""Past sessions drawn for the terminal: the sessions table and per-question progress sparklines.

Rich renderables, returned and never printed; the values come from history.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mockint.hearing import Heard
from mockint.history import Progress, SessionRow, distance_from_target, sparkline, trend
from mockint.text import clock

_STATUS_STYLE = {"ok": "green", "over": "red", "under": "yellow", "missing": "bright_black"}


def sessions_table(session_rows: Sequence[SessionRow]) -> Any:
    from rich.table import Table

    n = len(session_rows)
    table = Table(title=f"{n} session{'' if n == 1 else 's'}", title_justify="left", pad_edge=False, box=None, header_style="bold")
    for name in ("date", "id", "question", "level", "total", "score", "verdict"):
        table.add_column(name, justify="right" if name in ("total", "score") else "left", no_wrap=name in ("date", "level", "total", "score"))
    for r in session_rows:
        verdict = r.verdict or ("[bright_black]not scored[/]" if r.heard is Heard.SPEECH else "[yellow]no answer heard[/]")
        if not r.is_complete:
            verdict += " [yellow](interrupted)[/]"
        table.add_row(
            r.created_at.strftime("%Y-%m-%d %H:%M"),
            r.id,
            r.question_id,
            r.level.value,
            clock(r.total_s),
            "-" if r.overall is None else str(r.overall),
            verdict,
        )
    return table


def _styled_spark(values: Sequence[float | None], statuses: Sequence[str], *, low: float, high: float) -> Any:
    from rich.text import Text

    text = Text()
    for ch, status in zip(sparkline(values, low=low, high=high), statuses, strict=True):
        text.append(ch, style=_STATUS_STYLE.get(status, ""))
    return text


def _arrow(direction: int, good: int) -> str:
    if direction == 0:
        return "[bright_black]→[/]"
    return f"[{'green' if direction == good else 'red'}]{'↑' if direction > 0 else '↓'}[/]"


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
    table.add_column("trend", no_wrap=True)
    table.add_column("first", justify="right")
    table.add_column("last", justify="right")
    table.add_column("target", justify="right")
    table.add_column("")
    scores = p.scores
    score_status = ["ok" if s is not None else "missing" for s in scores]
    present = [s for s in scores if s is not None]
    table.add_row(
        "score",
        _styled_spark(scores, score_status, low=0, high=100),
        str(present[0]) if present else "-",
        str(present[-1]) if present else "-",
        "",
        _arrow(trend(scores, tolerance=2), good=1),
    )
    for section in (t.section for t in p.attempts[-1].timings):
        durations = p.durations(section)
        target = p.target_s(section)
        statuses = [next(t.status.value for t in a.timings if t.section is section) for a in p.attempts]
        distance = distance_from_target(durations, target)
        table.add_row(
            section.value,
            _styled_spark(durations, statuses, low=0, high=2 * target),
            clock(durations[0]),
            clock(durations[-1]),
            clock(target),
            _arrow(trend(distance, tolerance=3), good=-1),
        )
    return Group(title, table)
