"""Output redirected on Windows is written in cp1252: every screen that draws ✓ ✗ ● ■ ▁…█ → or box lines must
still print (look-alikes instead of UnicodeEncodeError). Run through PYTHONIOENCODING=cp1252 in a real process."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sessiongen import make_session_folders

from mockint.textout import protect

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, recordings: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "MOCKINT_RECORDINGS": str(recordings), "COLUMNS": "100"}
    return subprocess.run([sys.executable, "-m", "mockint", *args], capture_output=True, env=env, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cp1252") / "recordings"
    make_session_folders(root, 4, ("disagree-and-commit", "broader-impact"))
    return root


@pytest.mark.parametrize("args", [
    ("sessions",),
    ("replay", "last", "--no-audio", "--no-voice"),
    ("questions",),
    ("questions", "broader-impact"),
])  # fmt: skip
def test_screens_print_through_cp1252_without_a_traceback(recordings: Path, args: tuple[str, ...]) -> None:
    run = _run(*args, recordings=recordings)
    assert run.returncode == 0, run.stderr.decode("cp1252", "replace")
    assert b"Traceback" not in run.stderr and run.stdout
    run.stdout.decode("cp1252")  # what was written is valid in the stream's own encoding


def test_sparklines_and_marks_become_look_alikes(recordings: Path) -> None:
    text = _run("sessions", recordings=recordings).stdout.decode("cp1252")
    assert not any(c in text for c in "▁▂▃▄▅▆▇█✓✗→")
    assert any(c in text for c in "_.-=#")


def test_an_error_naming_an_unencodable_path_is_still_one_line(recordings: Path) -> None:
    run = _run("replay", str(recordings / "✓ done"), "--no-audio", recordings=recordings)
    assert run.returncode == 1 and b"Traceback" not in run.stderr
    assert run.stderr.decode("cp1252").startswith("Error: ")


def _through(encoding: str, text: str) -> tuple[str, str]:
    """`text` written to a protected stream in `encoding`: what arrived, and the stream's error handling."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding)
    protect(stream)
    stream.write(text)
    stream.flush()
    return raw.getvalue().decode(encoding), str(stream.errors)


def test_utf8_streams_are_left_alone() -> None:
    assert _through("utf-8", "✓ █") == ("✓ █", "strict")


def test_a_narrow_stream_writes_look_alikes_and_question_marks() -> None:
    assert _through("cp1252", "✓ ok, ✗ no, ▁▄█ → é 漢")[0] == "v ok, x no, _-# -> é ?"
