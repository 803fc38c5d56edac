"""What a batch re-score works on (the session folders and audio files named by the paths it is given),
and what comes of it (each item's result, the summary and its exit code).

Finding only: nothing is opened beyond a directory listing; checking and scoring are rescore.py's.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from mockint.errors import MockintError
from mockint.store import SESSION_FILE
from mockint.userpaths import shown, stat_or_none

AUDIO_SUFFIXES = frozenset({".wav", ".flac", ".mp3"})
EXIT_SKIPPED = 3  # the batch finished but some items were skipped (documented in `mockint rescore --help`)


class ItemKind(StrEnum):
    SESSION = "session"
    AUDIO = "audio"


@dataclass(frozen=True, slots=True)
class Item:
    path: Path
    kind: ItemKind


class ItemStatus(StrEnum):
    RESCORED = "rescored"  # a new score was appended
    UNCHANGED = "unchanged"  # already scored with this rubric, model and transcript: nothing written
    IMPORTED = "imported"  # an audio file became a new, scored session
    SKIPPED = "skipped"  # a bad item; `reason` says why


@dataclass(frozen=True, slots=True)
class ItemResult:
    path: Path
    kind: ItemKind
    status: ItemStatus
    session_id: str | None = None
    question_id: str | None = None
    previous: int | None = None  # the score before this run
    overall: int | None = None  # the current score after this run
    verdict: str | None = None
    reason: str | None = None  # why the item was skipped

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "kind": self.kind.value,
            "status": self.status.value,
            "session_id": self.session_id,
            "question_id": self.question_id,
            "previous": self.previous,
            "overall": self.overall,
            "verdict": self.verdict,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Summary:
    results: tuple[ItemResult, ...]

    def count(self, status: ItemStatus) -> int:
        return sum(1 for r in self.results if r.status is status)

    @property
    def skipped(self) -> tuple[ItemResult, ...]:
        return tuple(r for r in self.results if r.status is ItemStatus.SKIPPED)

    @property
    def exit_code(self) -> int:
        return EXIT_SKIPPED if self.skipped else 0


# --- discovery --------------------------------------------------------------------------------------


def discover(paths: Iterable[Path]) -> tuple[Item, ...]:
    """The items named by `paths`: a session folder, a session.json, an audio file, or a folder of those.

    A folder that is not itself a session is searched one level down: its sub-folders are sessions
    (a sub-folder without session.json is still listed, so it is reported rather than silently ignored)
    and its audio files are answers to import. Other files in it are ignored. Order is stable, duplicates dropped.
    """
    items: list[Item] = []
    for path in paths:
        status = stat_or_none(path, "Path")  # a name too long for the system is an error now, not a traceback
        if status is not None and stat.S_ISDIR(status.st_mode) and not (path / SESSION_FILE).exists():
            try:
                children = sorted(c for c in path.iterdir() if _is_candidate(c))
            except OSError as e:
                raise MockintError(f"Folder '{shown(path)}' cannot be read: {e.strerror or e}. Check its permissions.") from None
            if children:
                items.extend(_as_item(c) for c in children)
                continue
        items.append(_as_item(path))
    seen: set[tuple[Path, ItemKind]] = set()
    unique = []
    for item in items:
        key = (item.path.resolve(), item.kind)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return tuple(unique)


def _is_candidate(child: Path) -> bool:
    if child.name.startswith("."):
        return False
    return child.is_dir() or child.suffix.lower() in AUDIO_SUFFIXES


def _as_item(path: Path) -> Item:
    if path.name == SESSION_FILE:
        return Item(path.parent, ItemKind.SESSION)
    if path.suffix.lower() in AUDIO_SUFFIXES and not path.is_dir():
        return Item(path, ItemKind.AUDIO)
    return Item(path, ItemKind.SESSION)


