"""What the candidate sees while speaking: start/stop cues, elapsed time and a level meter.

A `recorder.RecordingView` drawn on a rich Console that cli.py hands in; on a non-terminal (pipes, tests)
only the start and stop lines are written, never the meter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockint.endpointer import EndReason
from mockint.recorder import Meter
from mockint.star import Section, segment
from mockint.text import clock
from mockint.transcript import Transcript

METER_CELLS = 20

_WHY = {
    EndReason.SILENCE: "you went quiet",
    EndReason.NO_SPEECH: "nothing was said",
    EndReason.MAX_LENGTH: "time limit reached",
    EndReason.ENTER: "Enter pressed",
    EndReason.INTERRUPTED: "interrupted",
    EndReason.END_OF_FILE: "end of the recording",
}


def meter_bar(level: float, cells: int = METER_CELLS) -> str:
    filled = round(max(0.0, min(1.0, level)) * cells)
    return "█" * filled + "·" * (cells - filled)


class TerminalView:
    """Draws the live view on `console` (a rich Console; stderr so that --json output stays clean)."""

    def __init__(
        self, console: Any, *, silence_s: float, thinking_s: float, targets_s: Mapping[Section, float] | None = None
    ) -> None:
        self._console = console
        self._silence_s = silence_s
        self._thinking_s = thinking_s
        self._targets_s = targets_s or {}
        self._live = bool(console.is_terminal)
        self._max_s = 0.0
        self._section: tuple[Section, float] | None = None  # the section being spoken and when it began

    def heard(self, transcript: Transcript) -> None:
        """The answer so far (from the transcription thread): note which STAR section the speaker is in."""
        spans = segment(transcript)
        self._section = (spans[-1].section, spans[-1].start_s) if spans else None

    def section_text(self, elapsed_s: float) -> str:
        """e.g. "Action 0:42 / 1:30", red once over the section's target; "" before any section is known."""
        if self._section is None:
            return ""
        section, start_s = self._section
        spent_s = max(0.0, elapsed_s - start_s)
        target_s = self._targets_s.get(section)
        if target_s is None:
            return f"{section.value.title()} {clock(spent_s)}"
        style = "red" if spent_s > target_s else "green"
        return f"[{style}]{section.value.title()} {clock(spent_s)} / {clock(target_s)}[/]"

    def started(self, max_s: float) -> None:
        self._max_s = max_s
        self._section = None
        self._console.print(
            f"[bold red]● Recording[/] — answer when ready. Press [bold]Enter[/] when done "
            f"(or pause {self._silence_s:g} s; limit {clock(max_s)}).",
            highlight=False,
        )

    def update(self, meter: Meter) -> None:
        if not self._live:
            return
        if meter.has_speech:
            state = "[green]speaking[/]" if meter.is_speech else "[dim]pause[/]   "
        else:
            state = f"[dim]thinking… {clock(max(0.0, self._thinking_s - meter.elapsed_s))} left[/]"
        line = (
            f"\r  [red]●[/] {clock(meter.elapsed_s)} / {clock(self._max_s)}  "
            f"[cyan]{meter_bar(meter.level)}[/]  {state}  {self.section_text(meter.elapsed_s)}   "
        )
        self._console.print(line, end="", highlight=False, soft_wrap=True)

    def stopped(self, reason: EndReason, duration_s: float) -> None:
        if self._live:
            self._console.print("\r" + " " * (self._console.width - 1) + "\r", end="", soft_wrap=True)
        self._console.print(f"[bold]■ Stopped[/] at {clock(duration_s)} ({_WHY[reason]}).", highlight=False)
