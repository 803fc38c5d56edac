"""A real terminal for screen tests: a private tmux server (its own socket, no user config, no status bar)
running one command in a pane of a given size, captured as the rows a person would see.

`Screen.capture()` is the visible screen, row by row; `Recorder` captures it in the background every
`every_s` seconds, with the time of each capture, while a test feeds the microphone. The tmux server is
ours alone and is killed by `close()` (nothing else is touched).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from audio_helpers import need, silence
from following import Fed

from mockint.audio import SAMPLE_RATE_HZ, Recording, load_audio, write_wav
from mockint.star import Section

EXIT_MARK = "[screen test: exit "


def need_tmux() -> None:
    need(shutil.which("tmux") is not None, "tmux is not installed (scripts/setup.sh --test installs it)")


class Screen:
    """One tmux pane of `cols` x `rows` running `command` (a list of arguments) in `cwd` with `env`.

    When the command ends the pane keeps its last screen and prints EXIT_MARK with the exit code.
    """

    def __init__(self, tmp: Path, command: Sequence[str], *, cols: int, rows: int, env: Mapping[str, str],
                 cwd: Path | None = None) -> None:  # fmt: skip
        self.cols, self.rows = cols, rows
        self._socket = tmp / f"tmux-{cols}x{rows}.sock"
        config = tmp / "tmux.conf"
        config.write_text("set -g status off\nset -g history-limit 5000\n", encoding="utf-8")
        shell = f"{shlex.join(command)}; echo '{EXIT_MARK}'$?']'; sleep 3600"
        full_env = {**env, "TERM": "xterm-256color"}
        full_env.pop("COLUMNS", None)
        full_env.pop("LINES", None)
        self._tmux("-f", str(config), "new-session", "-d", "-x", str(cols), "-y", str(rows), "-c", str(cwd or tmp),
                   shell, env=full_env)  # fmt: skip

    def _tmux(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        return subprocess.run(["tmux", "-S", str(self._socket), *args], check=True, capture_output=True,
                              text=True, env=dict(env) if env is not None else None, timeout=30).stdout  # fmt: skip

    def capture(self) -> list[str]:
        """The rows on screen now (trailing spaces removed; always `rows` of them)."""
        rows = self._tmux("capture-pane", "-p").split("\n")[: self.rows]
        return [r.rstrip() for r in rows] + [""] * (self.rows - len(rows))

    def scrollback(self) -> list[str]:
        """Everything the pane has shown, including what scrolled off the top."""
        return [r.rstrip() for r in self._tmux("capture-pane", "-p", "-S", "-").split("\n")]

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", *keys)

    def wait_for(self, found: Callable[[list[str]], bool], timeout_s: float, what: str) -> list[str]:
        """Poll the screen until `found(rows)`; the rows then. Fails with the last screen after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while True:
            rows = self.capture()
            if found(rows):
                return rows
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}; screen:\n" + "\n".join(rows))
            time.sleep(0.1)

    def exit_code(self, rows: Sequence[str]) -> int | None:
        line = next((r for r in rows if r.startswith(EXIT_MARK)), None)
        return None if line is None else int(line[len(EXIT_MARK) :].rstrip("]"))

    def close(self) -> None:
        subprocess.run(["tmux", "-S", str(self._socket), "kill-server"], capture_output=True, timeout=30)


@dataclass(frozen=True, slots=True)
class Capture:
    at: float  # time.monotonic()
    rows: tuple[str, ...]


class Recorder:
    """Captures `screen` every `every_s` seconds on a thread until `stop()`."""

    def __init__(self, screen: Screen, every_s: float = 0.25) -> None:
        self.captures: list[Capture] = []
        self._screen = screen
        self._every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            at = time.monotonic()
            self.captures.append(Capture(at, tuple(self._screen.capture())))
            self._stop.wait(max(0.0, self._every_s - (time.monotonic() - at)))

    def stop(self) -> list[Capture]:
        self._stop.set()
        self._thread.join(timeout=30)
        return self.captures


def spoken_sections(sections: Sequence[tuple[Section, float, Sequence[str]]], path: Path, *, lead_s: float = 1.0,
                    tail_s: float = 5.0) -> list[Fed]:  # fmt: skip
    """Each section's sentences spoken by espeak-ng and fitted to its length in seconds (by the speaking rate,
    then short pauses after each sentence); written to `path`. Returns each section's start and end, in
    seconds from the start of the file."""
    pcm = silence(lead_s)
    t = lead_s
    fed = []
    part = path.with_name(f"{path.stem}-part.wav")
    for section, length_s, lines in sections:
        wpm = 165
        for _ in range(4):
            spoken = []
            for line in lines:
                subprocess.run(["espeak-ng", "-s", str(wpm), "-w", str(part), line], check=True, capture_output=True)
                spoken.append(load_audio(part).pcm)
            speech_s = sum(len(p) for p in spoken) / 2 / SAMPLE_RATE_HZ
            room_s = length_s - speech_s
            if 0.5 * len(lines) <= room_s <= 1.1 * len(lines):
                break
            wpm = max(110, min(230, round(wpm * speech_s / (length_s - 0.8 * len(lines)))))
        gap_s = max(0.3, room_s / len(lines))
        for p in spoken:
            pcm += p + silence(gap_s)
        end_s = len(pcm) / 2 / SAMPLE_RATE_HZ
        fed.append(Fed(section, t, end_s))
        t = end_s
    part.unlink(missing_ok=True)
    write_wav(path, Recording(pcm + silence(tail_s)))
    return fed


def python_env(**extra: str) -> dict[str, str]:
    """The test process's environment with this worktree first on PYTHONPATH, plus `extra`."""
    root = str(Path(__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    # MOCKINT_SILENT_MIC_S=0: the virtual microphone gives exact zeros until it is fed (conftest.py sets the
    # same for the test process; tmux starts commands with this environment, not the test's).
    return {**os.environ, "MOCKINT_SILENT_MIC_S": "0", "PYTHONPATH": path, **extra}
