"""The page that lists every session (newest first, each linked to its report) with the progress charts of
each question tried more than once. Pure: rows and progress in, the page as a string out (report.py writes it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from mockint.history import Progress, SessionRow
from mockint.report_page import document, progress_charts, verdict_class
from mockint.text import clock


@dataclass(frozen=True, slots=True)
class IndexEntry:
    row: SessionRow
    href: str | None  # the session's report, relative to the index page


def _row(e: IndexEntry, titles: Mapping[str, str]) -> str:
    r = e.row
    title = titles.get(r.question_id, r.question_id)
    name = f'<a href="{escape(e.href)}">{escape(title)}</a>' if e.href else escape(title)
    score = "-" if r.overall is None else str(r.overall)
    verdict = escape(r.verdict) if r.verdict else "not scored"
    flag = "" if r.is_complete else ' <span class="badge warn">interrupted</span>'
    return (f'<tr><td>{r.created_at:%Y-%m-%d %H:%M}</td><td>{name}{flag}<br><span class="muted">{escape(r.id)}</span></td>'
            f'<td>{escape(r.level.value)}</td><td class="num">{clock(r.total_s)}</td><td class="num">{score}</td>'
            f'<td class="{verdict_class(r.verdict)}">{verdict}</td></tr>')  # fmt: skip


def index_page(
    entries: Sequence[IndexEntry], progress: Sequence[Progress], titles: Mapping[str, str],
    unreadable: Sequence[tuple[str, str]] = (),
) -> str:  # fmt: skip
    """Every session newest first; then, per question tried more than once, its progress charts; then the
    folders that could not be read, with the reason."""
    newest = sorted(entries, key=lambda e: (e.row.created_at, e.row.id), reverse=True)
    table = ('<table class="plain"><tr><th>Date</th><th>Question</th><th>Level</th><th>Length</th><th>Score</th>'
             "<th>Verdict</th></tr>" + "".join(_row(e, titles) for e in newest) + "</table>")  # fmt: skip
    charts = "".join(
        f'<section class="card"><h2>{escape(titles.get(p.question_id, p.question_id))} '
        f'<span class="muted">({len(p.attempts)} attempts)</span></h2>{progress_charts(p)}</section>'
        for p in progress if len(p.attempts) > 1
    )
    bad = ""
    if unreadable:
        bad = ('<section class="card missing"><h2>Folders that could not be read</h2><ul>'
               + "".join(f"<li>{escape(name)}: {escape(reason)}</li>" for name, reason in unreadable) + "</ul></section>")  # fmt: skip
    n = len(entries)
    body = (f"<header><h1>Practice sessions</h1><p class=\"meta\">{n} session{'s' if n != 1 else ''}, newest first. "
            "Open one to listen to it with its transcript and timeline.</p></header>"
            f'<section class="card">{table}</section>{charts}{bad}'
            "<footer>Made by mockint from your recordings folder: nothing here was sent anywhere.</footer>")  # fmt: skip
    return document("Practice sessions · mockint", body)
