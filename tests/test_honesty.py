"""Every debrief tells only what was said and agrees with its own timeline (tests/honesty.py), over answers
written by others (scripts/data/corpus), at every level, in all three renderings."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from rich.console import Console

from mockint import debrief
from mockint.analysis import analyse
from mockint.bank import Level, Question, load_bank
from mockint.probes import choose_probes, judge_probe
from mockint.scorecard import ProbeJudgement, Scorecard
from mockint.scoring import score
from mockint.star import Section
from mockint.transcript import Transcript
from answers import build
from honesty import check_debrief

ROOT = Path(__file__).resolve().parent.parent
BANK = load_bank(ROOT / "prompts")
CORPUS = [a for p in sorted((ROOT / "scripts/data/corpus").glob("*.json")) for a in json.loads(p.read_text(encoding="utf-8"))]
SAMPLE = random.Random(11).sample(CORPUS, 60)


def renderings(card: Scorecard, q: Question, judged: tuple[ProbeJudgement, ...]) -> list[str]:
    console = Console(file=io.StringIO(), record=True, width=100, color_system=None)
    console.print(debrief.render(card, q, probe_judgements=judged))
    short = Console(file=io.StringIO(), record=True, width=80, color_system=None)  # the one-screen debrief
    short.print(debrief.summary(card, q))
    return [console.export_text(), short.export_text(), debrief.to_markdown(card, q, probe_judgements=judged),
            json.dumps(debrief.to_dict(card, q, probe_judgements=judged), ensure_ascii=False)]


@pytest.mark.parametrize("k", range(len(SAMPLE)))
def test_a_debrief_of_someone_elses_answer_says_only_what_was_said(k: int) -> None:
    a = SAMPLE[k]
    parts = [(Section(s["label"]), s["text"]) for s in a["sections"]]
    transcript = build(parts, wpm=random.Random(k).choice((120.0, 150.0, 185.0))).transcript
    q = BANK[k % len(BANK)]
    level = tuple(Level)[k % 3]
    analysis = analyse(transcript, q, level)  # the segmenter, not the labels: what users get
    card = score(analysis, q)
    probe_answer = build([(Section.RESULT, "I tracked it every week and it held at under ten for three months.")]).transcript
    judged = tuple(judge_probe(q.probes[c.index], probe_answer, asked=c.text, answer=transcript, question=q)
                   for c in choose_probes(card, analysis, q, 2))
    check_debrief(card, [transcript, probe_answer], judged, renderings(card, q, judged))


def test_the_checker_catches_a_quote_that_was_never_said() -> None:
    q = BANK[0]
    transcript = build([(Section.SITUATION, "Our wards were short of nurses every night and shifts went uncovered.")]).transcript
    card = score(analyse(transcript, q, Level.SDE2), q)
    with pytest.raises(AssertionError, match="never said"):
        check_debrief(card, [transcript], renderings=["Fix: replace \u201cthe team was happy\u201d."])
    other = Transcript((), 0.0)
    with pytest.raises(AssertionError, match="word for word"):
        check_debrief(card, [other])
