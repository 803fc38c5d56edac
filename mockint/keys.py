"""The Enter key, read without blocking: on a POSIX terminal the line discipline delivers input only at
Enter; a Windows console hands over every key at once, so only Enter (a carriage return) counts there.

`EnterKey` (recorder.py) asks a `KeySource`; tests give it scripted keys.
"""

from __future__ import annotations

import sys
from typing import Protocol


class KeySource(Protocol):
    def waiting(self) -> bool:
        """A key (or a line) can be read without blocking."""
        ...

    def read(self) -> str:
        """One key, or one line ending in a newline; "" for a key that is not text (arrows, F-keys)."""
        ...


def is_enter(key: str) -> bool:
    return key.endswith(("\r", "\n"))


class ConsoleKeys:
    """A Windows console through msvcrt: one key at a time."""

    # Arrows, function keys and the like arrive as a prefix and a second code: both are read and ignored.
    _PREFIXES = ("\x00", "\xe0")

    def waiting(self) -> bool:
        import msvcrt

        return bool(msvcrt.kbhit())  # type: ignore[attr-defined,unused-ignore]

    def read(self) -> str:
        import msvcrt

        key = str(msvcrt.getwch())  # type: ignore[attr-defined,unused-ignore]
        if key in self._PREFIXES:
            msvcrt.getwch()  # type: ignore[attr-defined,unused-ignore]
            return ""
        return key


class LineKeys:
    """A POSIX terminal's standard input: a line at a time. At end of input (Ctrl-D) nothing is waiting again,
    so clearing the keys cannot spin."""

    def __init__(self) -> None:
        self._is_closed = False

    def waiting(self) -> bool:
        import select

        return not self._is_closed and bool(select.select([sys.stdin], [], [], 0)[0])

    def read(self) -> str:
        line = sys.stdin.readline()
        self._is_closed = line == ""
        return line


def terminal_keys() -> KeySource | None:
    """This terminal's keys, or None when standard input is not a terminal (a closed or piped stdin would
    look like a key press at once)."""
    if sys.stdin is None or not sys.stdin.isatty():
        return None
    return ConsoleKeys() if sys.platform == "win32" else LineKeys()
