"""Filler words: finding them in a transcript, and estimating the speech Whisper left without words.

Pure and standard library only. Audio never comes here: voice activity arrives as (start_s, end_s)
regions, words as a `Transcript`. What counts as a filler is documented on `find_fillers`.

Why a count is a lower bound. Whisper is trained on cleaned-up transcripts and drops real speakers'
"um"/"uh" (faster-whisper issues #319, #901). A prompt written with fillers (`asr.FILLER_PROMPT`) makes it
write many of them back; `scripts/bench_fillers.py` measures how many. Voiced time that no word covers
("unheard speech") is where dropped fillers and mumbles hide, so the report says "at least N" and names
that time instead of ever claiming there were no fillers.

Measured (`scripts/bench_fillers.py`, Whisper base int8; its docstring describes the clips):
- Synthetic filled pauses closer to real ones (long, low, quiet vowels spliced into espeak-ng speech):
  plain Whisper wrote 8 of 24, with `FILLER_PROMPT` 24 of 24, no false ones. espeak-ng reading "um,"
  inline: 1 of 12 -> 10 of 12 (the rest were misheard as words: "leading them, my ratio").
- Real lecture (60 s, no reference): plain 0 fillers, prompt 2 ("uh", "um"), both where plain Whisper
  had stretched a neighbouring word over voiced audio ("that" lasting 1.6 s); 0 of 115 other words changed.
- Filler-free speech (espeak-ng sentences, a 2-minute answer with long pauses, jfk.flac): no false
  fillers; word error on the other words of clips of 8 s or more 10.2% -> 10.9% (966 words); CPU
  0.7-1.1x plain per set of clips.
- Short pieces (1-2.5 s): the prompt sometimes sends Whisper into a loop ("I'm sorry" 65 times, runs of
  ". . ."), costing 4-7x the CPU; `repetition_loop` drops such runs and makes the count unreliable.
  A story-like prompt looped "uh," 109 times; a bare "Um, uh, hmm." prompt dropped three sentences of
  the 2-minute answer and found neither lecture filler.
- Unheard speech found only 3 of the 16 synthetic fillers plain Whisper dropped (it usually stretches a
  neighbouring word over them), and webrtcvad counts crowd noise as speech (0.8 s on jfk.flac): it is a
  caveat for the note, not a count.

Recommended default: transcribe the practice answer with `AsrOptions(keep_fillers=True)` (the
product's `FILLER_PROMPT`, not another variant) when the audio is at least a few seconds long (no loops
at 8 s and over; short live pieces decoded plainly), call `report(transcript, heard_with_prompt=...,
speech=<VAD regions>)`, and show `FillerReport.note`: "N fillers" only when the
count is reliable, otherwise "At least N fillers (...)", never "no fillers" unless reliable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mockint.hallucinations import repetition_loop
from mockint.text import SENTENCE_ENDS, clean_word, ends_sentence, is_filled_pause
from mockint.transcript import Transcript, Word




# Before "like": it is a verb or a comparison, not a filler ("I'd like", "looks like", "things like").
_LIKE_NOT_AFTER = frozenset({
    "i", "you", "we", "they", "he", "she", "would", "i'd", "we'd", "you'd", "they'd", "don't", "didn't",
    "doesn't", "do", "does", "did", "to", "look", "looks", "looked", "looking", "feel", "feels", "felt",
    "seem", "seems", "seemed", "sound", "sounds", "sounded", "something", "anything", "nothing", "more",
    "much", "just", "exactly", "things", "stuff", "thing",
})  # fmt: skip
# After "like": an intensifier marks the filler use ("it was, like, really slow" / "and like totally").
_LIKE_FILLER_BEFORE = frozenset({"really", "super", "totally", "literally", "very", "so", "basically"})
# Before "you know": a real question or statement about knowing ("do you know", "as you know", "let you know").
_YOU_KNOW_NOT_AFTER = frozenset({
    "do", "does", "did", "don't", "didn't", "doesn't", "if", "as", "whether", "what", "how", "let", "to",
    "would", "will", "could", "should", "can", "might", "may", "i'll", "we'll", "that",
})  # fmt: skip
_I_MEAN_NOT_AFTER = frozenset({"what", "which", "that", "if", "do", "did", "don't"})


@dataclass(frozen=True, slots=True)
class FillerHit:
    """One filler heard: its normalised text ("um", "you know") and its time in the recording."""

    text: str
    start_s: float
    end_s: float
    is_filled_pause: bool  # um/uh/er..., as opposed to a discourse filler (like, you know, i mean, so)


@dataclass(frozen=True, slots=True)
class UnheardSpan:
    """Voiced time that no transcribed word covers: a dropped filler, a mumble, or a timing slip."""

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class FillerOptions:
    """How unheard speech is measured and when a count is trusted.

    word_pad_s: each word's time is widened by this much on both sides before it covers speech;
        Whisper's word times are ~0.1-0.2 s off (ASR-NOTES), and a slip is not a dropped filler.
    min_unheard_s: uncovered voiced stretches shorter than this are ignored (a filler lasts longer).
    word_max_base_s, word_max_per_char_s: the longest a word can plausibly be spoken (base + per
        letter). When Whisper drops a filler it stretches a neighbouring word over it (measured: "that"
        given 1.6 s across an "uh"), so a longer word covers only this much at each of its two ends.
    reliable_max_unheard_s: with the filler prompt, a count is called reliable only if at most this
        much voiced time went unheard (per minute of answer, see `reliable_max_unheard_per_min_s`) ...
    reliable_max_unheard_per_min_s: ... scaled by answer length: the allowance is the larger of the two.
    """

    word_pad_s: float = 0.2
    min_unheard_s: float = 0.3
    word_max_base_s: float = 0.3
    word_max_per_char_s: float = 0.08
    reliable_max_unheard_s: float = 0.5
    reliable_max_unheard_per_min_s: float = 1.0


@dataclass(frozen=True, slots=True)
class FillerReport:
    """Fillers in one answer, and how far the count can be trusted.

    count: fillers found in the transcript (`find_fillers`).
    per_100_words: count per 100 transcribed words (fillers included; punctuation-only "words" and
        repetition loops left out); None for an empty transcript.
    is_reliable: True only when the transcript was made with the filler prompt, voice activity was given
        and almost no voiced time went unheard, and Whisper did not loop; otherwise `count` is a lower
        bound. Even then a filler misheard as a word ("um" -> "them") is missed.
    unheard_speech_s: voiced seconds no word covers; None when no voice activity was given.
    note: one sentence for the debrief; never claims "no fillers" unless the count is reliable.
    """

    count: int
    per_100_words: float | None
    is_reliable: bool
    unheard_speech_s: float | None
    note: str
    hits: tuple[FillerHit, ...] = field(default=())
    looped_words: int = 0  # words dropped as a recogniser repetition loop (see `repetition_loop`)

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "per_100_words": None if self.per_100_words is None else round(self.per_100_words, 2),
            "is_reliable": self.is_reliable,
            "unheard_speech_s": None if self.unheard_speech_s is None else round(self.unheard_speech_s, 3),
            "note": self.note,
            "hits": [
                {"text": h.text, "start_s": round(h.start_s, 3), "end_s": round(h.end_s, 3),
                 "is_filled_pause": h.is_filled_pause}
                for h in self.hits
            ],
            "looped_words": self.looped_words,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FillerReport:
        per100, unheard = d["per_100_words"], d["unheard_speech_s"]
        return cls(
            count=int(d["count"]),
            per_100_words=None if per100 is None else float(per100),
            is_reliable=bool(d["is_reliable"]),
            unheard_speech_s=None if unheard is None else float(unheard),
            note=str(d["note"]),
            hits=tuple(
                FillerHit(str(h["text"]), float(h["start_s"]), float(h["end_s"]), bool(h["is_filled_pause"]))
                for h in d.get("hits", ())
            ),
            looped_words=int(d.get("looped_words", 0)),
        )


# --- counting ------------------------------------------------------------------------------------


def _collapse(s: str) -> str:
    """Repeated letters collapsed: "ummm" -> "um", "uhh" -> "uh", "hmm" -> "hm"."""
    return re.sub(r"(.)\1+", r"\1", s)


def _has_break_after(text: str) -> bool:
    """Punctuation after the word: a comma, a sentence end, a dash or an ellipsis."""
    return text.rstrip("\"'”’)").endswith((",", ";", ":", "-", "–", "—") + SENTENCE_ENDS)


def find_fillers(transcript: Transcript) -> tuple[FillerHit, ...]:
    """The fillers in a transcript, in order.

    Counted wherever they appear: filled pauses (um, uh, er, erm, ah, hmm, mm, eh, in any length,
    "um-um" as one) and any other single-word lexicon entry.
    Counted only in filler positions (precision first: a missed "like" costs less than a false one):
    - "like": set off by punctuation ("and, like, we" / "like, um") or followed by an intensifier
      ("like really"), and not after a word that makes it a verb or comparison ("I'd like", "looks
      like", "things like"); a quoting "was like" is not counted unless one of the above holds. Approximations ("like 20 minutes") are not counted.
    - "you know": followed by punctuation or the end ("..., you know, we" / "right, you know?") and not
      after "do/as/if/let/what..." ("do you know", "as you know", "let you know").
    - "i mean": followed by a comma ("I mean, ...") and not after "what/which/that".
    - "so": only trailing off ("we fixed it, so..." / "so." after a comma); "So, we decided" opens a
      sentence in a normal STAR answer and is not counted.
    """
    words = transcript.words
    norms = [clean_word(w.text) for w in words]
    hits: list[FillerHit] = []
    i = 0
    while i < len(words):
        w, n = words[i], norms[i]
        prev = norms[i - 1] if i > 0 else ""
        at_start = i == 0 or ends_sentence(words[i - 1].text)
        if n and is_filled_pause(w.text):
            hits.append(FillerHit(_collapse(n) if "-" not in n else n, w.start_s, w.end_s, True))
            i += 1
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        nxt_n = norms[i + 1] if nxt is not None else ""
        if n == "like" and _is_filler_like(w, prev, at_start, i, words, nxt, nxt_n):
            hits.append(FillerHit("like", w.start_s, w.end_s, False))
        elif n == "you" and nxt_n == "know" and nxt is not None:
            after = words[i + 2] if i + 2 < len(words) else None
            if prev not in _YOU_KNOW_NOT_AFTER and (
                after is None or _has_break_after(nxt.text) or is_filled_pause(after.text)
            ):
                hits.append(FillerHit("you know", w.start_s, nxt.end_s, False))
                i += 2
                continue
        elif n == "i" and nxt_n == "mean" and nxt is not None:
            if prev not in _I_MEAN_NOT_AFTER and nxt.text.rstrip().endswith(","):
                hits.append(FillerHit("i mean", w.start_s, nxt.end_s, False))
                i += 2
                continue
        elif n == "so" and not at_start:
            trails_off = w.text.rstrip().endswith(("...", "…"))
            ends_clause = (nxt is None or ends_sentence(w.text)) and words[i - 1].text.rstrip().endswith(",")
            if trails_off or ends_clause:
                hits.append(FillerHit("so", w.start_s, w.end_s, False))
        i += 1
    return tuple(hits)


def _is_filler_like(
    w: Word, prev: str, at_start: bool, i: int, words: Sequence[Word], nxt: Word | None, nxt_n: str,
) -> bool:  # fmt: skip
    before_break = at_start or (i > 0 and _has_break_after(words[i - 1].text))
    if prev in _LIKE_NOT_AFTER and not before_break:  # "I like", but not "I, like, fixed it"
        return False
    after_break = _has_break_after(w.text)
    if before_break and after_break:
        return True
    if nxt is not None and (is_filled_pause(nxt.text) or nxt_n == "like"):
        return True
    return nxt_n in _LIKE_FILLER_BEFORE


def per_100_words(count: int, word_count: int) -> float | None:
    """Fillers per 100 transcribed words; None when nothing was transcribed."""
    return None if word_count <= 0 else 100.0 * count / word_count


# --- unheard speech ------------------------------------------------------------------------------


def _merge(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sorted, with overlapping and touching intervals joined; empty or reversed ones dropped."""
    merged: list[tuple[float, float]] = []
    for s, e in sorted((s, e) for s, e in intervals if e > s):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def unheard_spans(
    speech: Iterable[tuple[float, float]], words: Iterable[Word], options: FillerOptions = FillerOptions()
) -> tuple[UnheardSpan, ...]:
    """Voiced stretches that no word covers, each at least `options.min_unheard_s` long.

    `speech` may overlap, touch or come unordered; each word covers its time widened by
    `options.word_pad_s` on both sides, except that an over-long word covers only its two ends.
    """
    covered = _merge(iv for w in words for iv in _coverage(w, options))
    spans: list[UnheardSpan] = []
    k = 0
    for s, e in _merge(speech):
        cursor = s
        while k < len(covered) and covered[k][1] <= cursor:
            k += 1
        j = k
        while cursor < e:
            if j >= len(covered) or covered[j][0] >= e:
                _add(spans, cursor, e, options)
                break
            cs, ce = covered[j]
            if cs > cursor:
                _add(spans, cursor, cs, options)
            cursor = max(cursor, ce)
            j += 1
    return tuple(spans)


def _coverage(w: Word, options: FillerOptions) -> tuple[tuple[float, float], ...]:
    """The time a word accounts for: all of it, or only a plausible length at each end if over-long."""
    longest = options.word_max_base_s + options.word_max_per_char_s * len(clean_word(w.text))
    lo, hi = w.start_s - options.word_pad_s, w.end_s + options.word_pad_s
    if w.end_s - w.start_s <= 2 * longest:
        return ((lo, hi),)
    return ((lo, w.start_s + longest), (w.end_s - longest, hi))


def _add(spans: list[UnheardSpan], s: float, e: float, options: FillerOptions) -> None:
    if e - s >= options.min_unheard_s:
        spans.append(UnheardSpan(s, e))


def unheard_speech_s(
    speech: Iterable[tuple[float, float]], words: Iterable[Word], options: FillerOptions = FillerOptions()
) -> float:
    """Total voiced seconds no word covers (see `unheard_spans`)."""
    return sum(sp.duration_s for sp in unheard_spans(speech, words, options))


# --- the report ----------------------------------------------------------------------------------


def report(
    transcript: Transcript,
    *,
    heard_with_prompt: bool,
    speech: Sequence[tuple[float, float]] | None = None,
    options: FillerOptions = FillerOptions(),
) -> FillerReport:
    """Count the fillers of one answer and say how far the count can be trusted.

    Args:
        heard_with_prompt: the transcript came from `AsrOptions(keep_fillers=True)`. Without it Whisper
            drops most real fillers, so the count is always a lower bound.
        speech: the answer's voiced regions (VAD), in seconds from its start; None if not recorded.
    """
    looped = set(repetition_loop(transcript.words))
    kept = tuple(w for k, w in enumerate(transcript.words) if k not in looped and clean_word(w.text))
    heard = Transcript(kept, transcript.duration_s)
    hits = find_fillers(heard)
    rate = per_100_words(len(hits), len(kept))
    unheard = None if speech is None else unheard_speech_s(speech, kept, options)
    minutes = transcript.duration_s / 60.0
    allowance = max(options.reliable_max_unheard_s, options.reliable_max_unheard_per_min_s * minutes)
    is_reliable = (
        heard_with_prompt and bool(kept) and not looped and unheard is not None and unheard <= allowance
    )
    note = _note(len(hits), rate, is_reliable, unheard, len(looped))
    return FillerReport(len(hits), rate, is_reliable, unheard, note, hits, len(looped))


def _note(count: int, rate: float | None, is_reliable: bool, unheard_s: float | None, looped: int) -> str:
    if rate is None:
        return "Fillers not measured: no words were transcribed."
    noun = "filler" if count == 1 else "fillers"
    if is_reliable:
        if count == 0:
            return "No fillers heard."
        return f"{count} {noun} ({rate:.1f} per 100 words)."
    caveat = "Whisper drops some fillers"
    if unheard_s is not None and unheard_s >= 0.05:
        caveat += f"; {unheard_s:.1f} s of speech had no words"
    if looped:
        caveat += f"; {looped} words the recogniser repeated in a loop were ignored"
    if count == 0:
        return f"No fillers transcribed, but this is not proof there were none ({caveat})."
    return f"At least {count} {noun} ({rate:.1f} per 100 words; {caveat})."
