"""Speech that cannot hang or crash the interview: the engine's own thread with a deadline on every call,
and a fallback speaker per OS that runs in a child process (`say` on macOS, System.Speech for SAPI on
Windows, espeak-ng on Linux).

pyttsx3's `runAndWait` has no timeout, and its NSSpeechSynthesizer and SAPI5 drivers are known to hang
(nateshmbhat/pyttsx3 issues on macOS run loops and on SAPI's second `runAndWait`), so a hang is treated
like any other failure of the voice: the call gives up at its deadline and the fallback speaks instead.
The pyttsx3 adapter itself is in voice.py.
"""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from mockint.errors import DeviceError
from mockint.platforms import System, current

log = logging.getLogger(__name__)

T = TypeVar("T")

class _Says(Protocol):  # voice.Speaker, which imports this module
    def say(self, text: str) -> None: ...


START_TIMEOUT_S = 10.0  # starting an engine (and listing its voices) takes well under a second when it works


def speaking_timeout_s(text: str, rate_wpm: int = 170) -> float:
    """How long saying `text` may take before it counts as a hang: twice its length at `rate_wpm`, plus 10 s."""
    return 10.0 + 2.0 * 60.0 * len(text.split()) / max(rate_wpm, 1)


def engine_errors() -> tuple[type[BaseException], ...]:
    """What a text-to-speech engine raises when it cannot work: pyttsx3 passes on its drivers' errors, and
    SAPI's come as comtypes.COMError (listing voices can also raise ValueError). comtypes is only looked up,
    never imported: if it was never loaded, it cannot have raised."""
    errors: tuple[type[BaseException], ...] = (ImportError, OSError, RuntimeError, KeyError, AttributeError, ValueError)
    comtypes = sys.modules.get("comtypes")
    com_error = getattr(comtypes, "COMError", None)
    if isinstance(com_error, type) and issubclass(com_error, BaseException):
        errors += (com_error,)
    return errors


class EngineThread:
    """Runs every call to one speech engine on one thread of its own (COM and Cocoa objects want the thread
    that made them) and gives up on a call that overruns its deadline. A stuck thread is abandoned (it is a
    daemon); every later call fails at once."""

    def __init__(self, name: str = "speech") -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.is_stuck = False
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        while True:
            self._jobs.get()()

    def call(self, fn: Callable[[], T], timeout_s: float, what: str) -> T:
        """fn() on the engine's thread; DeviceError if it does not return within `timeout_s` (what it raises
        is raised here)."""
        if self.is_stuck:
            raise DeviceError(f"Text-to-speech is stuck ({what}): the engine never finished an earlier request.")
        results: list[T] = []
        errors: list[BaseException] = []
        done = threading.Event()

        def job() -> None:
            try:
                results.append(fn())
            except BaseException as e:  # handed to the caller's thread, which decides
                errors.append(e)
            finally:
                done.set()

        self._jobs.put(job)
        if not done.wait(timeout_s):
            self.is_stuck = True
            raise DeviceError(f"Text-to-speech did not finish {what} within {timeout_s:g} s (the engine hung).")
        if errors:
            raise errors[0]
        return results[0]


class CommandSpeaker:
    """Speaks by running a command per text, the text on its standard input; killed at its deadline."""

    def __init__(self, argv: Sequence[str], rate_wpm: int = 170) -> None:
        self.argv = list(argv)
        self.rate_wpm = rate_wpm

    def say(self, text: str) -> None:
        timeout_s = speaking_timeout_s(text, self.rate_wpm)
        try:
            run = subprocess.run(self.argv, input=text, text=True, encoding="utf-8", capture_output=True, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            raise DeviceError(f"Speaking with '{self.argv[0]}' did not finish within {timeout_s:.0f} s. Use --no-voice.") from None
        except OSError as e:
            raise DeviceError(f"Cannot run '{self.argv[0]}' to speak: {e.strerror or e}. Use --no-voice.") from None
        if run.returncode != 0:
            last = (run.stderr.strip().splitlines() or [f"exit code {run.returncode}"])[-1]
            raise DeviceError(f"Speaking with '{self.argv[0]}' failed: {last}. Use --no-voice.")


# System.Speech is part of .NET Framework on every Windows 10/11; it speaks through SAPI without pyttsx3 or
# comtypes, in a process of its own. The text comes on stdin, so nothing in it is parsed as PowerShell.
_SAPI_SCRIPT = (
    "Add-Type -AssemblyName System.Speech; "
    "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
    "$s.Speak([Console]::In.ReadToEnd())"
)


def fallback_command(system: System | None = None, rate_wpm: int = 170) -> list[str] | None:
    """The child-process speaker for this OS, or None when its program is missing."""
    system = system or current()
    if system is System.MACOS and shutil.which("say"):
        return ["say", "-r", str(rate_wpm)]  # reads the text from stdin
    if system is System.WINDOWS:
        shell = shutil.which("powershell") or shutil.which("pwsh")
        return [shell, "-NoProfile", "-NonInteractive", "-Command", _SAPI_SCRIPT] if shell else None
    if system is System.LINUX and shutil.which("espeak-ng"):
        return ["espeak-ng", "-s", str(rate_wpm), "--stdin"]
    return None


class GuardedSpeaker:
    """The engine's speaker while it works; after its first failure or hang, the fallback for the rest."""

    def __init__(self, primary: _Says | None, fallback: _Says | None) -> None:
        self._primary = primary
        self._fallback = fallback
        self.primary_error: DeviceError | None = None

    def say(self, text: str) -> None:
        if self._primary is not None:
            try:
                self._primary.say(text)
                return
            except DeviceError as e:
                if self._fallback is None:
                    raise
                log.warning("%s Speaking with the fallback from now on.", e)
                self.primary_error = e
                self._primary = None
        if self._fallback is None:
            raise DeviceError("No text-to-speech engine works on this machine. Use --no-voice.")
        self._fallback.say(text)


def open_voice(
    rate_wpm: int, voice: str | None = None, *, system: System | None = None, start: Callable[[], _Says] | None = None
) -> GuardedSpeaker:
    """The voice for an interview: pyttsx3 (or `start()`), guarded, with this OS's fallback behind it.

    A named `voice` must exist in pyttsx3: its DeviceError is raised, not hidden behind the fallback.
    Raises DeviceError when neither the engine nor a fallback can speak.
    """
    command = fallback_command(system, rate_wpm)
    fallback = CommandSpeaker(command, rate_wpm) if command else None
    try:
        if start is None:
            from mockint.voice import Pyttsx3Speaker

            primary: _Says | None = Pyttsx3Speaker(rate_wpm, voice)
        else:
            primary = start()
    except DeviceError as e:
        if fallback is None or voice is not None:
            raise
        log.warning("%s Speaking with '%s' instead.", e, fallback.argv[0])
        primary = None
    return GuardedSpeaker(primary, fallback)
