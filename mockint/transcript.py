"""Words with times: the seam between speech recognition and analysis.

Times are seconds from the start of the recorded answer. Nothing here knows about audio or models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict


class WordDict(TypedDict):
    text: str
    start_s: float
    end_s: float
    probability: float


class _TranscriptRequired(TypedDict):
    words: list[WordDict]
    duration_s: float


class TranscriptDict(_TranscriptRequired, total=False):
    heard_fillers: bool
    voiced: list[list[float]]
    language: str
    language_probability: float


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word. `text` keeps Whisper's punctuation but not its leading space."""

    text: str
    start_s: float
    end_s: float
    probability: float = 1.0

    def to_dict(self) -> WordDict:
        return {
            "text": self.text,
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "probability": round(self.probability, 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Word:
        return cls(
            text=str(data["text"]),
            start_s=float(data["start_s"]),
            end_s=float(data["end_s"]),
            probability=float(data.get("probability", 1.0)),
        )


@dataclass(frozen=True, slots=True)
class Transcript:
    """The words of one spoken turn, in order, and the length of the audio they came from.

    `heard_fillers`: every part was recognised with the filler prompt (asr.FILLER_PROMPT), so um/uh are
    mostly kept. `voiced`: the (start_s, end_s) stretches the voice-activity detector heard as speech;
    empty when unknown. Both let the rubric say how far a filler count or a pause count can be trusted.
    `language`/`language_probability`: the language Whisper heard (ISO code), None when not asked.
    """

    words: tuple[Word, ...]
    duration_s: float
    heard_fillers: bool = False
    voiced: tuple[tuple[float, float], ...] = ()
    language: str | None = None
    language_probability: float | None = None

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def is_empty(self) -> bool:
        return not self.words

    def shifted(self, offset_s: float) -> Transcript:
        """The same words moved `offset_s` later (used to join pieces transcribed separately)."""
        return Transcript(
            words=tuple(
                Word(w.text, w.start_s + offset_s, w.end_s + offset_s, w.probability) for w in self.words
            ),
            duration_s=self.duration_s + offset_s,
            heard_fillers=self.heard_fillers,
            voiced=tuple((a + offset_s, b + offset_s) for a, b in self.voiced),
            language=self.language,
            language_probability=self.language_probability,
        )

    def to_dict(self) -> TranscriptDict:
        data: TranscriptDict = {"words": [w.to_dict() for w in self.words], "duration_s": round(self.duration_s, 3)}
        if self.heard_fillers:
            data["heard_fillers"] = True
        if self.voiced:
            data["voiced"] = [[round(a, 3), round(b, 3)] for a, b in self.voiced]
        if self.language is not None:
            data["language"] = self.language
        if self.language_probability is not None:
            data["language_probability"] = round(self.language_probability, 3)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        return cls(
            words=tuple(Word.from_dict(w) for w in data["words"]),
            duration_s=float(data["duration_s"]),
            heard_fillers=bool(data.get("heard_fillers", False)),
            voiced=tuple((float(a), float(b)) for a, b in data.get("voiced", ())),
            language=None if data.get("language") is None else str(data["language"]),
            language_probability=None if data.get("language_probability") is None else float(data["language_probability"]),
        )


def join(pieces: list[Transcript], duration_s: float) -> Transcript:
    """Concatenate transcripts whose word times are already absolute.

    The result heard fillers only if every piece did, knows its voiced stretches only if every piece did,
    and takes its language from the longest piece whose language was asked.
    """
    has_voiced = bool(pieces) and all(p.voiced or p.is_empty for p in pieces)
    asked = [p for p in pieces if p.language is not None]
    told = max(asked, key=lambda p: len(p.words), default=None)
    return Transcript(
        words=tuple(w for p in pieces for w in p.words),
        duration_s=duration_s,
        heard_fillers=bool(pieces) and all(p.heard_fillers for p in pieces),
        voiced=tuple(v for p in pieces for v in p.voiced) if has_voiced else (),
        language=None if told is None else told.language,
        language_probability=None if told is None else told.language_probability,
    )
