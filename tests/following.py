"""How well a live section label followed the speaker: the measure the live-view tests share.

At each sampled moment the label shown is right if it is the section being spoken, or, within `grace_s` of
a section's start, still the section before it (or nothing yet): the label may lag by that much. "Over"
may be shown only for a section whose spoken time has really passed its target.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mockint.star import Section


@dataclass(frozen=True, slots=True)
class Fed:
    """A section as it was spoken: from `start_s` to `end_s` on the turn's clock."""

    section: Section
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class Shown:
    at_s: float
    section: Section | None
    is_over: bool = False


@dataclass(frozen=True, slots=True)
class Following:
    right_share: float  # of the moments sampled within the answer
    false_overs: tuple[Shown, ...]  # "over" shown for a section still within its target
    moments: int
    back_moves: int  # changes to an earlier section than the one shown


def follow_score(shown: Sequence[Shown], fed: Sequence[Fed], targets_s: Mapping[Section, float], *,
                 grace_s: float = 3.0) -> Following:  # fmt: skip
    """Score the labels `shown` (sampled moments, in time order) against the sections `fed`."""
    right = total = back = 0
    false_overs = []
    order = list(Section)
    before: Section | None = None
    for s in shown:
        if s.section is not None and before is not None and order.index(s.section) < order.index(before):
            back += 1
        before = s.section or before
        k = max((i for i, f in enumerate(fed) if f.start_s <= s.at_s), default=None)
        if k is None or s.at_s > fed[-1].end_s:
            continue  # before the first word or after the last: nothing to follow
        true, previous = fed[k], (fed[k - 1].section if k else None)
        total += 1
        if s.section is true.section or (s.at_s - true.start_s < grace_s and s.section in (None, previous)):
            right += 1
        if s.is_over:
            spoken = next((f for f in fed if f.section is s.section), None)
            if spoken is None or min(s.at_s, spoken.end_s) - spoken.start_s <= targets_s[s.section]:
                false_overs.append(s)
    return Following(right / total if total else 0.0, tuple(false_overs), total, back)
