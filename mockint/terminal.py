"""The terminal the user watches: audio-library noise kept off it, typed keys not echoed into a live view,
long text shown through a pager.

PortAudio and ALSA write straight to file descriptor 2 from C ("ALSA lib pcm.c:…(snd_pcm_recover)
underrun occurred"), and so does `aplay`, which speaks the questions: past any Python-level redirect,
through the middle of a redrawn line. Everything here is a no-op off a terminal.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from typing import Any, TextIO

log = logging.getLogger(__name__)

# What audio libraries print on their own; anything else written to stderr meanwhile is shown afterwards.
_NOISE = re.compile(
    r"ALSA lib |underrun|overrun|snd_pcm_|PaAlsa|alsa_snd|Expression '.*' failed|jack server|JackShm|"
    r"Cannot connect to server|pulseaudio|^\s*$"
)


def is_noise(line: str) -> bool:
    """A line that an audio library (or `aplay`) wrote to stderr by itself."""
    return bool(_NOISE.search(line))


@contextlib.contextmanager
def native_stderr_kept_off(*consoles: Any) -> Iterator[None]:
    """While inside, whatever is written to file descriptor 2 goes to a temporary file, and `consoles`
    (rich Consoles drawing on stderr) write to the terminal through a copy of the old descriptor. Lines
    that are not audio-library noise are written to stderr afterwards, so no real message is lost."""
    if not os.isatty(2):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    terminal: TextIO = os.fdopen(os.dup(saved), "w", buffering=1, encoding=sys.stderr.encoding or "utf-8")
    swapped = [(c, c.file) for c in consoles if c.file in (sys.stderr, sys.__stderr__)]
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 2)
        for console, _ in swapped:
            console.file = terminal
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            for console, file in swapped:
                console.file = file
            terminal.close()
            sink.seek(0)
            _replay(sink.read().decode("utf-8", "replace"))


def _replay(captured: str) -> None:
    kept = [line for line in captured.splitlines() if not is_noise(line)]
    noise = len(captured.splitlines()) - len(kept)
    if noise:
        log.debug("kept %d lines of audio-library output off the screen", noise)
    for line in kept:
        print(line, file=sys.stderr)


@contextlib.contextmanager
def keys_not_echoed() -> Iterator[None]:
    """Typed keys (Enter ends an answer) are read but not echoed, so they do not break the live line."""
    if sys.platform == "win32" or not sys.stdin.isatty():
        yield
        return
    import termios

    fd = sys.stdin.fileno()
    before = termios.tcgetattr(fd)
    quiet = list(before)
    quiet[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSADRAIN, quiet)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, before)


def page(console: Any, renderable: Any) -> None:
    """Print `renderable`; through a pager (PAGER, else `less`) when it is longer than the terminal."""
    if not (console.is_terminal and sys.stdin.isatty()):
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    text = captured.get()
    command = os.environ.get("PAGER") or ("less" if shutil.which("less") else "")
    if text.count("\n") < console.height - 1 or not command:
        console.file.write(text)
        return
    env = {**os.environ, "LESS": os.environ.get("LESS", "-FRX")}  # colours; quit at the end; keep the text
    try:
        subprocess.run(command, shell=True, input=text, text=True, env=env, check=False)
    except OSError as e:
        log.debug("pager %r failed: %s", command, e)
        console.file.write(text)
