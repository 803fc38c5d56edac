"""Output that never crashes on a narrow encoding: characters the stream cannot encode become ASCII look-alikes.

Windows writes redirected output (a pipe, a file) in the ANSI code page, cp1252 in most of Europe and the
Americas, which has no ✓ ✗ ● ■ ▁…█ → or box lines: printing them raised UnicodeEncodeError. The views keep
their characters; only the streams learn to fall back (a look-alike, else '?'). UTF-8 streams are untouched.
"""

from __future__ import annotations

import codecs
from typing import Any

ERRORS = "mockint-ascii"

# Look-alikes for the characters the views draw; anything else a stream cannot encode becomes "?".
LOOK_ALIKES = {
    "✓": "v", "✗": "x", "●": "*", "■": "#", "░": ".", "→": "->", "↑": "^", "↓": "v",
    "▁": "_", "▂": "_", "▃": ".", "▄": "-", "▅": "-", "▆": "=", "▇": "=", "█": "#",
    "─": "-", "│": "|", "┃": "|", "└": "+", "├": "+",
}  # fmt: skip


def _fall_back(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(LOOK_ALIKES.get(c, "?") for c in bad), error.end


def protect(stream: Any) -> None:
    """Make `stream` (a text stream such as sys.stdout) write look-alikes instead of raising, unless it is UTF."""
    encoding = getattr(stream, "encoding", None)
    reconfigure = getattr(stream, "reconfigure", None)
    if not encoding or reconfigure is None or codecs.lookup(encoding).name.startswith("utf"):
        return
    try:
        codecs.lookup_error(ERRORS)
    except LookupError:
        codecs.register_error(ERRORS, _fall_back)
    reconfigure(errors=ERRORS)
