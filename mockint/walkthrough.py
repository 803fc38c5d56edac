"""How the question bank looks in a terminal: the bank as a table, one question as a walkthrough.

Returns rich renderables and never prints; `cli.py` does the printing.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from mockint.bank import LevelGuide, Probe, Question, SectionGuide

_LEVEL_NAMES = {"sde1": "SDE 1", "sde2": "SDE 2", "senior": "Senior SDE"}


def bank_table(questions: Iterable[Question]) -> Table:
    """One row per question: id, title, leadership principles."""
    table = Table(box=box.SIMPLE_HEAD, title="Questions", title_justify="left", expand=False)
    table.add_column("id", style="bold cyan", no_wrap=True)
    table.add_column("title")
    table.add_column("leadership principles", style="magenta")
    for q in questions:
        table.add_row(q.id, q.title, ", ".join(q.leadership_principles))
    return table


def next_step(question: Question | None) -> str:
    """What to do after the list (None) or after one question's walkthrough (markup)."""
    if question is None:
        return "Next: read one with [bold]mockint questions ID[/], or practise it with [bold]mockint practice --question ID[/]."
    return f"Next: practise it out loud with [bold]mockint practice --question {question.id}[/]."


def walkthrough(question: Question) -> RenderableType:
    """Everything the bank holds about one question, in the order a candidate would study it."""
    parts: list[RenderableType] = [
        Rule(Text(question.title, style="bold"), align="left"),
        _labelled("id", question.id),
        _labelled("Leadership principles", ", ".join(question.leadership_principles)),
        Text(),
        Panel(
            Group(Text(question.scenario), Text(), Text(question.summary, style="dim")),
            title="Scenario",
            title_align="left",
        ),
    ]
    parts += [_section(guide) for guide in question.sections]
    parts += [
        _heading("Reflections"),
        _labelled("SDE2", question.sde2_reflection),
        _labelled("Senior", question.senior_reflection),
        _heading("Follow-up probes"),
    ]
    parts += [_probe(i, p) for i, p in enumerate(question.probes, start=1)]
    parts += [
        _heading("Weak answer"),
        Text(question.weak_answer.text, style="italic"),
        *(Text.assemble(("  ✗ ", "red"), flaw) for flaw in question.weak_answer.flaws),
        _labelled("Bar Raiser thinks", question.weak_answer.bar_raiser, style="bold red"),
        _heading("Leadership principle angles"),
        _angles(question),
        _heading("Level guidance"),
    ]
    parts += [_level(g) for g in question.levels]
    if question.quiz:
        # The bank holds each quiz question and its explanation, not the answer choices the page shows:
        # say so, rather than show an explanation of options the reader cannot see (or invent them).
        parts.append(_heading("Quiz"))
        parts.append(Text("Each question with the page's explanation of its answer (the answer choices are "
                          "not in the question bank).", style="dim"))
        for i, item in enumerate(question.quiz, start=1):
            parts.append(Text.assemble((f"{i}. ", "bold"), (item.question, "bold")))
            parts.append(Padding(_labelled("Explanation", item.explanation, style="dim bold"), (0, 0, 0, 3)))
    return Group(*parts)


def _section(guide: SectionGuide) -> Panel:
    phrases = Text("Key phrases: ", style="bold")
    for i, phrase in enumerate(guide.key_phrases):
        if i:
            phrases.append(" · ", style="dim")
        phrases.append(f"“{phrase}”", style="cyan")
    body = Group(
        Text(guide.strong_example, style="italic"),
        Text(),
        phrases,
        _labelled("Coaching", guide.coaching, style="bold green"),
        _labelled("Common mistake", guide.common_mistake, style="bold red"),
    )
    title = f"{guide.section.value.capitalize()} · target {_seconds(guide.target_s)}"
    return Panel(body, title=title, title_align="left", border_style="blue")


def _probe(number: int, probe: Probe) -> RenderableType:
    return Padding(
        Group(
            Text.assemble((f"{number}. ", "bold"), (probe.question, "bold")),
            _labelled("Probes", probe.intent, style="dim bold"),
            Text.assemble(("✗ Weak: ", "bold red"), f"“{probe.weak_answer}” ", (f"— {probe.weak_why}", "dim")),
            Text.assemble(("✓ Strong: ", "bold green"), probe.strong_answer),
            Text.assemble(("  → ", "green"), (f"“{probe.tagline}”", "italic green")),
        ),
        (0, 0, 1, 0),
    )


def _angles(question: Question) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("angle", style="bold magenta", no_wrap=True)
    table.add_column("guidance", ratio=3)
    table.add_column("emphasise", style="green", ratio=2)
    table.add_column("downplay", style="yellow", ratio=2)
    for a in question.lp_angles:
        table.add_row(a.name, a.guidance, a.emphasise, a.downplay)
    return table


def _level(guide: LevelGuide) -> RenderableType:
    budget = f"{guide.budget_min_s:g}–{_seconds(guide.budget_max_s)}"
    if guide.budget_text:
        budget += f" ({guide.budget_text.rstrip('.')})"
    return Padding(
        Group(
            Text.assemble((_LEVEL_NAMES.get(guide.level.value, guide.level.value), "bold"), "  ", ("budget ", "dim"), budget),
            Text(guide.guidance),
            _labelled("Bar", guide.bar),
            _labelled("Reflection", guide.reflection, style="bold"),
        ),
        (0, 0, 1, 2),
    )


def _heading(text: str) -> RenderableType:
    return Group(Text(), Rule(Text(text, style="bold"), align="left", style="dim"))


def _labelled(label: str, text: str, *, style: str = "bold") -> Text:
    return Text.assemble((f"{label}: ", style), text)


def _seconds(value: float) -> str:
    return f"{value:g} s"
