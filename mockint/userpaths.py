"""Paths the user names (files to read, files and folders to write), checked before any work starts.

A bad path is one line naming it and what to do (`MockintError`, or the caller's subclass), never a traceback
half-way through: a name too long for the system, a folder where a file is wanted, a pipe or a device (which
would block a reader forever), a file that cannot be read, a folder that cannot be written.
"""

from __future__ import annotations

import errno
import os
import stat
import uuid
from pathlib import Path

from mockint.errors import MockintError

_SHOWN_CHARS = 80  # a longer path is shortened in messages: the line stays readable


def shown(path: Path | str) -> str:
    """The path as the user gave it, shortened in the middle when very long."""
    text = str(path)
    if len(text) <= _SHOWN_CHARS:
        return text
    return f"{text[:40]}…{text[-30:]} ({len(text)} characters)"


def _os_problem(path: Path, what: str, e: OSError) -> str:
    if e.errno == errno.ENAMETOOLONG:
        return f"{what} '{shown(path)}': the path is too long for this system. Use a shorter path."
    if e.errno in (errno.EACCES, errno.EPERM):
        return f"{what} '{shown(path)}' cannot be opened: permission denied. Check its permissions."
    if e.errno == errno.ELOOP:
        return f"{what} '{shown(path)}' is a loop of symbolic links. Fix the link or pass the real path."
    return f"{what} '{shown(path)}' cannot be used: {e.strerror or e}. Check the path."


def stat_or_none(path: Path, what: str, error: type[MockintError] = MockintError) -> os.stat_result | None:
    """The path's status, or None when nothing is there; `error` for a path the system refuses."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as e:
        raise error(_os_problem(path, what, e)) from None


def input_file(path: Path, what: str, hint: str, error: type[MockintError] = MockintError) -> int:
    """The size of `path`, a regular file that can be read; `error` naming it otherwise.

    `what` names the kind of file ("Audio file"); `hint` says what to do ("Pass a WAV, FLAC or MP3 recording.").
    """
    status = stat_or_none(path, what, error)
    if status is None:
        raise error(f"{what} '{shown(path)}' does not exist. Check the path.")
    if stat.S_ISDIR(status.st_mode):
        raise error(f"{what} '{shown(path)}' is a folder, not a file. {hint}")
    if not stat.S_ISREG(status.st_mode):
        raise error(f"{what} '{shown(path)}' is not a regular file (a pipe, socket or device). {hint}")
    if not os.access(path, os.R_OK):
        raise error(f"{what} '{shown(path)}' cannot be read: permission denied. Check its permissions.")
    return status.st_size


def output_file(path: Path, what: str, error: type[MockintError] = MockintError) -> None:
    """Raise `error` unless `path` can be written: its folder exists and is writable, and it is not a folder."""
    status = stat_or_none(path, what, error)
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise error(f"{what} '{shown(path)}' is a folder. Pass a file name.")
    folder = path.parent
    folder_status = stat_or_none(folder, what, error)
    if folder_status is None or not stat.S_ISDIR(folder_status.st_mode):
        raise error(f"Cannot write {what} '{shown(path)}': folder '{shown(folder)}' does not exist. Create it or pass another path.")
    if not os.access(folder, os.W_OK):
        raise error(f"Cannot write {what} '{shown(path)}': folder '{shown(folder)}' is not writable. Pass another path.")


def output_folder(folder: Path, what: str, hint: str, error: type[MockintError] = MockintError) -> Path:
    """`folder`, created if missing, after writing and removing a probe file in it: a file in its place, a
    read-only disk or a folder without write permission is `error` now, not after the work is done."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise error(f"{what} '{shown(folder)}' is a file, not a folder. {hint}") from None
    except OSError as e:
        raise error(f"Cannot create {what.lower()} '{shown(folder)}': {e.strerror or e}. {hint}") from None
    probe = folder / f".mockint-write-check-{uuid.uuid4().hex[:8]}"
    try:
        with open(probe, "wb") as f:
            f.write(b"ok")
    except OSError as e:
        raise error(f"{what} '{shown(folder)}' cannot be written: {e.strerror or e}. {hint}") from None
    finally:
        try:
            probe.unlink(missing_ok=True)
        except OSError:
            pass
    return folder
