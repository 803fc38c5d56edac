"""A saved interview session: its turns (prompt, audio file name, transcript) and its score history.

The on-disk shape (`session.json`) is declared here once; `to_dict`/`from_dict` round-trip it and old
schema versions are upgraded by the ordered, named steps in `_UPGRADES`. The only I/O is `save()`/`load()` (and
`scan()`/`find()`, which load the folders under a recordings root): audio is never read or written here, and
the folder a session lives in is storage, not part of the value.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from mockint.bank import Level, Question
from mockint.errors import SessionError
from mockint.transcript import Transcript

SCHEMA_VERSION = 1
SESSION_FILE = "session.json"


class TurnKind(StrEnum):
    ANSWER = "answer"
    PROBE = "probe"


@dataclass(frozen=True, slots=True)
class Turn:
    """One spoken exchange: what was asked, where its audio is, and what was heard."""

    kind: TurnKind
    prompt: str  # the question or probe text that was spoken/printed
    audio_file: str | None  # file name inside the session folder; None if no audio was kept
    transcript: Transcript  # times are seconds from the start of this turn's audio
    probe_index: int | None = None  # index into question.probes for a probe turn


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    """One scoring of the session. Rescoring appends a record; it never overwrites one."""

    scored_at: str  # ISO-8601
    rubric_version: str
    model: str  # the speech model that produced the transcript scored
    overall: int
    verdict: str
    scorecard: dict[str, Any]  # Scorecard.to_dict(), kept as a dict so old rubric outputs still load
    probe_judgements: list[dict[str, Any]]
    transcript_digest: str = ""  # transcript_digest(turns) of the turns scored; "" when unknown


@dataclass(frozen=True, slots=True)
class Session:
    id: str  # e.g. "20261125-173012-disagree-and-commit": sortable, unique (see new_session_id)
    created_at: str  # ISO-8601 with UTC offset
    question_id: str
    level: Level
    lp: str | None
    model: str  # speech model name/path used when recorded
    turns: tuple[Turn, ...]  # answer first, then probes in order
    scores: tuple[ScoreRecord, ...]  # history; the last is current
    is_complete: bool = True  # False when saved after Ctrl-C or a crash

    @property
    def answer(self) -> Turn | None:
        return next((t for t in self.turns if t.kind is TurnKind.ANSWER), None)

    @property
    def probe_turns(self) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.kind is TurnKind.PROBE)

    @property
    def latest_score(self) -> ScoreRecord | None:
        return self.scores[-1] if self.scores else None


# --- ids ------------------------------------------------------------------------------------------

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


# --- serialisation ---------------------------------------------------------------------------------


def _turn_to_dict(turn: Turn) -> dict[str, Any]:
    return {
        "kind": turn.kind.value,
        "prompt": turn.prompt,
        "audio_file": turn.audio_file,
        "transcript": turn.transcript.to_dict(),
        "probe_index": turn.probe_index,
    }


def _score_to_dict(record: ScoreRecord) -> dict[str, Any]:
    return {
        "scored_at": record.scored_at,
        "rubric_version": record.rubric_version,
        "model": record.model,
        "overall": record.overall,
        "verdict": record.verdict,
        "scorecard": record.scorecard,
        "probe_judgements": record.probe_judgements,
        "transcript_digest": record.transcript_digest,
    }


def to_dict(session: Session) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "id": session.id,
        "created_at": session.created_at,
        "question_id": session.question_id,
        "level": session.level.value,
        "lp": session.lp,
        "model": session.model,
        "is_complete": session.is_complete,
        "turns": [_turn_to_dict(t) for t in session.turns],
        "scores": [_score_to_dict(s) for s in session.scores],
    }


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """v0 (the first prototype): flat answer-only records.

    v0 kept one answer per file: `question`, `level`, `created`, `audio`, a flat `transcript` string,
    `words` as `[text, start, end]` lists, `duration`, and an optional `score` with `overall`/`verdict`/
    `rubric`. It had no probes, no model name and no LP angle.
    """
    words = [
        {"text": str(w[0]), "start_s": float(w[1]), "end_s": float(w[2]), "probability": 1.0}
        for w in data.get("words", [])
    ]
    if not words and data.get("transcript"):
        # Some v0 files kept only the text: spread its words evenly over the recording.
        texts = str(data["transcript"]).split()
        step = float(data.get("duration", 0.0)) / max(len(texts), 1)
        words = [
            {"text": t, "start_s": i * step, "end_s": (i + 1) * step, "probability": 1.0} for i, t in enumerate(texts)
        ]
    created = str(data["created"])
    scores = []
    old = data.get("score")
    if isinstance(old, dict):
        scores.append(
            {
                "scored_at": created,
                "rubric_version": str(old.get("rubric", "v0")),
                "model": "unknown",
                "overall": int(old["overall"]),
                "verdict": str(old.get("verdict", "")),
                "scorecard": {},
                "probe_judgements": [],
                "transcript_digest": "",
            }
        )
    return {
        "schema_version": 1,
        "id": str(data["id"]),
        "created_at": created,
        "question_id": str(data["question"]),
        "level": str(data.get("level", Level.SDE2.value)),
        "lp": None,
        "model": "unknown",
        "is_complete": True,
        "turns": [
            {
                "kind": TurnKind.ANSWER.value,
                "prompt": str(data.get("prompt", "")),
                "audio_file": data.get("audio"),
                "transcript": {"words": words, "duration_s": float(data.get("duration", 0.0))},
                "probe_index": None,
            }
        ],
        "scores": scores,
    }


# Ordered: _UPGRADES[n] turns version n into version n + 1. Never edit a step once released; add one.
_UPGRADES: tuple[Callable[[dict[str, Any]], dict[str, Any]], ...] = (_v0_to_v1,)
assert len(_UPGRADES) == SCHEMA_VERSION


def _schema_version(data: dict[str, Any], source: str) -> int:
    if "schema_version" not in data:
        return 0  # v0 had no version field
    version = data["schema_version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise SessionError(f"Session {source}: schema_version {version!r} is not a version number. The file is damaged.")
    if version > SCHEMA_VERSION:
        raise SessionError(
            f"Session {source} uses format version {version}, newer than this mockint reads ({SCHEMA_VERSION}). "
            "Upgrade mockint to open it."
        )
    return version


def _audio_name(value: Any) -> str | None:
    if value is None:
        return None
    name = str(value)
    # A file name inside the session folder, never a path: replay and rescore open it relative to the folder.
    if not name or "/" in name or "\\" in name or name in {".", ".."}:
        raise ValueError(f"audio_file {name!r} is not a plain file name")
    return name


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _turn_from_dict(d: dict[str, Any]) -> Turn:
    return Turn(
        kind=TurnKind(d["kind"]),
        prompt=str(d["prompt"]),
        audio_file=_audio_name(d.get("audio_file")),
        transcript=Transcript.from_dict(d["transcript"]),
        probe_index=_optional_int(d.get("probe_index")),
    )


def _score_from_dict(d: dict[str, Any]) -> ScoreRecord:
    scorecard = d.get("scorecard", {})
    judgements = d.get("probe_judgements", [])
    if not isinstance(scorecard, dict) or not isinstance(judgements, list):
        raise TypeError("scorecard must be an object and probe_judgements a list")
    return ScoreRecord(
        scored_at=str(d["scored_at"]),
        rubric_version=str(d["rubric_version"]),
        model=str(d["model"]),
        overall=int(d["overall"]),
        verdict=str(d["verdict"]),
        scorecard=scorecard,
        probe_judgements=judgements,
        transcript_digest=str(d.get("transcript_digest", "")),
    )


def from_dict(data: Any, source: str) -> Session:
    """Validate and build a Session from its JSON shape, upgrading older schema versions first.

    `source` names the file in messages. Raises SessionError (one line) for anything it cannot read.
    """
    if not isinstance(data, dict):
        raise SessionError(f"Session {source}: expected a JSON object, found {type(data).__name__}. The file is damaged.")
    version = _schema_version(data, source)
    try:
        for step in _UPGRADES[version:]:
            data = step(data)
        turns = data["turns"]
        scores = data["scores"]
        if not isinstance(turns, list) or not isinstance(scores, list):
            raise TypeError("turns and scores must be lists")
        return Session(
            id=str(data["id"]),
            created_at=str(data["created_at"]),
            question_id=str(data["question_id"]),
            level=Level(data["level"]),
            lp=None if data.get("lp") is None else str(data["lp"]),
            model=str(data["model"]),
            turns=tuple(_turn_from_dict(t) for t in turns),
            scores=tuple(_score_from_dict(s) for s in scores),
            is_complete=bool(data.get("is_complete", True)),
        )
    except KeyError as e:
        raise SessionError(f"Session {source}: missing field {e.args[0]!r}. The file is damaged or not a mockint session.") from None
    except (TypeError, ValueError, IndexError, AttributeError) as e:
        raise SessionError(f"Session {source}: invalid content ({e}). The file is damaged or not a mockint session.") from None


# --- storage ---------------------------------------------------------------------------------------


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
        os.replace(tmp, path)
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
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        where = f" (line {e.lineno})" if isinstance(e, json.JSONDecodeError) else ""
        raise SessionError(f"Session '{path}' is not valid JSON{where}. The file is damaged: delete the folder or restore it.") from None
    return from_dict(data, f"'{path}'")


# --- scoring ---------------------------------------------------------------------------------------


def transcript_digest(turns: tuple[Turn, ...]) -> str:
    """A short fingerprint of every turn's words and times: equal digests mean the same thing was scored."""
    # Formatted to the digits the file keeps (Word.to_dict rounds the same way), so a transcript fresh
    # from ASR and the same one loaded back from session.json have the same digest.
    parts = []
    for t in turns:
        parts.append(f"\x1e{t.transcript.duration_s:.3f}")
        parts.extend(f"\x1d{w.text}\x1f{w.start_s:.3f}\x1f{w.end_s:.3f}\x1f{w.probability:.4f}" for w in t.transcript.words)
    return hashlib.sha256("".join(parts).encode("utf-8")).hexdigest()[:16]


