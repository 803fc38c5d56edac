"""The report's charts as inline SVG strings, drawn here (no chart library): the STAR strip of an answer, the
section times against their targets, pace over time with the pauses, and values across attempts.

Pure view code: values in, markup out. Colours come from the page's CSS classes (report_assets.py), so the
charts print like the page. Elements the page's script acts on carry `data-seek`/`data-audio`/`data-axis`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from mockint.report_data import PaceWindow, Pause
from mockint.star import Section, Span
from mockint.text import clock
from mockint.timing import SectionTiming, TimingStatus, TotalTiming

WIDTH = 1000  # every chart is drawn on a 1000-unit-wide canvas and scaled to the page (viewBox)
_LEFT = 64  # room for the y-axis labels
_RIGHT = 12


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _svg(height: float, body: Sequence[str], *, label: str, cls: str, width: float = WIDTH) -> str:
    return (f'<svg class="chart {cls}" viewBox="0 0 {_f(width)} {_f(height)}" role="img" aria-label="{escape(label)}"'
            ' preserveAspectRatio="xMinYMin meet">' + "".join(body) + "</svg>")  # fmt: skip


def _title(text: str) -> str:
    return f"<title>{escape(text)}</title>"


@dataclass(frozen=True, slots=True)
class _Axis:
    """Seconds (or attempts) to x: 0..`axis` drawn from x=`left` to x=`right`."""

    axis: float
    left: float = _LEFT
    right: float = WIDTH - _RIGHT

    def x(self, value: float) -> float:
        return self.left + max(0.0, min(value, self.axis)) / self.axis * (self.right - self.left)


def _time_ticks(axis: _Axis, y: float, height: float) -> list[str]:
    """A grid line and an m:ss label every 15, 30 or 60 s."""
    step = next(s for s in (15, 30, 60, 120, 300) if axis.axis / s <= 10)
    out = []
    t = 0.0
    while t <= axis.axis + 1e-6:
        x = _f(axis.x(t))
        out.append(f'<line class="grid" x1="{x}" x2="{x}" y1="{_f(y - height)}" y2="{_f(y)}"/>'
                   f'<text class="tick" x="{x}" y="{_f(y + 14)}" text-anchor="middle">{clock(t)}</text>')  # fmt: skip
        t += step
    return out


def _playhead(audio_id: str | None, axis: _Axis, top: float, bottom: float) -> str:
    if audio_id is None:
        return ""
    return (f'<line class="playhead" data-audio="{escape(audio_id)}" data-axis="{_f(axis.axis)}" data-left="{_f(axis.left)}"'
            f' data-width="{_f(axis.right - axis.left)}" x1="{_f(axis.left)}" x2="{_f(axis.left)}" y1="{_f(top)}" y2="{_f(bottom)}"/>')  # fmt: skip


def _seek(audio_id: str | None, at_s: float) -> str:
    if audio_id is None:
        return ""
    return f' data-seek="{at_s:.3f}" data-audio="{escape(audio_id)}" tabindex="0" role="button"'


def star_strip(spans: Sequence[Span], total: TotalTiming | None, duration_s: float, audio_id: str | None) -> str:
    """The answer as a bar over its recording: one coloured, clickable segment per span, the level's budget
    drawn as a band where the answer should end, a time axis and the playhead."""
    first = spans[0].start_s if spans else 0.0
    budget_end = first + total.budget_max_s if total is not None else 0.0
    axis = _Axis(max(duration_s, budget_end, 1.0) * 1.02)
    top, bar_h = 22.0, 34.0
    body = ['<text class="label" x="0" y="16">Answer</text>']
    if total is not None:
        a, b = axis.x(first + total.budget_min_s), axis.x(first + total.budget_max_s)
        body.append(f'<rect class="budget" x="{_f(a)}" y="{_f(top - 8)}" width="{_f(max(b - a, 2))}" height="{_f(bar_h + 16)}">'
                    f'{_title(f"The level budget: end between {clock(total.budget_min_s)} and {clock(total.budget_max_s)}")}</rect>'
                    f'<text class="tick" x="{_f(b)}" y="{_f(top - 10)}" text-anchor="end">budget {clock(total.budget_min_s)}'
                    f'-{clock(total.budget_max_s)}</text>')  # fmt: skip
    body.append(f'<rect class="track" x="{_LEFT}" y="{_f(top)}" width="{WIDTH - _LEFT - _RIGHT}" height="{_f(bar_h)}"/>')
    body += _time_ticks(axis, top + bar_h + 8, bar_h + 8)  # under the segments: the grid must not cut them
    for span in spans:
        a, b = axis.x(span.start_s), axis.x(span.end_s)
        name = span.section.value
        label = name.capitalize() if b - a > 9 * len(name) else name[0].upper()
        tip = f"{name.capitalize()} {clock(span.start_s)}-{clock(span.end_s)} ({span.duration_s:.0f} s): click to listen"
        body.append(f'<g class="seg s-{name}" data-section="{name}"{_seek(audio_id, span.start_s)}>{_title(tip)}'
                    f'<rect x="{_f(a)}" y="{_f(top)}" width="{_f(max(b - a, 1.5))}" height="{_f(bar_h)}"/>'
                    f'<text x="{_f((a + b) / 2)}" y="{_f(top + bar_h / 2 + 5)}" text-anchor="middle">{label}</text></g>')  # fmt: skip
    body.append(_playhead(audio_id, axis, top - 4, top + bar_h + 4))
    return _svg(top + bar_h + 28, body, label="The answer's STAR sections over time", cls="strip")


_STATUS_WORD = {TimingStatus.OK: "on target", TimingStatus.OVER: "over", TimingStatus.UNDER: "under",
                TimingStatus.MISSING: "not heard"}  # fmt: skip


def _said(status: TimingStatus) -> str:
    return _STATUS_WORD.get(status, status.value)  # a status added to timing.py later shows by its name


_BARS_LEFT, _BARS_RIGHT = 100.0, WIDTH - 220.0  # the bars sit between the row labels and the status text


def _bar_row(axis: _Axis, y: float, label: str, duration_s: float | None, status: TimingStatus, said: str) -> str:
    """A labelled track, the time as a bar coloured by status, and the status text at the right."""
    bar = ""
    if duration_s is not None:
        bar = (f'<rect class="bar st-{status.value}" x="{_f(axis.left)}" y="{_f(y + 7)}"'
               f' width="{_f(axis.x(duration_s) - axis.left)}" height="16"/>')  # fmt: skip
    return (f'<rect class="track" x="{_f(axis.left)}" y="{_f(y + 7)}" width="{_f(axis.right - axis.left)}" height="16"/>{bar}'
            f'<text class="rowlabel" x="16" y="{_f(y + 20)}">{escape(label)}</text>'
            f'<text class="status st-{status.value}" x="{WIDTH - _RIGHT}" y="{_f(y + 20)}" text-anchor="end">'
            f"{escape(said)} · {_said(status)}</text>")  # fmt: skip


def section_bars(timings: Sequence[SectionTiming], total: TotalTiming | None, starts: dict[Section, float], audio_id: str | None) -> str:
    """One row per section: its time as a bar coloured by status against a mark at its target; then the
    whole answer against the level's budget. A row of a section that was heard seeks to its start."""
    longest = max([t.target_s * 1.3 for t in timings] + [t.duration_s or 0.0 for t in timings] + [1.0])
    axis = _Axis(longest, _BARS_LEFT, _BARS_RIGHT)
    row_h, body = 30.0, []
    for i, t in enumerate(timings):
        y = i * row_h
        name = t.section.value
        start = starts.get(t.section)
        seek = _seek(audio_id, start) if start is not None else ""
        said = f"{clock(t.duration_s)} of {clock(t.target_s)}" if t.duration_s is not None else f"target {clock(t.target_s)}"
        target_x = _f(axis.x(t.target_s))
        body.append(f'<g class="row s-{name}" data-section="{name}"{seek}>'
                    f"{_title(f'{name.capitalize()}: {said} ({_said(t.status)})')}"
                    f'<rect class="chip" x="0" y="{_f(y + 9)}" width="10" height="12"/>'
                    f"{_bar_row(axis, y, name.capitalize(), t.duration_s, t.status, said)}"
                    f'<line class="target" x1="{target_x}" x2="{target_x}" y1="{_f(y + 3)}" y2="{_f(y + 27)}">'
                    f"{_title(f'target {clock(t.target_s)}')}</line></g>")  # fmt: skip
    height = len(timings) * row_h
    if total is not None:
        body.append(_total_row(total, height + 8))
        height += row_h + 8
    return _svg(height + 4, body, label="Each section's time against its target", cls="bars")


