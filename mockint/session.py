"""An interview session as a value: its turns (prompt, audio file name, transcript) and its score history.

The on-disk shape (`session.json`) is declared here once; `to_dict`/`from_dict` round-trip it and old
schema versions are upgraded by the ordered, named steps in `_UPGRADES`. No I/O: where sessions live, how
they are saved, found and named is store.py; how they are scored, scoring.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mockint.bank import Level
from mockint.errors import SessionError
from mockint.scorecard import ProbeJudgement, Scorecard
from mockint.transcript import Transcript

SCHEMA_VERSION = 1


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
    scorecard: Scorecard | None  # None when the record came from a mockint whose scorecard this one cannot read
    probe_judgements: tuple[ProbeJudgement, ...]
    transcript_digest: str = ""  # scoring.transcript_digest(turns) of the turns scored; "" when unknown
    # The saved scorecard and judgements exactly as read, when this mockint cannot read them (an older
    # rubric's shape): written back unchanged, so loading and saving never loses a past score.
    raw_scorecard: Mapping[str, Any] | None = None
    raw_judgements: tuple[Mapping[str, Any], ...] | None = None


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
        "scorecard": record.scorecard.to_dict() if record.scorecard is not None else dict(record.raw_scorecard or {}),
        "probe_judgements": (
            [j.to_dict() for j in record.probe_judgements] if record.raw_judgements is None
            else [dict(j) for j in record.raw_judgements]
        ),
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
    card: Scorecard | None = None
    judged: tuple[ProbeJudgement, ...] = ()
    raw_card: dict[str, Any] | None = None
    raw_judged: tuple[dict[str, Any], ...] | None = None
    try:
        card = Scorecard.from_dict(scorecard)
        judged = tuple(ProbeJudgement.from_dict(j) for j in judgements)
    except (KeyError, TypeError, ValueError, AttributeError):
        # An older rubric's record (or none at all): kept as it was, shown only by its overall and verdict.
        card, judged, raw_card, raw_judged = None, (), scorecard, tuple(judgements)
    return ScoreRecord(
        scored_at=str(d["scored_at"]),
        rubric_version=str(d["rubric_version"]),
        model=str(d["model"]),
        overall=int(d["overall"]),
        verdict=str(d["verdict"]),
        scorecard=card,
        probe_judgements=judged,
        transcript_digest=str(d.get("transcript_digest", "")),
        raw_scorecard=raw_card,
        raw_judgements=raw_judged,
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


