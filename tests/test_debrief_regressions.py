"""Three practice answers to refused-to-ship (a good, a weak and a middling one, spoken by espeak-ng), replayed
through `analyze`, `practice --answer-file` and `rescore`: the debriefs say nothing that was not said, the
probes never ask about the page's story, and every command gives the same score for the same audio."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from mockint.scorecard import ProbeJudgement, Scorecard
from mockint.transcript import Transcript
from audio_helpers import mockint_cmd, need_espeak, synthesise
from conftest import MODEL_CACHE
from honesty import check_debrief

pytestmark = pytest.mark.slow

GOOD = [
    "At my last job I looked after the release pipeline for our mobile banking app.",
    "A new login screen was ready to ship on a Friday, but it had no crash reporting, and nobody had asked me to hold it.",
    "I told the product owner I would not sign off the release without crash reporting. I added the reporting library myself, "
    "I wrote two tests for the login flow, and I ran the build on our six oldest test phones.",
    "The phones found a crash on older Android versions that would have hit about four percent of our users. "
    "We shipped on Monday with the fix, and crash-free sessions stayed above ninety nine point eight percent.",
    "Looking back, the real gap was that our release checklist had no quality gate, so I added crash reporting to it for every team.",
]
WEAK = [
    "We had some problems with a release at my company.",
    "My manager asked me to look into it since I had some free time.",
    "We looked at it together and the other team handled the fix.",
    "Things got better and the team was happy.",
    "I learned that communication is important.",
]
MIDDLING = [
    "In my last role I worked on the payments team, and our webhook service had a problem.",
    "About zero point three percent of the webhooks were being dropped, and merchants were seeing late confirmations.",
    "I decided to look into it even though it was not my service.",
    "I pulled the logs and found a retry bug. Then we worked on a fix with the other team and rolled it out.",
    "The drops mostly went away after that.",
]
PROBE_ANSWERS = [
    "I showed them the numbers and offered to write the change myself, and I followed up until it was merged.",
    "Next time I would set up an alert on the drop rate from the start, so we would catch it in days, not weeks.",
]


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    need_espeak()
    if not (MODEL_CACHE / "whisper-base" / "model.bin").exists():
        pytest.fail("the assembled speech model is missing; run 'make test', which sets it up")
    folder = tmp_path_factory.mktemp("spoken")
    out = {}
    for name, lines in (("good", GOOD), ("weak", WEAK), ("middling", MIDDLING), ("probe1", PROBE_ANSWERS[:1]), ("probe2", PROBE_ANSWERS[1:])):
        synthesise(lines, folder / f"{name}.wav", tail_s=1.0)
        out[name] = folder / f"{name}.wav"
    return out


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(mockint_cmd(*args), capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "100", **(env or {})})


def analyze(wav: Path) -> tuple[Scorecard, Transcript, str]:
    result = run("analyze", str(wav), "--question", "refused-to-ship", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    return Scorecard.from_dict(data["debrief"]["scorecard"]), Transcript.from_dict(data["transcript"]), result.stdout


@pytest.mark.parametrize("name", ["good", "weak", "middling"])
def test_analyze_says_only_what_was_said(spoken: dict[str, Path], name: str, tmp_path: Path) -> None:
    card, transcript, as_json = analyze(spoken[name])
    md = tmp_path / "debrief.md"
    terminal = run("analyze", str(spoken[name]), "--question", "refused-to-ship", "--markdown", str(md))
    assert terminal.returncode == 0, terminal.stderr
    check_debrief(card, [transcript], renderings=[terminal.stdout, md.read_text(encoding="utf-8")])
    text = transcript.text.casefold()
    assert "here's what i" not in text and "let me think" not in text  # no echo of the filler prompt
    if name == "middling":
        assert "zero point three" in text or "0.3" in text, transcript.text
        assert "No clear problem statement" not in terminal.stdout
    if name == "weak":
        assert card.verdict in ("Leaning No Hire", "No Hire") and "$8K" not in terminal.stdout


def test_practice_probes_an_own_story_in_its_terms_and_judges_it_honestly(spoken: dict[str, Path], tmp_path: Path) -> None:
    result = run("practice", "--question", "refused-to-ship", "--no-voice", "--answer-file", str(spoken["weak"]),
                 "--probe-file", str(spoken["probe1"]), "--probe-file", str(spoken["probe2"]), "--json",
                 env={"MOCKINT_RECORDINGS": str(tmp_path / "rec")})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    asked = [t["prompt"] for t in data["session"]["turns"][1:]]
    assert len(asked) == 2
    for question in asked:
        assert "$8K" not in question and "Platform" not in question and "dead letter" not in question, question
    record = data["session"]["scores"][-1]
    card = Scorecard.from_dict(record["scorecard"])
    judged = [ProbeJudgement.from_dict(j) for j in record["probe_judgements"]]
    transcripts = [Transcript.from_dict(t["transcript"]) for t in data["session"]["turns"]]
    check_debrief(card, transcripts, judged)


def test_practice_analyze_and_rescore_give_the_same_score_for_the_same_audio(spoken: dict[str, Path], tmp_path: Path) -> None:
    wav = spoken["middling"]
    card, _, _ = analyze(wav)
    practice = run("practice", "--question", "refused-to-ship", "--no-voice", "--probes", "0", "--answer-file", str(wav),
                   "--json", env={"MOCKINT_RECORDINGS": str(tmp_path / "practice")})
    assert practice.returncode == 0, practice.stderr
    practised = json.loads(practice.stdout)["session"]["scores"][-1]["overall"]
    rescored = run("rescore", str(wav), "--question", "refused-to-ship", "--into", str(tmp_path / "rescored"), "--json", "-")
    assert rescored.returncode == 0, rescored.stderr
    (item,) = json.loads(rescored.stdout)["results"]
    assert card.overall == practised == item["overall"], (card.overall, practised, item["overall"])
