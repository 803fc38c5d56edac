"""Words and sentences of an answer as text: normalising, phrase matching, sentences, the m:ss clock.

Pure and standard library only. One definition of each small text idea that the segmenter, the checks,
the probes and the views share; what the phrases *mean* (the rubric's lists) lives in rubric.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mockint.transcript import Word

# Stripped from both ends of a word: quotes, brackets, sentence and clause punctuation, dashes.
EDGE_PUNCTUATION = "\"“”‘'`()[]{}.,;:!?…-–—* \t"
_CLOSERS = "\"')]”’"
SENTENCE_ENDS = (".", "?", "!", "…")

# The filler words (the one list: the segmenter skips them, the debrief counts them). Elongations
# ("ummm", "uhhh") match after repeated letters are collapsed; the CONTEXTUAL ones count only where
# `fillers.find_fillers` says.
FILLERS: tuple[str, ...] = (
    "um", "umm", "uh", "uhh", "uhm", "erm", "er", "ah", "eh", "hmm", "hm", "mm", "mhm",
    "like", "you know", "i mean", "so",
)  # fmt: skip

# These are usually ordinary words; they count only in the positions `find_fillers` documents.
CONTEXTUAL: frozenset[str] = frozenset({"like", "you know", "i mean", "so"})
_SINGLES = frozenset(re.sub(r"(.)\1+", r"\1", e) for e in FILLERS if " " not in e and e not in CONTEXTUAL)

# A filled pause Whisper may spell in any length: um, umm, uhm, uh, er, erm, ah, hmm, mm, eh.
_FILLED_PAUSE = re.compile(r"^(?:u+h*m+|u+h+|e+r+m*|a+h+|h+m+|m{2,}h*m*|e+h+)$")


def clean_word(token: str) -> str:
    """A word as the rules compare it: lower case, straight apostrophe, no edge punctuation ("Team’s," -> "team's")."""
    return token.replace("’", "'").lower().strip(EDGE_PUNCTUATION)


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces, curly apostrophes straightened, edge punctuation off."""
    tokens = (clean_word(t) for t in text.replace("—", " ").split())
    return " ".join(t for t in tokens if t)


def ends_sentence(token: str) -> bool:
    """Whether a word (as Whisper writes it, punctuation attached) ends a sentence."""
    return token.rstrip(_CLOSERS).endswith(SENTENCE_ENDS)


def find_phrase(norm_text: str, phrases: Iterable[str]) -> str | None:
    """The first phrase found in `norm_text` on word boundaries, or None."""
    padded = f" {norm_text} "
    return next((p for p in phrases if f" {p} " in padded), None)


def said_span(text: str, norm_phrase: str) -> str:
    """The words of `text` that `norm_phrase` (as `normalise` writes it) matched, as they were said:
    said_span("My manager suggested I look", "my manager suggested") == "My manager suggested"."""
    tokens = text.replace("—", " ").split()
    cleaned = [clean_word(t) for t in tokens]
    want = norm_phrase.split()
    for i in range(len(tokens) - len(want) + 1):
        if cleaned[i : i + len(want)] == want:
            return " ".join(tokens[i : i + len(want)]).strip(EDGE_PUNCTUATION)
    return norm_phrase


def count_phrases(norm_text: str, phrases: Iterable[str]) -> int:
    """Occurrences of the phrases, longest first, without counting a word twice."""
    padded = f" {norm_text} "
    n = 0
    for p in sorted(phrases, key=len, reverse=True):
        key = f" {p} "
        n += padded.count(key)
        padded = padded.replace(key, " | ")
    return n


_NUMBER_RE = re.compile(r"[$€£]?\d[\d,.]*[%k]?|[$€£]")


def count_numbers(norm_text: str) -> int:
    """Numbers written with digits or currency signs ("0.3%", "$8K", "120")."""
    return len(_NUMBER_RE.findall(norm_text))


def has_number(norm_text: str, number_words: Iterable[str]) -> bool:
    """A digit, a currency sign or a number word ("three", "half") in the text."""
    return bool(_NUMBER_RE.search(norm_text)) or find_phrase(norm_text, number_words) is not None


def content_words(norm_text: str, stopwords: frozenset[str]) -> set[str]:
    """Words that carry the story (4+ letters, not stop words, no digits), plural "s" dropped."""
    words = set()
    for t in norm_text.split():
        t = t.strip("'")
        if t.endswith("'s"):
            t = t[:-2]
        if len(t) >= 4 and t not in stopwords and not any(c.isdigit() for c in t):
            words.add(t[:-1] if t.endswith("s") and len(t) > 4 else t)
    return words


def subject_before_i(norm_text: str, subjects: Iterable[str], i_words: Iterable[str]) -> bool:
    """One of `subjects` ("we", "they") comes before any first-person word: they, not I, did it.

    "I found we prepped too much" is mine; "We fixed it and I tested it" is theirs.
    """
    tokens = norm_text.split()
    wanted, mine = set(subjects), set(i_words)
    at = next((i for i, t in enumerate(tokens) if t in wanted), None)
    i_at = next((i for i, t in enumerate(tokens) if t in mine), None)
    return at is not None and (i_at is None or at < i_at)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the transcript: its words as said, normalised, and its time in the recording."""

    text: str
    norm: str
    start_s: float
    end_s: float


SENTENCE_GAP_S = 1.0  # a silence this long ends a sentence even when Whisper gave no full stop


def split_sentences(words: Sequence[Word]) -> list[Sentence]:
    """Sentences at sentence punctuation and at silences of `SENTENCE_GAP_S` or more."""
    out: list[Sentence] = []
    current: list[Word] = []

    def flush() -> None:
        if current:
            said = " ".join(w.text.strip() for w in current).strip()
            out.append(Sentence(said, normalise(said), current[0].start_s, current[-1].end_s))
            current.clear()

    for i, w in enumerate(words):
        if current and w.start_s - current[-1].end_s >= SENTENCE_GAP_S:
            flush()
        current.append(w)
        if ends_sentence(w.text.strip()) or i == len(words) - 1:
            flush()
    return out


def is_filled_pause(token: str) -> bool:
    """True for um/uh/er/ah/hmm in any spelling and hyphenated runs ("um-um")."""
    parts = [p for p in clean_word(token).split("-") if p]
    return bool(parts) and all(_FILLED_PAUSE.match(p) or _collapse(p) in _SINGLES for p in parts)


def _collapse(s: str) -> str:
    """Repeated letters collapsed: "ummm" -> "um", "uhh" -> "uh", "hmm" -> "hm"."""
    return re.sub(r"(.)\1+", r"\1", s)


def clock(seconds: float | None) -> str:
    """m:ss, rounded to the nearest second ("-" for no time). The one clock format on every screen."""
    if seconds is None:
        return "-"
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"
