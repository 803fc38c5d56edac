"""Enter means Enter: a Windows console hands over every key, so other keys (letters, arrows as two codes)
must not end the answer; a POSIX terminal hands over whole lines."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from fakes import FakeKeys

from mockint.keys import ConsoleKeys, LineKeys, is_enter
from mockint.recorder import EnterKey


def test_letters_and_arrows_do_not_end_the_answer_but_enter_does() -> None:
    keys = FakeKeys("a", "", "x")
    enter = EnterKey(keys)
    assert not enter.is_set()
    keys.type("\r")
    assert enter.is_set() and enter.is_set()


def test_an_enter_typed_while_the_question_was_spoken_is_cleared() -> None:
    keys = FakeKeys("\r", "b")
    enter = EnterKey(keys)
    enter.clear()
    assert not enter.is_set() and keys.reads == 2


def test_a_posix_line_is_enter_and_end_of_input_is_not() -> None:
    assert is_enter("\n") and is_enter("I'm done\n") and is_enter("\r")
    assert not is_enter("") and not is_enter("a")


class FakeMsvcrt:
    """The msvcrt module as a Windows console feeds it: getwch returns one code at a time."""

    def __init__(self, *codes: str) -> None:
        self.codes = list(codes)

    def kbhit(self) -> bool:
        return bool(self.codes)

    def getwch(self) -> str:
        return self.codes.pop(0)


def test_a_windows_console_ends_the_turn_only_at_enter(monkeypatch: pytest.MonkeyPatch) -> None:
    msvcrt = FakeMsvcrt("q", "\xe0", "H", "\x00", ";", " ")  # q, up arrow, F1, space
    monkeypatch.setitem(sys.modules, "msvcrt", msvcrt)
    enter = EnterKey(ConsoleKeys())
    assert not enter.is_set() and msvcrt.codes == []
    msvcrt.codes.append("\r")
    assert enter.is_set()


def test_end_of_input_on_a_terminal_stops_the_clearing_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    class ClosedStdin:
        def readline(self) -> str:
            return ""

    monkeypatch.setattr(sys, "stdin", ClosedStdin())
    monkeypatch.setattr("select.select", lambda r, w, x, t: (r, [], []))
    keys: Any = LineKeys()
    enter = EnterKey(keys)
    enter.clear()
    assert not enter.is_set() and not keys.waiting()
