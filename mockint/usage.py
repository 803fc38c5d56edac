"""Usage mistakes (an unknown option, a bad value, a missing argument) as one `Error:` line and exit code 2,
instead of typer's boxed panel: what is wrong, with which option, and where to read the usage.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
import typer.core

try:  # typer 0.2x carries its own copy of click
    from typer._click import Context
    from typer._click.exceptions import ClickException, UsageError
except ImportError:  # older typer runs on click itself
    from click import Context  # type: ignore[assignment,unused-ignore]
    from click.exceptions import ClickException, UsageError  # type: ignore[assignment,unused-ignore]


def usage_line(error: ClickException) -> str:
    """A usage error as one line: what is wrong, with which option, and where the usage is."""
    message = " ".join(error.format_message().split())
    ctx: Context | None = getattr(error, "ctx", None)
    if isinstance(error, UsageError) and ctx is not None:
        command = "mockint" if ctx.parent is None else f"mockint {ctx.info_name}"
        message = f"{message}{'' if message.endswith(('.', '?', '!')) else '.'} See '{command} --help'."
    return f"Error: {message}"


class OneLineErrors(typer.core.TyperGroup):
    """typer's group with usage errors printed as one `Error:` line (exit 2) instead of a boxed panel."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        try:
            result = super().main(*args, **{**kwargs, "standalone_mode": False})  # typer.Exit(code) comes back as code
        except ClickException as e:
            if not standalone_mode:
                raise
            if type(e).__name__ != "NoArgsIsHelpError":  # `mockint` alone: typer has printed the help
                typer.echo(usage_line(e), err=True)
            sys.exit(e.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            typer.echo("Error: Aborted.", err=True)
            sys.exit(1)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)
