"""The live view while recording: cues, meter and the STAR section being spoken."""

from __future__ import annotations

import io

from rich.console import Console

from mockint.endpointer import EndReason
from mockint.liveview import TerminalView, meter_bar
from mockint.recorder import Meter
from mockint.star import Section, segment
from mockint.text import clock
from mockint.transcript import Transcript, Word

TARGETS = dict(zip(Section, (30.0, 20.0, 90.0, 20.0, 15.0), strict=True))


def view(is_terminal: bool) -> tuple[TerminalView, io.StringIO]:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=is_terminal, width=120, color_system=None)
    return TerminalView(console, silence_s=3.5, thinking_s=20.0, targets_s=TARGETS), buf


def test_on_a_terminal_the_meter_shows_time_level_and_state() -> None:
    v, buf = view(is_terminal=True)
    v.started(300.0)
    v.update(Meter(elapsed_s=4.2, level=0.5, is_speech=False, has_speech=False))
    v.update(Meter(elapsed_s=65.0, level=0.5, is_speech=True, has_speech=True))
    v.stopped(EndReason.SILENCE, 70.0)
    text = buf.getvalue()
    assert "● Recording" in text and "Enter" in text
    assert "0:04 / 5:00" in text and "thinking… 0:16 left" in text
    assert "1:05 / 5:00" in text and meter_bar(0.5) in text and "speaking" in text
    assert "■ Stopped at 1:10 (you went quiet)." in text


def test_off_a_terminal_only_the_cues_are_written() -> None:
    v, buf = view(is_terminal=False)
    v.started(120.0)
    v.update(Meter(elapsed_s=1.0, level=0.9, is_speech=True, has_speech=True))
    v.stopped(EndReason.ENTER, 1.0)
    lines = buf.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].startswith("● Recording") and "Enter pressed" in lines[1]


def test_the_section_being_spoken_is_shown_with_its_clock_against_the_target() -> None:
    v, _ = view(is_terminal=True)
    v.started(300.0)
    assert v.section_text(10.0) == ""
    said = "At my last company I was a backend engineer on the payments team, working on the checkout service."
    heard = Transcript(tuple(Word(t, 1.0 + i * 0.4, 1.3 + i * 0.4) for i, t in enumerate(said.split())), 8.0)
    v.heard(heard)
    last = segment(heard)[-1]  # the section the speaker is in now: whatever STAR detection says last
    name, target_s = last.section.value.title(), TARGETS[last.section]
    spent = 12.0 - last.start_s
    assert v.section_text(12.0) == f"[green]{name} {clock(spent)} / {clock(target_s)}[/]"
    assert v.section_text(last.start_s + target_s + 5).startswith(f"[red]{name} {clock(target_s + 5)}")
    v.started(120.0)  # a new turn forgets the section
    assert v.section_text(5.0) == ""


def test_clock_is_minutes_and_seconds_rounded() -> None:
    assert clock(0) == "0:00" and clock(59.4) == "0:59" and clock(59.6) == "1:00" and clock(125) == "2:05"
    assert clock(None) == "-" and clock(-3) == "0:00"
    assert meter_bar(0.0) == "·" * 20 and meter_bar(1.0) == "█" * 20 and meter_bar(2.0) == "█" * 20