def _total_row(total: TotalTiming, y: float) -> str:
    axis = _Axis(max(total.budget_max_s * 1.3, total.duration_s, 1.0), _BARS_LEFT, _BARS_RIGHT)
    a, b = axis.x(total.budget_min_s), axis.x(total.budget_max_s)
    said = f"{clock(total.duration_s)} of {clock(total.budget_min_s)}-{clock(total.budget_max_s)}"
    heard = None if total.status is TimingStatus.MISSING else total.duration_s
    return (f'<g class="row total">{_title(f"Whole answer: {said} ({_said(total.status)})")}'
            f'<line class="grid" x1="0" x2="{WIDTH}" y1="{_f(y - 4)}" y2="{_f(y - 4)}"/>'
            f"{_bar_row(axis, y, 'Total', heard, total.status, said)}"
            f'<rect class="budget" x="{_f(a)}" y="{_f(y + 2)}" width="{_f(max(b - a, 2))}" height="26">'
            f"{_title(f'the level budget, {clock(total.budget_min_s)}-{clock(total.budget_max_s)}')}</rect></g>")  # fmt: skip


def pace_chart(
    windows: Sequence[PaceWindow], gaps: Sequence[Pause], duration_s: float, band_wpm: tuple[float, float],
    long_pause_s: float, audio_id: str | None,
) -> str:  # fmt: skip
    """Words per minute per window as bars against the comfortable band, and every pause on a lane below
    (long ones, over `long_pause_s`, stronger and labelled). Bars and pauses seek to their time."""
    axis = _Axis(max(duration_s, 1.0))
    top, plot_h = 10.0, 120.0
    y_max = max([w.wpm for w in windows] + [band_wpm[1] * 1.15, 60.0])

    def y(wpm: float) -> float:
        return top + plot_h - wpm / y_max * plot_h

    slow, fast = band_wpm
    lane = top + plot_h + 10
    body = _time_ticks(axis, lane + 22, plot_h + 22)
    body += [f'<rect class="band" x="{_f(axis.left)}" y="{_f(y(fast))}" width="{_f(axis.right - axis.left)}" height="{_f(y(slow) - y(fast))}">'
            f"{_title(f'Comfortable pace: {slow:.0f}-{fast:.0f} words per minute')}</rect>"]  # fmt: skip
    for wpm in (0.0, slow, fast):
        body.append(f'<text class="tick" x="{_f(axis.left - 6)}" y="{_f(y(wpm) + 4)}" text-anchor="end">{wpm:.0f}</text>')
    for w in windows:
        a, b = axis.x(w.start_s) + 1, axis.x(w.end_s) - 1
        kind = "slow" if w.wpm < slow else "fast" if w.wpm > fast else "ok"
        tip = f"{clock(w.start_s)}-{clock(w.end_s)}: {w.wpm:.0f} words per minute"
        body.append(f'<rect class="pace p-{kind}" x="{_f(a)}" y="{_f(y(w.wpm))}" width="{_f(max(b - a, 1))}"'
                    f' height="{_f(top + plot_h - y(w.wpm))}"{_seek(audio_id, w.start_s)}>{_title(tip)}</rect>')  # fmt: skip
    body.append(f'<text class="tick" x="0" y="{_f(top + 10)}">wpm</text>')
    body.append(f'<text class="label" x="0" y="{_f(lane + 12)}">Pauses</text>')
    for p in gaps:
        a, b = axis.x(p.start_s), axis.x(p.end_s)
        cls = "pause long" if p.duration_s >= long_pause_s else "pause"
        text = f'<text class="tick" x="{_f(b + 3)}" y="{_f(lane + 12)}">{p.duration_s:.1f} s</text>' if p.duration_s >= long_pause_s else ""
        body.append(f'<rect class="{cls}" x="{_f(a)}" y="{_f(lane + 2)}" width="{_f(max(b - a, 2))}" height="14"'
                    f'{_seek(audio_id, p.start_s)}>{_title(f"{p.duration_s:.1f} s pause at {clock(p.start_s)}")}</rect>{text}')  # fmt: skip
    body.append(_playhead(audio_id, axis, top, lane + 18))
    return _svg(lane + 40, body, label="Pace over time and pauses", cls="pace-chart")


