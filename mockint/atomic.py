"""Replacing a file atomically on every OS: `os.replace`, retried while Windows holds the target.

On Windows a rename onto a file fails with WinError 5 (access denied) or 32 (sharing violation) while
Defender, the search indexer or OneDrive has the file open for a moment after it was written; on POSIX a
rename never waits for readers. Callers write a temporary file first, then call `replace`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

# About 3 s in all: scanners release a new file within a second or two.
RETRY_DELAYS_S = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)


def replace(
    src: Path, dst: Path, *, delays_s: Sequence[float] = RETRY_DELAYS_S, sleep: Callable[[float], None] | None = None
) -> None:
    """os.replace(src, dst), tried again after each of `delays_s` while it raises PermissionError.

    Raises the last PermissionError when every try failed, and any other OSError at once.
    """
    wait = sleep or time.sleep
    for delay_s in (*delays_s, None):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if delay_s is None:
                raise
            wait(delay_s)
