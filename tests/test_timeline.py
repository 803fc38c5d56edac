"""The timeline renders each section against its target and the total against the budget."""

from __future__ import annotations

from rich.console import Console

from mockint.star import Section, Span
from mockint.timeline import render_sections, render_timeline
from mockint.timing import time_sections, time_total
from mockint.transcript import Word


def _span(section: Section, start_s: float, end_s: float, text: str = "x") -> Span:
    return Span(section, start_s, end_s, tuple(Word(w, start_s, end_s) for w in text.split()))


def _text(renderable: object) -> str:
    console = Console(width=100, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_timeline_marks_over_under_missing_and_total() -> None:
    spans = (_span(Section.SITUATION, 0, 30), _span(Section.ACTION, 30, 150), _span(Section.RESULT, 150, 155))
    text = _text(render_timeline(time_sections(spans), time_total(spans, 120, 150)))
    lines = {line.split()[0]: line for line in text.splitlines() if line.strip()}
    assert "ok" in lines["Situation"] and "30 s" in lines["Situation"]
    assert "missing" in lines["Task"] and "missing" in lines["Reflection"]
    assert lines["Action"].rstrip().endswith("over") and "120 s" in lines["Action"]
    assert lines["Result"].rstrip().endswith("under")
    assert "155 s" in lines["Total"] and "120–150 s" in lines["Total"] and lines["Total"].rstrip().endswith("over")
    assert "┃" in lines["Action"] and "█" in lines["Action"]


def test_timeline_of_an_empty_answer_says_so() -> None:
    text = _text(render_timeline(time_sections(()), time_total((), 90, 120)))
    assert "no answer" in text and text.count("missing") >= 5


def test_sections_show_words_and_times() -> None:
    spans = (_span(Section.SITUATION, 0, 65, "I was a nurse"), _span(Section.ACTION, 65, 80, "I called the doctor"))
    text = _text(render_sections(spans))
    assert "Situation  0:00–1:05" in text and "I was a nurse" in text
    assert "Action  1:05–1:20" in text and "I called the doctor" in text
