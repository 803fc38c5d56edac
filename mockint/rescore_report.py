"""A batch re-score's results for people and scripts: the JSON and CSV reports and the terminal summary.

Pure presentation of `rescore.Summary`; writing a report file is the only I/O, and `-` means stdout.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mockint.bank import Question
from mockint.errors import MockintError
from mockint.rescore import ItemResult, ItemStatus, RescoreOptions, Summary, run
from mockint.rescore_items import Item

SHOWN_ROWS = 30  # rows in the terminal summary; the reports hold every item


class BatchInterrupted(Exception):
    """Ctrl-C during a batch: `done` of `total` items had finished (each one saved)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"interrupted after {done} of {total} items")
        self.done = done
        self.total = total


def run_with_progress(
    items: Sequence[Item], questions: Mapping[str, Question], options: RescoreOptions, console: Any, **kwargs: Any
) -> Summary:
    """`rescore.run` with a progress bar on `console` (a terminal only). Raises BatchInterrupted on Ctrl-C."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("rescoring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    done = [0]
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("rescore", total=len(items))

        def advance(_result: ItemResult) -> None:
            done[0] += 1
            bar.advance(task)

        try:
            return run(items, questions, options, on_result=advance, **kwargs)
        except KeyboardInterrupt:
            raise BatchInterrupted(done[0], len(items)) from None


def write_reports(summary: Summary, json_out: Path | None, csv_out: Path | None) -> None:
    """Write the JSON and/or CSV report ('-' writes to stdout). Raises MockintError when a file cannot be written."""
    results = [r.to_dict() for r in summary.results]
    reports: list[tuple[Path, str]] = []
    if json_out is not None:
        counts = {s.value: summary.count(s) for s in ItemStatus}
        reports.append((json_out, json.dumps({"results": results, "counts": counts}, indent=1) + "\n"))
    if csv_out is not None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(ItemResult.__slots__), lineterminator="\n")
        writer.writeheader()
        writer.writerows(results)
        reports.append((csv_out, buffer.getvalue()))
    for target, text in reports:
        if str(target) == "-":
            sys.stdout.write(text)
            continue
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as e:
            raise MockintError(
                f"Could not write the report '{target}': {e.strerror or e}. The scores are saved in the session "
                "folders; pass a writable file to --json/--csv and run the command again."
            ) from None


def summary_view(summary: Summary) -> Any:
    """The changed sessions as a table, each skipped item with its reason, and the counts."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = []
    changed = [r for r in summary.results if r.status in (ItemStatus.RESCORED, ItemStatus.IMPORTED)]
    if changed:
        imported = any(r.status is ItemStatus.IMPORTED for r in changed)
        table = Table(box=None, pad_edge=False, header_style="bold")
        for name in ("session", *(("from",) if imported else ()), "question", "before", "now", "verdict"):
            table.add_column(name, justify="right" if name in ("before", "now") else "left")
        for r in changed[:SHOWN_ROWS]:
            source = (r.path.name if r.status is ItemStatus.IMPORTED else "",) if imported else ()
            before = "-" if r.previous is None else str(r.previous)
            table.add_row(r.session_id or "-", *source, r.question_id or "-", before, str(r.overall), r.verdict or "")
        parts.append(table)
        if len(changed) > SHOWN_ROWS:
            parts.append(Text(f"... and {len(changed) - SHOWN_ROWS} more (see --json or --csv)."))
    for r in summary.skipped:
        parts.append(Text.from_markup("[yellow]skipped[/] ") + Text(f"{r.path}: {r.reason}"))
    counts = ", ".join(f"{summary.count(s)} {s.value}" for s in ItemStatus)
    parts.append(Text.from_markup(f"[bold]{len(summary.results)} items:[/] ") + Text(f"{counts}."))
    return Group(*parts)
