"""The delivery checks: pace, fillers, long pauses and hedges, and the `DeliveryStats` they measure.

Pure. Fillers are counted by fillers.py, which also says how far a count can be trusted; pauses come from
the transcript's voice activity where the recording was analysed.
"""

from __future__ import annotations

from collections.abc import Sequence

from mockint import fillers
from mockint.checks import Story
from mockint.rubric import Rubric
from mockint.scorecard import DeliveryStats, Evidence, Finding, Verdict
from mockint.text import count_phrases, find_phrase, said_span
from mockint.timing import TotalTiming
from mockint.transcript import Transcript, Word


def words_per_minute(words: Sequence[Word]) -> float | None:
    """Pace from the first word's start to the last word's end; None for fewer than two words."""
    if len(words) < 2:
        return None
    spoken_s = words[-1].end_s - words[0].start_s
    return round(len(words) / spoken_s * 60, 1) if spoken_s > 0 else None


def delivery(story: Story, transcript: Transcript, rubric: Rubric, total: TotalTiming) -> tuple[DeliveryStats, list[Finding]]:
    """How the answer was said: its stats and one finding per delivery check, in rubric order."""
    words = story.words
    wpm = words_per_minute(words)
    report = fillers.report(transcript, heard_with_prompt=transcript.heard_fillers, speech=transcript.voiced or None)
    findings = [_pace(wpm, rubric), _fillers(report, words, rubric)]
    if not words:
        for check in ("delivery.pauses", "delivery.hedges"):
            findings.append(Finding(check, None, Verdict.NOT_MEASURED, "No words heard.", (), rubric.check(check).fix))
        return _stats(words, wpm, total, report.count, None, report.is_reliable, 0, 0), findings
    pauses, hedges = _pauses(story, transcript, rubric), _hedges(story, rubric)
    findings += [pauses, hedges]
    shown_rate = None
    if report.per_100_words is not None and (report.is_reliable or report.count):
        shown_rate = round(report.per_100_words, 2)
    n_hedges = count_phrases(" ".join(s.norm for s in story.sentences), rubric.phrases.hedges)
    stats = _stats(words, wpm, total, report.count, shown_rate, report.is_reliable, len(pauses.evidence), n_hedges)
    return stats, findings


def _pace(wpm: float | None, rubric: Rubric) -> Finding:
    lim, fix = rubric.limits, rubric.check("delivery.pace").fix
    if wpm is None:
        return Finding("delivery.pace", None, Verdict.NOT_MEASURED, "Too few words to measure pace.", (), fix)
    if wpm < lim.wpm_slow or wpm > lim.wpm_fast:
        word = "slow" if wpm < lim.wpm_slow else "fast"
        return Finding("delivery.pace", None, Verdict.WARN, f"{wpm:.0f} words per minute: {word}.", (), fix)
    return Finding("delivery.pace", None, Verdict.PASS, f"{wpm:.0f} words per minute.", (), fix)


def _fillers(report: fillers.FillerReport, words: Sequence[Word], rubric: Rubric) -> Finding:
    # Whisper drops most fillers of real speakers (faster-whisper #319, #901): the report says how far the
    # count can be trusted, and a count that cannot be trusted is a lower bound; zero then means "not
    # heard", never "none said".
    lim, fix = rubric.limits, rubric.check("delivery.fillers").fix
    if not words:
        return Finding("delivery.fillers", None, Verdict.NOT_MEASURED, "No words heard.", (), fix)
    if not (report.is_reliable or report.count) or report.per_100_words is None:
        return Finding("delivery.fillers", None, Verdict.NOT_MEASURED, report.note, (), fix)
    per100 = report.per_100_words
    if per100 >= lim.fillers_fail_per_100:
        verdict = Verdict.FAIL
    elif per100 >= lim.fillers_warn_per_100:
        verdict = Verdict.WARN
    else:
        verdict = Verdict.PASS if report.is_reliable else Verdict.NOT_MEASURED
    evidence = tuple(_words_at(words, h.start_s, h.end_s) for h in report.hits[:3])
    return Finding("delivery.fillers", None, verdict, report.note, evidence, fix)


