"""STAR sections: the `Section` enum, `Span` (one detected section of a transcript) and `segment()`.

Pure: a `Transcript` in, ordered spans out. No audio, no model download, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mockint.transcript import Transcript, Word


class Section(StrEnum):
    SITUATION = "situation"
    TASK = "task"
    ACTION = "action"
    RESULT = "result"
    REFLECTION = "reflection"


SECTION_ORDER: tuple[Section, ...] = tuple(Section)


@dataclass(frozen=True, slots=True)
class Span:
    """One detected section: its words and its time in the recording.

    `end_s` is the start of the next section's first word (a pause belongs to the section it
    follows); the last span ends at its last word.
    """

    section: Section
    start_s: float
    end_s: float
    words: tuple[Word, ...]

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def segment(transcript: Transcript) -> tuple[Span, ...]:
    """Split a transcript into ordered, non-overlapping STAR spans covering every word."""
    raise NotImplementedError("implemented in the STAR detection issue")
