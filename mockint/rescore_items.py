"""What a batch re-score works on: the session folders and audio files named by the paths it is given.

Finding only: nothing is opened beyond a directory listing; checking and scoring are rescore.py's.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from mockint.errors import MockintError
from mockint.store import SESSION_FILE
from mockint.userpaths import shown, stat_or_none

AUDIO_SUFFIXES = frozenset({".wav", ".flac", ".mp3"})


class ItemKind(StrEnum):
    SESSION = "session"
    AUDIO = "audio"


@dataclass(frozen=True, slots=True)
class Item:
    path: Path
    kind: ItemKind


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


