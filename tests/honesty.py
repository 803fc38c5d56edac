"""The debrief never says what the candidate did not say: checks any debrief (scorecard, probe judgements and
the text, Markdown and JSON renderings) against the transcripts it was made from.

- every quoted sentence (Evidence) is a run of words of one of the transcripts, word for word;
- every “double-quoted” phrase in a message, fix or rendering was said (after normalising case and punctuation);
- every finding and fix about a section's time agrees with the timing table, and a section never heard is
  only ever told to be added;
- the headings count what they head ("Two things to fix first").
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from mockint.scorecard import ProbeJudgement, Scorecard
from mockint.star import SECTION_ORDER
from mockint.text import normalise
from mockint.timing import TimingStatus
from mockint.transcript import Transcript

_QUOTED = re.compile("\u201c([^\u201d]+)\u201d")


def _is_run_of_words(text: str, transcripts: Sequence[Transcript]) -> bool:
    for t in transcripts:
        words = [w.text for w in t.words]
        n = len(text.split())
        for i in range(len(words) - n + 1):
            if " ".join(words[i : i + n]) == text:
                return True
    return False


def _was_said(quote: str, transcripts: Sequence[Transcript]) -> bool:
    wanted = f" {normalise(quote)} "
    return any(wanted in f" {normalise(t.text)} " for t in transcripts)


def check_debrief(
    card: Scorecard,
    transcripts: Sequence[Transcript],
    judged: Sequence[ProbeJudgement] = (),
    renderings: Sequence[str] = (),
) -> None:
    """Raise AssertionError naming the first untrue thing. `transcripts`: the answer's, then each probe's."""
    evidence = [e for f in card.findings for e in f.evidence] + [e for j in judged for e in j.evidence]
    for e in evidence:
        assert _is_run_of_words(e.text, transcripts), f"quoted evidence was not said word for word: {e.text!r}"
    unboxed = [" ".join(re.sub("[\u2500-\u257f]", " ", r).split()) for r in renderings]  # panels' borders off
    texts = [card.bar_raiser, *(f.message for f in card.findings), *(x.text for x in card.fixes),
             *(j.message for j in judged), *unboxed]
    for text in texts:
        for quote in _QUOTED.findall(text):
            if quote == "(quoted above)" or _is_run_of_words(quote, transcripts):
                continue
            assert _was_said(quote, transcripts), f"quoted words were never said: {quote!r} in {text[:120]!r}"
    _check_timing(card)
    _check_counts(card, renderings)


def _check_timing(card: Scorecard) -> None:
    status = {s.section: s.timing for s in card.sections}
    for f in card.findings:
        if not f.check.startswith("timing.") or f.section is None:
            continue
        said = {"over": TimingStatus.OVER, "under": TimingStatus.UNDER, "Not heard": TimingStatus.MISSING}
        claims = [s for word, s in said.items() if word in f.message]
        assert claims in ([], [status[f.section]]), f"{f.check} says {f.message!r} but the timeline says {status[f.section]}"
    for fix in card.fixes:
        for section in SECTION_ORDER:
            name = section.value.capitalize()
            if fix.text.startswith(f"Cut the {name} "):
                assert status[section] is TimingStatus.OVER, f"{fix.text!r} but the {name} is {status[section]}"
            if fix.text.startswith(f"Give the {name} "):
                assert status[section] is TimingStatus.UNDER, f"{fix.text!r} but the {name} is {status[section]}"
                assert card.delivery.total_timing is not TimingStatus.OVER, f"{fix.text!r} while the answer is over budget"
            if fix.text.startswith(("Add a ", "Add a short ")) and f" {name} " in fix.text:
                assert status[section] is TimingStatus.MISSING, f"{fix.text!r} but the {name} was heard"
            if status[section] is TimingStatus.MISSING and not fix.text.startswith("Add a"):
                assert f"the {name}" not in fix.text, f"{fix.text!r} refers to a {name} that was never heard"
        if fix.text.startswith("Keep the whole answer within"):
            assert card.delivery.total_timing is TimingStatus.OVER, fix.text
        if fix.text.startswith("Fill the "):
            assert card.delivery.total_timing is TimingStatus.UNDER, fix.text
    for f in card.findings:
        if f.section is not None and status[f.section] is TimingStatus.MISSING and not f.check.startswith("timing."):
            assert f.verdict.value in ("fail", "not_measured"), f"{f.check} judged a {f.section} that was never heard"


def _check_counts(card: Scorecard, renderings: Sequence[str]) -> None:
    assert len(card.fixes) <= 3
    heading = {0: "Nothing to fix first", 1: "One thing to fix first", 2: "Two things to fix first",
               3: "Three things to fix first"}[len(card.fixes)]
    for text in renderings:
        if text.lstrip().startswith("{"):
            data = json.loads(text)
            assert len(data["scorecard"]["fixes"]) == len(card.fixes)
            continue
        assert heading in text, f"the fix list is not headed {heading!r}"
        for other in {"One thing", "Two things", "Three things"} - {heading.split(" to ")[0]}:
            assert f"{other} to fix first" not in text, f"heading {other!r} over {len(card.fixes)} fixes"
