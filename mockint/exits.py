"""How a command ends: a signal turned into a clean stop, and an exit that never crashes on a thread still
busy in native code. (Usage mistakes are usage.py's.)

Ctrl-C (SIGINT), SIGTERM and SIGHUP raise `Stopped` (a KeyboardInterrupt) in the main thread, so every
`except KeyboardInterrupt` that saves work so far handles all three; the process then exits 128 + the
signal's number (130, 143, 129). A second signal while the first is being handled is ignored: the clean-up
is short, and a watchdog ends the process if it is not done within `STOP_GRACE_S`.
What each command saves when stopped is the command's business (interview.py, rescore_report.py).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import NoReturn, TypeVar

T = TypeVar("T")

THREAD_PREFIX = "mockint-"  # our own threads' names start with this
STOP_GRACE_S = 4.0  # from the first signal to the end of the process, whatever is still running
_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_NAMES = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM", signal.SIGHUP: "SIGHUP"}
_received: list[int] = []  # the signals that stopped this process, first first


class Stopped(KeyboardInterrupt):
    """The command was asked to stop by a signal (Ctrl-C, SIGTERM, SIGHUP)."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(_NAMES.get(signal.Signals(signum), f"signal {signum}"))
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def name(self) -> str:
        return str(self.args[0])


def stop_code(error: BaseException) -> int:
    """The exit code for an interruption: 128 + the signal (130 for a plain KeyboardInterrupt)."""
    return error.exit_code if isinstance(error, Stopped) else 128 + signal.SIGINT


def _on_signal(signum: int, frame: FrameType | None) -> None:
    _received.append(signum)
    if len(_received) > 1:
        return  # already stopping: let the clean-up finish (the watchdog bounds it)
    watchdog = threading.Timer(STOP_GRACE_S, _give_up, args=(signum,))
    watchdog.daemon = True
    watchdog.start()
    raise Stopped(signum)


def _give_up(signum: int) -> None:
    _flush()
    os._exit(128 + signum)


def install_signal_handlers() -> None:
    """Ctrl-C, SIGTERM and SIGHUP raise Stopped in the main thread (a signal ignored by our parent, e.g.
    SIGHUP under nohup, stays ignored)."""
    for signum in _SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _on_signal)


def in_background(work: Callable[[], T], name: str = "work") -> T:
    """Run `work` (native code that cannot be interrupted, such as Whisper decoding) on a daemon thread
    while this thread waits, so that a signal stops the command at once instead of after the native call.
    Returns its result or raises its exception."""
    if threading.current_thread() is not threading.main_thread():
        return work()  # only the main thread receives signals: elsewhere there is nothing to gain
    result: list[T] = []
    error: list[BaseException] = []
    done = threading.Event()

    def run() -> None:
        with working():
            try:
                result.append(work())
            except BaseException as e:  # handed to the waiting thread
                error.append(e)
            finally:
                done.set()

    threading.Thread(target=run, name=f"{THREAD_PREFIX}{name}", daemon=True).start()
    # An Event, not Thread.join: a signal that interrupts join() marks a thread that is still running as
    # stopped (CPython 3.11, bpo-45274's fix), and nothing could tell it was busy any more.
    while not done.wait(0.1):
        pass
    if error:
        raise error[0]
    return result[0]


_working = [0]  # our threads inside work that cannot be interrupted (see finish)
_working_lock = threading.Lock()


@contextlib.contextmanager
def working() -> Iterator[None]:
    """Mark the calling (non-main) thread as busy for as long as the block runs: finish() will not tear the
    interpreter down under it."""
    with _working_lock:
        _working[0] += 1
    try:
        yield
    finally:
        with _working_lock:
            _working[0] -= 1


def configure_streams() -> None:
    """Output the terminal cannot encode (PYTHONIOENCODING=ascii, LANG=C) is replaced, never a crash."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed, or a reader that went away (`| head`)
            pass


def finish(code: int) -> NoReturn:
    """End the process with `code` (128 + the signal when one stopped it).

    The interpreter's own shutdown is skipped while one of our threads is still `working` (a transcription
    cut short by Ctrl-C): tearing the interpreter down under a thread inside ctranslate2 crashes it (SIGSEGV or
    SIGABRT instead of the exit code). Work was saved before this point.
    """
    if _received:
        code = 128 + _received[0]
        # Already stopping: a second Ctrl-C during the interpreter's shutdown must not kill the process with
        # the default action (exit -2 instead of 130). Python puts its own handlers back to the default when it
        # shuts down, but leaves an ignored signal ignored.
        for signum in _SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
    if _working[0]:
        _flush()
        os._exit(code)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`mockint sessions | head -1`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(code)
