"""What the candidate sees while speaking and while waiting: start/stop cues, one live line (elapsed time
against the limit, a level meter, the thinking countdown, the STAR section and its clock against its
target) redrawn in place, and a "Transcribing…" line whenever the wait is noticeable.

A `recorder.RecordingView` drawn on a rich Console that the caller hands in; on a non-terminal (pipes,
tests) only the start and stop lines are written, never the live line. Which section to show is
livesection.py's decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.live import Live
from rich.text import Text

from mockint.endpointer import EndReason
from mockint.livesection import Pace, SectionFollower, pace
from mockint.recorder import Meter
from mockint.star import Section
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
_PACE_STYLE = {Pace.ON_TIME: "green", Pace.UNSURE: "default", Pace.AT_TARGET: "yellow", Pace.OVER: "bold red"}
_PACE_NOTE = {Pace.ON_TIME: "", Pace.UNSURE: "", Pace.AT_TARGET: " wrap up", Pace.OVER: " over"}


def meter_bar(level: float, cells: int = METER_CELLS) -> str:
    filled = round(max(0.0, min(1.0, level)) * cells)
    return "█" * filled + "·" * (cells - filled)


class TerminalView:
    """Draws the live view on `console` (a rich Console; stderr so that --json output stays clean).

    `targets_s`: each section's target for this answer (timing.plan_times: scaled to the level's budget);
    """

    def __init__(
        self,
        console: Any,
        *,
        silence_s: float,
        thinking_s: float,
        targets_s: Mapping[Section, float] | None = None,
    ) -> None:
        self._console = console
        self._silence_s = silence_s
        self._thinking_s = thinking_s
        self._targets_s = targets_s or {}
        self._max_s = 0.0
        self._live: Live | None = None
        self._follower = SectionFollower()

    def heard(self, transcript: Transcript) -> None:
        """The answer so far (from the transcription thread): follow which STAR section the speaker is in.
        Probe answers are not split into sections, so they are never heard here."""
        self._follower.heard(transcript)

    def section_text(self, elapsed_s: float) -> Text:
        """e.g. "Action 0:42 / 1:17", coloured by its pace; empty until a section has settled."""
        current = self._follower.current
        if current is None:
            return Text()
        name = current.section.value.capitalize()
        spent_s = max(0.0, elapsed_s - current.start_s)
        target_s = self._targets_s.get(current.section)
        if target_s is None:
            return Text(f"{name} {clock(spent_s)}")
        p = pace(current, elapsed_s, target_s)
        return Text(f"{name} {clock(spent_s)} / {clock(target_s)}{_PACE_NOTE[p]}", style=_PACE_STYLE[p])

    def line(self, meter: Meter) -> Text:
        """The one live line."""
        text = Text()
        text.append("● ", style="red")
        text.append(f"{clock(meter.elapsed_s)} / {clock(self._max_s)}  ")
        text.append(meter_bar(meter.level, METER_CELLS if self._console.width >= 80 else METER_CELLS // 2), style="cyan")
        text.append("  ")
        if not meter.has_speech:
            text.append(f"thinking… {clock(max(0.0, self._thinking_s - meter.elapsed_s))} left", style="dim")
        else:
            text.append("speaking" if meter.is_speech else "pause   ", style="green" if meter.is_speech else "dim")
        section = self.section_text(meter.elapsed_s)
        if section:
            text.append("   ")
            text.append_text(section)
        text.truncate(max(20, self._console.width - 1))
        return text

    def started(self, max_s: float) -> None:
        self._max_s = max_s
        self._follower = SectionFollower()
        self._console.print(
            f"[bold red]● Recording[/] — answer when ready. Press [bold]Enter[/] when done "
            f"(or pause {self._silence_s:g} s; limit {clock(max_s)}).",
            highlight=False,
        )
        if self._console.is_terminal:
            self._live = Live(self.line(Meter(0.0, 0.0, False, False)), console=self._console, auto_refresh=False,
                              transient=True, redirect_stdout=False)  # fmt: skip
            self._live.start()

    def update(self, meter: Meter) -> None:
        if self._live is not None:
            self._live.update(self.line(meter), refresh=True)

    def stopped(self, reason: EndReason, duration_s: float) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
        self._console.print(f"[bold]■ Stopped[/] at {clock(duration_s)} ({_WHY[reason]}).", highlight=False)


class WaitingLine:
    """One line saying what the user is waiting for ("Transcribing…"), with a spinner on a terminal; elsewhere
    (output to a file or a pipe) each new text is printed once, as a plain line.

    `show` replaces the text; `clear` takes the line away. A new recording (or printed output) may follow.
    """

    def __init__(self, console: Any) -> None:
        self._console = console
        self._status: Any = None
        self._printed = ""

    def show(self, text: str) -> None:
        if not self._console.is_terminal:
            if text != self._printed:
                self._console.print(text, style="dim", markup=False)
                self._printed = text
            return
        if self._status is None:
            self._status = self._console.status(text, spinner="dots")
            self._status.start()
        else:
            self._status.update(text)

    def clear(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
