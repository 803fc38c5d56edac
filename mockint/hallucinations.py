"""Words the recogniser invented: repetition loops, text over silence, whole segments Whisper itself doubts,
and echoes of the prompt it was given. Finding them, so that a transcript holds only what was said.

Pure and standard library only: words and numbers in, verdicts out. asr.py applies them to each decode;
what a Whisper segment is stays there.

Measured on this machine (Whisper base, int8; ../shared/ASR-NOTES.md and scripts/bench_echo.py):
- 30 s of silence with the filler prompt: "Okay, so, um, so, um, ..." (no-speech 0.74-0.80, compression
  3.8); white noise without it: "I don't know if I'm going to be able to do it, but ..." 181 words
  (no-speech 0.99, compression 11.1); French speech with the prompt: "So, um, here's what I, uh, did".
- Real English speech (jfk.flac, espeak-ng answers): no-speech 0.01-0.11, compression 1.4-1.8.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mockint.text import clean_word, is_filled_pause
from mockint.transcript import Word

# Whisper's own rule (openai/whisper transcribe.py) skips a segment when no_speech_prob > 0.6 AND
# avg_logprob < -1.0; the hallucinations above pass it (-0.55 to -0.89, or -0.2 with compression 11).
# A doubtful segment is dropped when it is also unsure of its words or looping.
NO_SPEECH_MIN = 0.6
UNSURE_LOGPROB = -0.5
LOOPING_COMPRESSION = 2.4  # gzip ratio of the segment's text; Whisper's own fallback threshold
# A word Whisper itself gives almost no chance: the prompt's "Umm," written over a 440 Hz tone came out at
# p = 0.0002-0.0006; the least likely real words in the shared samples were 0.021 and 0.061.
MIN_WORD_PROBABILITY = 0.005
SILENCE_MARGIN_S = 0.3  # word timestamps are off by up to ~0.45 s (ASR-NOTES); a word must miss speech by more
ECHO_MIN_WORDS = 3  # content words in a row copied from the prompt


def is_doubtful_segment(no_speech_prob: float, avg_logprob: float, compression_ratio: float) -> bool:
    """A decoded segment that Whisper thinks holds no speech and that is unsure or looping: invented."""
    return no_speech_prob > NO_SPEECH_MIN and (avg_logprob < UNSURE_LOGPROB or compression_ratio > LOOPING_COMPRESSION)


def repetition_loop(words: Sequence[Word], min_repeats: int = 4, max_ngram: int = 3) -> tuple[int, ...]:
    """Indexes of words Whisper wrote in a repetition loop, which a prompt can trigger on short audio
    (measured: "I'm sorry" 65 times after a 2.4 s piece; "uh," 109 times with a story-like prompt).

    A loop is a run of 1 to `max_ngram` words repeated back to back at least `min_repeats` times;
    the first occurrence is kept. Punctuation-only "words" (". . .") are skipped when comparing.
    A speaker's "uh, uh, uh" (three) is not a loop.
    """
    idx = [k for k, w in enumerate(words) if clean_word(w.text)]
    norms = [clean_word(words[k].text) for k in idx]
    loop: list[int] = []
    i = 0
    while i < len(norms):
        step = 1
        for n in range(1, max_ngram + 1):
            gram = norms[i : i + n]
            reps = 1
            while norms[i + reps * n : i + (reps + 1) * n] == gram:
                reps += 1
            if len(gram) == n and reps >= min_repeats:
                loop.extend(idx[i + n : i + reps * n])
                step = reps * n
                break
        i += step
    return tuple(loop)


def improbable(words: Sequence[Word]) -> tuple[int, ...]:
    """Indexes of words Whisper gave almost no chance of having been said."""
    return tuple(k for k, w in enumerate(words) if w.probability < MIN_WORD_PROBABILITY)


def over_silence(words: Sequence[Word], voiced: Iterable[tuple[float, float]]) -> tuple[int, ...]:
    """Indexes of words that lie wholly in silence, `SILENCE_MARGIN_S` away from any voiced stretch."""
    regions = sorted(voiced)
    out = []
    for k, w in enumerate(words):
        lo, hi = w.start_s - SILENCE_MARGIN_S, w.end_s + SILENCE_MARGIN_S
        if not any(a < hi and b > lo for a, b in regions):
            out.append(k)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Echo:
    """Words [first, last) of a transcript that repeat the prompt, and their time."""

    first: int
    last: int
    start_s: float
    end_s: float


def _content(tokens: Iterable[str]) -> list[str]:
    return [t for t in (clean_word(x) for x in tokens) if t and not is_filled_pause(t)]


def prompt_echoes(words: Sequence[Word], prompt: str) -> tuple[Echo, ...]:
    """Runs of words that copy at least `ECHO_MIN_WORDS` content words of `prompt` in a row (fillers between
    them ignored): "So, um, here's what I, uh, did" against a prompt ending "here's what I, uh, did".

    A speaker may say such words too ("so here's what I did"); asr.py checks each echo against a decode
    without the prompt before dropping it.
    """
    target = _content(prompt.split())
    grams = {tuple(target[i : i + ECHO_MIN_WORDS]) for i in range(len(target) - ECHO_MIN_WORDS + 1)}
    kept = [(k, clean_word(w.text)) for k, w in enumerate(words)]
    kept = [(k, t) for k, t in kept if t and not is_filled_pause(t)]
    echoes: list[Echo] = []
    i = 0
    while i + ECHO_MIN_WORDS <= len(kept):
        if tuple(t for _, t in kept[i : i + ECHO_MIN_WORDS]) not in grams:
            i += 1
            continue
        j = i + ECHO_MIN_WORDS
        while j < len(kept) and any(tuple(t for _, t in kept[j - ECHO_MIN_WORDS + 1 : j + 1]) == g for g in grams):
            j += 1
        first, last = kept[i][0], kept[j - 1][0] + 1
        echoes.append(Echo(first, last, words[first].start_s, words[last - 1].end_s))
        i = j
    return tuple(echoes)


def repair_echoes(words: Sequence[Word], plain: Sequence[Word], prompt: str) -> tuple[tuple[Word, ...], int]:
    """`words` (decoded with `prompt`) with each prompt echo replaced by what the decode without the prompt
    (`plain`) heard in that time; an echo the plain decode also heard was said, and is kept.

    Returns the words and how many echoes were replaced.
    """
    out = list(words)
    replaced = 0
    for echo in reversed(prompt_echoes(words, prompt)):
        lo, hi = echo.start_s - SILENCE_MARGIN_S, echo.end_s + SILENCE_MARGIN_S
        there = [w for w in plain if lo <= (w.start_s + w.end_s) / 2 <= hi]
        if prompt_echoes(there, prompt):
            continue  # the speaker said it
        out[echo.first : echo.last] = [w for w in there if _mid(w) >= _neighbour_end(out, echo.first) and
                                       _mid(w) <= _neighbour_start(out, echo.last)]
        replaced += 1
    return tuple(out), replaced


def _mid(w: Word) -> float:
    return (w.start_s + w.end_s) / 2


def _neighbour_end(words: Sequence[Word], first: int) -> float:
    return words[first - 1].end_s if first > 0 else float("-inf")


def _neighbour_start(words: Sequence[Word], last: int) -> float:
    return words[last].start_s if last < len(words) else float("inf")
