"""The benchmarks' word error rate (scripts/wordedits.py)."""

from __future__ import annotations

from conftest import load_script

edits = load_script("wordedits")


def test_word_edits_count_substitutions_insertions_and_deletions() -> None:
    assert edits.word_edits("a b c".split(), "a b c".split()) == 0
    assert edits.word_edits("a b c".split(), "a x c".split()) == 1  # substitution
    assert edits.word_edits("a b c".split(), "a b c d".split()) == 1  # insertion
    assert edits.word_edits("a b c".split(), "a c".split()) == 1  # deletion


def test_wer_is_edits_over_the_reference_length() -> None:
    assert edits.wer("a b c d".split(), "a x c".split()) == 0.5
    assert edits.wer([], []) == 0.0