def score_session(
    session: Session,
    question: Question,
    *,
    rubric: Any = None,
    model: str | None = None,
    now: datetime,
) -> Session:
    """Score the answer (and judge each probe answer) and append a ScoreRecord.

    Idempotent: if the latest record already has this rubric version, this model and these transcripts,
    the session is returned unchanged (the same object), so callers can skip saving.
    `model` names the speech model that made the transcripts (default: the one that recorded the session).
    Raises SessionError if the session has no answer or refers to a probe the question does not have.
    """
    from mockint import rubric as rubric_mod
    from mockint import star

    answer = session.answer
    if answer is None:
        raise SessionError(f"Session '{session.id}' has no recorded answer to score. Re-record it with 'mockint practice'.")
    used_model = model if model is not None else session.model
    version = str(getattr(rubric, "version", None) or rubric_mod.RUBRIC_VERSION)
    digest = transcript_digest(session.turns)
    latest = session.latest_score
    if latest is not None and (latest.rubric_version, latest.model, latest.transcript_digest) == (version, used_model, digest):
        return session

    spans = star.segment(answer.transcript)
    card = rubric_mod.score(answer.transcript, spans, question, session.level, lp=session.lp, rubric=rubric)
    judgements: list[dict[str, Any]] = []
    if any(t.probe_index is not None for t in session.probe_turns):
        from mockint import probes as probes_mod
    for turn in session.probe_turns:
        if turn.probe_index is None:
            continue
        if not 0 <= turn.probe_index < len(question.probes):
            raise SessionError(
                f"Session '{session.id}' has an answer to probe {turn.probe_index + 1}, but question "
                f"'{question.id}' has {len(question.probes)} probes. Was the question file changed?"
            )
        judgements.append(probes_mod.judge_probe(question.probes[turn.probe_index], turn.transcript, rubric).to_dict())
    record = ScoreRecord(
        scored_at=now.isoformat(timespec="seconds"),
        rubric_version=version,
        model=used_model,
        overall=int(card.overall),
        verdict=str(card.verdict),
        scorecard=card.to_dict(),
        probe_judgements=judgements,
        transcript_digest=digest,
    )
    return replace(session, scores=(*session.scores, record))


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
    if not root.is_dir():
        return []
    return sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)


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
    if (as_path / SESSION_FILE).is_file() or ("/" in name and as_path.is_dir()):
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
