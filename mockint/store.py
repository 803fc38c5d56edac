"""Where sessions live on disk: new ids and folders, atomic saves, loading, scanning and finding.

The only module that reads or writes session.json. A session's folder holds its session.json and one WAV
per spoken turn; the folder is storage, not part of the `Session` value (session.py).
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mockint import atomic
from mockint.errors import SessionError
from mockint.session import Session, from_dict, to_dict
from mockint.userpaths import shown, stat_or_none

SESSION_FILE = "session.json"


# --- ids and folders ------------------------------------------------------------------------------------------

_SLUG_BAD = re.compile(r"[^a-z0-9]+")


def new_session_id(now: datetime, question_id: str, taken: Collection[str] = ()) -> str:
    """`YYYYMMDD-HHMMSS-<question slug>`, with `-2`, `-3`… appended if the id is already in `taken`."""
    slug = _SLUG_BAD.sub("-", question_id.casefold()).strip("-") or "session"
    base = f"{now:%Y%m%d-%H%M%S}-{slug}"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def session_folder(root: Path, now: datetime, question_id: str) -> tuple[str, Path]:
    """A new, unused session id and its folder under `root` (created). Raises SessionError if it cannot be made."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        taken: Collection[str] = {p.name for p in root.iterdir()}
        session_id = new_session_id(now, question_id, taken)
        folder = root / session_id
        folder.mkdir()
    except OSError as e:
        raise SessionError(f"Cannot create a session folder in '{shown(root)}': {e.strerror or e}. "
                           "Set MOCKINT_RECORDINGS to a folder you can write to.") from None
    return session_id, folder


# --- saving and loading ---------------------------------------------------------------------------------------


def save(session: Session, folder: Path) -> None:
    """Write `folder/session.json` atomically: a crash leaves the old file or the new one, never half of one."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SESSION_FILE
    tmp = folder / (SESSION_FILE + ".tmp")
    # No indent: json's C encoder only runs without one, and it is most of the cost of a batch rescore.
    text = json.dumps(to_dict(session), ensure_ascii=False)
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        atomic.replace(tmp, path)  # retried while Windows' scanners hold the file
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise SessionError(
            f"Cannot save session '{path}': {e.strerror or e}. Another program (antivirus, search indexer, "
            "OneDrive) may hold it, or the disk is full; the recordings beside it are kept. Try again."
        ) from e
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    # The folder itself is not fsynced: after a power cut the rename may be lost, which leaves the old,
    # complete file. That is the promise (old or new, never half), and it halves the fsyncs of a batch.


def load(folder: Path) -> Session:
    """Read `folder/session.json`. Raises SessionError with a one-line message if missing, corrupt or newer."""
    path = folder / SESSION_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SessionError(f"No {SESSION_FILE} in '{folder}': not a saved session. Check the path or run 'mockint sessions'.") from None
    except OSError as e:
        raise SessionError(f"Cannot read session '{path}': {e.strerror or e}. Check the file's permissions.") from None
    if not raw.strip():
        raise SessionError(f"Session '{path}' is empty (the save was interrupted). Delete the folder or re-record.")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        where = f" (line {e.lineno})" if isinstance(e, json.JSONDecodeError) else ""
        where = " (nested too deeply)" if isinstance(e, RecursionError) else where
        raise SessionError(f"Session '{path}' is not valid JSON{where}. The file is damaged: delete the folder or restore it.") from None
    return from_dict(data, f"'{path}'")


# --- finding saved sessions -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stored:
    """A loaded session and the folder it was loaded from (its audio files are relative to it)."""

    folder: Path
    session: Session


@dataclass(frozen=True, slots=True)
class Unreadable:
    folder: Path
    reason: str


def _session_folders(root: Path) -> list[Path]:
    what = "Recordings folder"
    status = stat_or_none(root, what, SessionError)
    if status is None:
        return []
    if not stat.S_ISDIR(status.st_mode):
        raise SessionError(f"{what} '{shown(root)}' is a file, not a folder. Set MOCKINT_RECORDINGS to a folder.")
    try:
        return sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)
    except OSError as e:
        raise SessionError(f"{what} '{shown(root)}' cannot be read: {e.strerror or e}. Check its permissions.") from None


def scan(root: Path) -> tuple[tuple[Stored, ...], tuple[Unreadable, ...]]:
    """Every session folder directly under `root`: the ones that load, and why the others do not."""
    stored: list[Stored] = []
    bad: list[Unreadable] = []
    for folder in _session_folders(root):
        try:
            stored.append(Stored(folder, load(folder)))
        except SessionError as e:
            bad.append(Unreadable(folder, str(e)))
    return tuple(stored), tuple(bad)


def find(root: Path, name: str) -> Stored:
    """A session named by its folder path, its id, a unique prefix of its id, or "last" (the newest that loads).

    Raises SessionError when nothing or more than one session matches.
    """
    as_path = Path(name).expanduser()
    if stat_or_none(as_path / SESSION_FILE, "Session", SessionError) is not None or ("/" in name and as_path.is_dir()):
        return Stored(as_path, load(as_path))
    folders = _session_folders(root)
    if not folders:
        raise SessionError(f"No saved sessions in '{root}'. Record one with 'mockint practice' or set MOCKINT_RECORDINGS.")
    if name == "last":
        newest_first = sorted(folders, key=lambda p: p.name, reverse=True)
        for folder in newest_first:
            try:
                return Stored(folder, load(folder))
            except SessionError:
                continue
        raise SessionError(f"None of the {len(folders)} session folders in '{root}' can be read. Run 'mockint sessions' to see why.")
    exact = [p for p in folders if p.name == name]
    matches = exact or [p for p in folders if p.name.startswith(name)]
    if not matches:
        raise SessionError(f"No session '{name}' in '{root}'. Run 'mockint sessions' to list them, or pass a session folder.")
    if len(matches) > 1:
        shown = ", ".join(p.name for p in matches[:3]) + (", ..." if len(matches) > 3 else "")
        raise SessionError(f"'{name}' matches {len(matches)} sessions ({shown}). Type more of the id.")
    return Stored(matches[0], load(matches[0]))