def _words_at(words: Sequence[Word], start_s: float, end_s: float) -> Evidence:
    """The transcript's own words from `start_s` to `end_s`, as evidence."""
    span = [w for w in words if w.start_s >= start_s - 1e-6 and w.end_s <= end_s + 1e-6]
    return Evidence(" ".join(w.text for w in span), round(start_s, 3))


def _pauses(story: Story, transcript: Transcript, rubric: Rubric) -> Finding:
    """Long pauses inside the answer: from voice activity where the recording was analysed (word timestamps
    are off by up to ~0.45 s; ASR-NOTES), else from the gaps between words."""
    lim, words = rubric.limits, story.words
    pauses: list[Evidence] = []
    for gap_start, gap_end in silences(transcript, words):
        if gap_end - gap_start >= lim.pause_long_s:
            nxt = next((w for w in words if w.start_s >= gap_end - lim.timestamp_error_s), None)
            if nxt is None:
                continue  # silence after the last word is the end of the answer, not a pause in it
            sent = next((s for s in story.sentences if s.start_s <= nxt.start_s <= s.end_s), None)
            end_s = sent.end_s if sent is not None else nxt.end_s
            quoted = _words_at(words, nxt.start_s, end_s)
            pauses.append(Evidence(quoted.text, quoted.start_s, f"after a {gap_end - gap_start:.1f} s pause"))
    n = len(pauses)
    note = ("(measured from voice activity)" if transcript.voiced else
            f"(word timings are \u00b1{lim.timestamp_error_s:.2g} s, so borderline pauses may be miscounted)")
    verdict = Verdict.FAIL if n >= lim.pauses_fail else Verdict.WARN if n >= lim.pauses_warn else Verdict.PASS
    message = f"{n} pause{'s' if n != 1 else ''} over {lim.pause_long_s:.0f} s {note}."
    return Finding("delivery.pauses", None, verdict, message, tuple(pauses[:5]), rubric.check("delivery.pauses").fix)


def _hedges(story: Story, rubric: Rubric) -> Finding:
    p, lim = rubric.phrases, rubric.limits
    hedged = [s for s in story.sentences if find_phrase(s.norm, p.hedges)]
    n = count_phrases(" ".join(s.norm for s in story.sentences), p.hedges)
    verdict = Verdict.FAIL if n >= lim.hedges_fail else Verdict.WARN if n >= lim.hedges_warn else Verdict.PASS
    shown = ", ".join(sorted({f"\u201c{said_span(s.text, find_phrase(s.norm, p.hedges) or '')}\u201d" for s in hedged}))
    message = f"{n} hedge{'s' if n != 1 else ''}" + (f": {shown}." if shown else ".")
    return Finding("delivery.hedges", None, verdict, message, tuple(Evidence.of(s) for s in hedged),
                   rubric.check("delivery.hedges").fix)


def silences(transcript: Transcript, words: Sequence[Word]) -> list[tuple[float, float]]:
    """(start_s, end_s) of each silence between speech, inside the spoken part of the answer."""
    if transcript.voiced:
        voiced = sorted(transcript.voiced)
        return [(a_end, b_start) for (_, a_end), (b_start, _) in zip(voiced, voiced[1:])]
    return [(a.end_s, b.start_s) for a, b in zip(words, words[1:])]


def _stats(
    words: Sequence[Word], wpm: float | None, total: TotalTiming, n_fill: int, per100: float | None,
    fillers_reliable: bool, n_pauses: int, n_hedges: int,
) -> DeliveryStats:  # fmt: skip
    return DeliveryStats(
        word_count=len(words),
        wpm=wpm,
        total_s=round(total.duration_s, 3),
        budget_min_s=total.budget_min_s,
        budget_max_s=total.budget_max_s,
        total_timing=total.status,
        filler_count=n_fill,
        fillers_per_100_words=per100,
        fillers_reliable=fillers_reliable,
        long_pauses=n_pauses,
        hedges=n_hedges,
    )
