"""The command line: parse, wire, call one function, print, pick an exit code.

Heavy modules (faster-whisper, sounddevice, pyttsx3) are imported inside the commands so that
`mockint --help` stays fast and never loads ctranslate2.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from mockint.errors import MockintError

app = typer.Typer(
    help="Practise behavioural interview answers out loud, offline, with STAR feedback.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(fn: F) -> F:
    """Turn our own errors into one line on stderr and exit code 1; let anything else show as a bug."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MockintError as e:
            err.print(f"Error: {e}", markup=False, soft_wrap=True)
            raise typer.Exit(code=1) from None

    return wrapper  # type: ignore[return-value]


BankOption = Annotated[
    Path | None,
    typer.Option("--bank", help="Question folder (default: $MOCKINT_BANK or the bundled prompts/).", show_default=False),
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="Local faster-whisper model folder or model name (default: bundled Whisper base).", show_default=False),
]


# --- commands -----------------------------------------------------------------------------------
# Each command is a thin block: gather inputs, call one function, print. Keep them in this file.


@app.command()
@reports_errors
def transcribe(
    file: Annotated[Path, typer.Argument(help="A recording: WAV, FLAC or MP3, any sample rate.")],
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the words and times as JSON.")] = False,
    fillers: Annotated[bool, typer.Option("--fillers", help="Ask Whisper to keep um/uh.")] = False,
) -> None:
    """Transcribe a recording and print each word with its time."""
    import json

    from mockint.asr import AsrOptions, WhisperTranscriber
    from mockint.audio import load_audio

    recording = load_audio(file)
    transcript = WhisperTranscriber(model, AsrOptions(keep_fillers=fillers)).transcribe(recording)
    if as_json:
        out.print_json(json.dumps(transcript.to_dict()))
        return
    from rich.table import Table

    out.print(transcript.text or "(no speech recognised)", soft_wrap=True)
    table = Table("start", "end", "word", "p", box=None, pad_edge=False)
    for w in transcript.words:
        table.add_row(f"{w.start_s:6.2f}", f"{w.end_s:6.2f}", w.text, f"{w.probability:.2f}")
    out.print(table)


@app.command()
def doctor() -> None:
    """Check the microphone, speaker and voice, speech model and recordings folder."""
    from mockint.doctor import Status, run_checks

    marks = {Status.OK: "[green]ok  [/]", Status.WARN: "[yellow]warn[/]", Status.FAIL: "[red]FAIL[/]"}
    checks = run_checks()
    for check in checks:
        out.print(f"{marks[check.status]} [bold]{check.name:13}[/] {check.detail}", soft_wrap=True)
        if check.fix:
            out.print(f"     {'':13} → {check.fix}", soft_wrap=True)
    if any(c.status is Status.FAIL for c in checks):
        raise typer.Exit(code=1)


@app.command()
@reports_errors
def questions(
    question_id: Annotated[str | None, typer.Argument(metavar="ID", help="Show this question's walkthrough.", show_default=False)] = None,
    bank: BankOption = None,
) -> None:
    """List the question bank, or show one question's full walkthrough."""
    from mockint import paths
    from mockint.bank import find_question, load_bank
    from mockint.walkthrough import bank_table, walkthrough

    bank_questions = load_bank(bank if bank is not None else paths.bank_dir())
    if question_id is None:
        out.print(bank_table(bank_questions))
    else:
        out.print(walkthrough(find_question(bank_questions, question_id)))


@app.command()
@reports_errors
def analyze(
    file: Annotated[Path, typer.Argument(help="A recorded answer: WAV, FLAC or MP3, any sample rate.")],
    question_id: Annotated[str, typer.Option("--question", metavar="ID", help="Question id (see 'mockint questions').")],
    level: Annotated[str, typer.Option("--level", help="sde1, sde2 or senior: sets the time budget.")] = "sde2",
    as_json: Annotated[bool, typer.Option("--json", help="Print the sections and timings as JSON.")] = False,
    model: ModelOption = None,
    bank: BankOption = None,
) -> None:
    """Transcribe a recorded answer and show its STAR sections timed against the targets."""
    import json

    from mockint import paths
    from mockint.analysis import analyse
    from mockint.asr import WhisperTranscriber
    from mockint.audio import load_audio
    from mockint.bank import Level, find_question, load_bank

    try:
        level_ = Level(level.casefold())
    except ValueError:
        raise typer.BadParameter(f"{level!r} is not a level; use sde1, sde2 or senior.", param_hint="--level") from None
    question = find_question(load_bank(bank if bank is not None else paths.bank_dir()), question_id)
    recording = load_audio(file)
    analysis = analyse(WhisperTranscriber(model).transcribe(recording), question, level_)
    if as_json:
        out.print_json(json.dumps(analysis.to_dict()))
        return
    from mockint.timeline import render_sections, render_timeline

    out.print(render_timeline(analysis.timings, analysis.total))
    out.print()
    out.print(render_sections(analysis.spans))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
