"""The live view while recording: cues, the one live line, the settled section and the waiting line.
(Drawn in a real terminal: tests/test_screens.py.)"""

from __future__ import annotations

import io

from answers import build
from test_livesection import SPOKEN
from rich.console import Console

from mockint.endpointer import EndReason
from mockint.liveview import TerminalView, WaitingLine, meter_bar
from mockint.recorder import Meter
from mockint.star import Section
from mockint.text import clock
from mockint.transcript import Transcript

TARGETS = dict(zip(Section, (26.0, 17.0, 77.0, 17.0, 13.0), strict=True))
SITUATION = ("At my last company I was a backend engineer on the payments team. Our checkout service was timing "
             "out for about two percent of customers every evening, and support tickets piled up each night.")
TASK = "Nobody had asked me to look at it and there was no ticket, but I owned the checkout code, so it was mine to fix."


MORE_RESULT = ("Checkout errors fell by ninety percent and the support queue dropped from forty tickets a night to "
               "two. The sales team saw conversion rise by three percent the following quarter, worth about half a "
               "million dollars a year.")


def view(is_terminal: bool, width: int = 120) -> tuple[TerminalView, io.StringIO]:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=is_terminal, width=width, color_system=None)
    return TerminalView(console, silence_s=3.5, thinking_s=20.0, targets_s=TARGETS), buf


def heard_until(transcript: Transcript, until_s: float) -> Transcript:
    return Transcript(tuple(w for w in transcript.words if w.end_s <= until_s), until_s)


def test_on_a_terminal_the_live_line_shows_time_level_and_state() -> None:
    v, buf = view(is_terminal=True)
    v.started(300.0)
    thinking = v.line(Meter(elapsed_s=4.2, level=0.5, is_speech=False, has_speech=False)).plain
    assert thinking.startswith("● 0:04 / 5:00") and meter_bar(0.5) in thinking and "thinking… 0:16 left" in thinking
    speaking = v.line(Meter(elapsed_s=65.0, level=0.5, is_speech=True, has_speech=True)).plain
    assert "1:05 / 5:00" in speaking and "speaking" in speaking and "\n" not in speaking
    v.update(Meter(elapsed_s=65.0, level=0.5, is_speech=True, has_speech=True))
    v.stopped(EndReason.SILENCE, 70.0)
    text = buf.getvalue()
    assert "● Recording" in text and "Enter" in text
    assert "■ Stopped at 1:10 (you went quiet)." in text


def test_the_live_line_fits_a_narrow_terminal_on_one_line() -> None:
    v, _ = view(is_terminal=True, width=60)
    v.started(300.0)
    v.heard(build([(Section.SITUATION, SITUATION)]).transcript)
    line = v.line(Meter(elapsed_s=12.0, level=1.0, is_speech=True, has_speech=True))
    assert len(line.plain) < 60 and "\n" not in line.plain


def test_off_a_terminal_only_the_cues_are_written() -> None:
    v, buf = view(is_terminal=False)
    v.started(120.0)
    v.update(Meter(elapsed_s=1.0, level=0.9, is_speech=True, has_speech=True))
    v.stopped(EndReason.ENTER, 1.0)
    lines = buf.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].startswith("● Recording") and "Enter pressed" in lines[1]


def test_the_settled_section_is_shown_with_its_clock_against_its_target() -> None:
    v, _ = view(is_terminal=True)
    v.started(300.0)
    assert v.section_text(10.0).plain == ""
    answer = build([(Section.SITUATION, SITUATION), (Section.TASK, TASK)])
    situation = answer.spans[0]
    v.heard(heard_until(answer.transcript, situation.end_s))
    shown = v.section_text(situation.start_s + 12.0)
    assert shown.plain == f"Situation 0:12 / {clock(TARGETS[Section.SITUATION])}" and shown.style == "green"
    # Past its target on the clock, but the words heard end well inside it: not "over", not red.
    unsure = v.section_text(situation.start_s + 40.0)
    assert "over" not in unsure.plain and unsure.style != "bold red"
    v.started(120.0)  # a new turn forgets the section
    assert v.section_text(5.0).plain == ""


def test_over_is_shown_only_when_the_words_heard_run_past_the_target() -> None:
    v, _ = view(is_terminal=True)
    v.started(300.0)
    long_result = build([*SPOKEN[:3], (Section.RESULT, SPOKEN[3][1] + " " + MORE_RESULT)], wpm=140)
    span = long_result.spans[-1]
    assert span.section is Section.RESULT and span.duration_s > TARGETS[Section.RESULT] * 1.25
    v.heard(long_result.transcript)
    shown = v.section_text(span.end_s + 1.0)
    assert shown.plain.endswith(" over") and shown.style == "bold red"


def test_the_waiting_line_spins_on_a_terminal_and_is_a_plain_line_once_elsewhere() -> None:
    buf = io.StringIO()
    waiting = WaitingLine(Console(file=buf, force_terminal=False, width=80))
    waiting.show("Transcribing…")
    waiting.show("Transcribing…")
    waiting.show("Scoring…")
    waiting.clear()
    assert buf.getvalue() == "Transcribing…\nScoring…\n"
    buf = io.StringIO()
    waiting = WaitingLine(Console(file=buf, force_terminal=True, width=80, color_system=None))
    waiting.show("Transcribing…")
    waiting.show("Scoring…")
    waiting.clear()
    assert "Transcribing…" in buf.getvalue() or "Scoring…" in buf.getvalue()


def test_clock_is_minutes_and_seconds_rounded() -> None:
    assert clock(0) == "0:00" and clock(59.4) == "0:59" and clock(59.6) == "1:00" and clock(125) == "2:05"
    assert clock(None) == "-" and clock(-3) == "0:00"
    assert meter_bar(0.0) == "·" * 20 and meter_bar(1.0) == "█" * 20 and meter_bar(2.0) == "█" * 20
