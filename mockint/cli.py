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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
