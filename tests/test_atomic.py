"""Saves survive Windows holding the file: os.replace is patched to fail as it does while Defender, the
indexer or OneDrive has the target open (WinError 5/32 arrive as PermissionError)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sessiongen import make_session

from mockint import atomic, store
from mockint.audio import Recording, read_wav, write_wav
from mockint.errors import SessionError

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


def failing_replace(times: int, error: OSError | None = None) -> tuple[Callable[[Path, Path], None], list[Path]]:
    """os.replace that raises `error` (a sharing violation by default) the first `times` calls."""
    real = os.replace
    calls: list[Path] = []

    def replace(src: Path, dst: Path) -> None:
        calls.append(Path(dst))
        if len(calls) <= times:
            raise error or PermissionError(13, "The process cannot access the file because it is being used by another process", str(dst))
        real(src, dst)

    return replace, calls


@pytest.fixture
def naps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(atomic.time, "sleep", slept.append)
    return slept


def test_a_session_save_is_retried_while_the_file_is_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, naps: list[float]) -> None:
    replace, calls = failing_replace(2)
    monkeypatch.setattr(os, "replace", replace)
    session = make_session("conflict", now=NOW)
    store.save(session, tmp_path)
    assert len(calls) == 3 and naps == [0.05, 0.1]
    assert store.load(tmp_path) == session
    assert not (tmp_path / "session.json.tmp").exists()


def test_a_file_held_for_good_is_one_line_and_the_old_session_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, naps: list[float]
) -> None:
    old = make_session("conflict", now=NOW)
    store.save(old, tmp_path)
    replace, calls = failing_replace(100)
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(SessionError) as caught:
        store.save(make_session("conflict", now=NOW, old_score=40), tmp_path)
    message = str(caught.value)
    assert "Cannot save session" in message and "OneDrive" in message and "\n" not in message
    assert len(calls) == len(atomic.RETRY_DELAYS_S) + 1
    assert store.load(tmp_path) == old and not (tmp_path / "session.json.tmp").exists()


def test_other_errors_are_not_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, naps: list[float]) -> None:
    replace, calls = failing_replace(1, OSError(28, "No space left on device"))
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(SessionError, match="No space left"):
        store.save(make_session("conflict", now=NOW), tmp_path)
    assert len(calls) == 1 and naps == []


def test_a_wav_save_is_retried_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, naps: list[float]) -> None:
    replace, calls = failing_replace(2)
    monkeypatch.setattr(os, "replace", replace)
    recording = Recording(b"\x01\x00" * 1600)
    write_wav(tmp_path / "answer.wav", recording)
    assert read_wav(tmp_path / "answer.wav") == recording and len(calls) == 3
