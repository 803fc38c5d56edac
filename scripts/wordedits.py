"""Word-level edit distance for the benchmarks (word error rate between two transcripts)."""

from __future__ import annotations


def word_edits(reference: list[str], hypothesis: list[str]) -> int:
    """Insertions, deletions and substitutions turning `reference` into `hypothesis`."""
    prev = list(range(len(hypothesis) + 1))
    for i, r in enumerate(reference, 1):
        cur = [i] + [0] * len(hypothesis)
        for j, h in enumerate(hypothesis, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def wer(reference: list[str], hypothesis: list[str]) -> float:
    """Word error rate: word edits over the reference length."""
    return word_edits(reference, hypothesis) / max(len(reference), 1)