SMALL_WIDTH = 360.0  # the attempts charts are drawn small, several to a row


def _shown_labels(n: int, most: int = 8) -> set[int]:
    """Which attempts get a date under them: all of a few, else every k-th and the last."""
    step = max(1, -(-n // most))
    return {i for i in range(n) if i % step == 0} | {n - 1}


def attempts_chart(
    values: Sequence[float | None], labels: Sequence[str], *, y_max: float, unit: str, current: int | None = None,
    target: float | None = None, statuses: Sequence[TimingStatus] | None = None, title: str = "", height: float = 130.0,
) -> str:  # fmt: skip
    """One value per attempt, oldest first, as a line with a dot per attempt (a cross where there is none);
    a dashed target line if given; dots coloured by timing status if given; the `current` attempt ringed."""
    n = len(values)
    axis = _Axis(max(n - 1, 1), 40.0, SMALL_WIDTH - 26)
    top, plot_h = 26.0, height - 48

    def x(i: int) -> float:
        return axis.x(i) if n > 1 else (axis.left + axis.right) / 2

    def y(v: float) -> float:
        return top + plot_h - min(v, y_max) / y_max * plot_h

    body = [f'<text class="label" x="0" y="14">{escape(title)}</text>',
            f'<line class="grid" x1="{_f(axis.left)}" x2="{_f(axis.right)}" y1="{_f(top + plot_h)}" y2="{_f(top + plot_h)}"/>',
            f'<text class="tick" x="{_f(axis.left - 5)}" y="{_f(top + plot_h + 4)}" text-anchor="end">0</text>',
            f'<text class="tick" x="{_f(axis.left - 5)}" y="{_f(top + 4)}" text-anchor="end">{y_max:.0f}</text>']  # fmt: skip
    if target is not None:
        body.append(f'<line class="target dashed" x1="{_f(axis.left)}" x2="{_f(axis.right)}" y1="{_f(y(target))}" y2="{_f(y(target))}">'
                    f"{_title(f'target {target:.0f} {unit}')}</line>")  # fmt: skip
    runs: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            runs.append([])
        else:
            runs[-1].append((x(i), y(v)))
    for run in runs:
        if len(run) > 1:
            body.append('<polyline class="line" points="' + " ".join(f"{_f(a)},{_f(b)}" for a, b in run) + '"/>')
    shown = _shown_labels(n)
    for i, v in enumerate(values):
        status = statuses[i].value if statuses is not None else "ok"
        ring = " current" if i == current else ""
        tip = f"{labels[i]}: " + (f"{v:.0f} {unit}" if v is not None else "none")
        if v is None:
            body.append(f'<text class="gap" x="{_f(x(i))}" y="{_f(top + plot_h - 3)}" text-anchor="middle">×{_title(tip)}</text>')
        else:
            value = f'<text class="value" x="{_f(x(i))}" y="{_f(y(v) - 8)}" text-anchor="middle">{v:.0f}</text>' if n <= 12 else ""
            body.append(f'<circle class="dot st-{status}{ring}" cx="{_f(x(i))}" cy="{_f(y(v))}" r="{5 if ring else 3.5}">'
                        f"{_title(tip)}</circle>{value}")  # fmt: skip
        if i in shown:
            body.append(f'<text class="tick" x="{_f(x(i))}" y="{_f(top + plot_h + 15)}" text-anchor="middle">{escape(labels[i])}</text>')
    return _svg(height, body, label=title or "Values across attempts", cls="attempts", width=SMALL_WIDTH)
