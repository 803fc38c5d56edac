"""`mockint analyze` on a synthesised answer: the real model, real audio, the STAR timeline."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from conftest import load_script
from typer.testing import CliRunner

from mockint.bank import Level, find_question, load_bank
from mockint.cli import app
from mockint.model import model_status
from mockint.star import SECTION_ORDER

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "refused-to-ship"


def _eval_star() -> ModuleType:
    return load_script("eval_star")


needs_audio = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


@pytest.fixture(scope="module")
def seed_answer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, float]]:
    """The seed's strong example (S/T/A/R blocks and the Senior reflection) spoken by espeak-ng."""
    if not model_status().is_ready:
        pytest.skip("the bundled speech model is not assembled (run scripts/setup.sh)")
    ev = _eval_star()
    question = find_question(load_bank(ROOT / "prompts"), QUESTION)
    texts = [question.section(s).strong_example for s in SECTION_ORDER[:4]]
    texts.append(question.level(Level.SENIOR).reflection)
    answer = ev.LabelledAnswer(QUESTION, question.title, tuple(ev.LabelledSection(s, t) for s, t in zip(SECTION_ORDER, texts)))
    wav, sentences = ev.synthesise(answer, 175, random.Random("analyze-test"), tmp_path_factory.mktemp("seed"))
    starts: dict[str, float] = {}
    for s in sentences:
        starts.setdefault(s.section.value, s.start_s)
    ordered = list(starts.items())
    truth = {
        name: (ordered[i + 1][1] if i + 1 < len(ordered) else sentences[-1].end_s) - start
        for i, (name, start) in enumerate(ordered)
    }
    return wav, truth


@needs_audio
@pytest.mark.xfail(strict=False, reason="Whisper runs the Action's last sentence into the Result's first "
                   "('coordinated the row out of the 0.3% webhook drop rate went to 0'): the learned segmenter keeps it "
                   "in the Action (8.6 s off) until it is trained on Whisper transcripts too")
def test_analyze_seed_strong_example_finds_all_five_sections_within_3_s(seed_answer: tuple[Path, dict[str, float]]) -> None:
    wav, truth = seed_answer
    result = CliRunner().invoke(app, ["analyze", str(wav), "--question", QUESTION, "--level", "senior", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    sections = {s["section"]: s for s in data["sections"]}
    assert [s["section"] for s in data["sections"]] == [s.value for s in SECTION_ORDER]
    for name, true_s in truth.items():
        assert sections[name]["status"] != "missing", name
        assert sections[name]["duration_s"] == pytest.approx(true_s, abs=3.0), name
    assert data["total"]["budget_min_s"] == 150 and data["level"] == "senior"


@needs_audio
def test_analyze_prints_timeline_and_section_words(seed_answer: tuple[Path, dict[str, float]]) -> None:
    wav, _ = seed_answer
    result = CliRunner().invoke(app, ["analyze", str(wav), "--question", QUESTION, "--level", "sde1", "--full"])
    assert result.exit_code == 0, result.output
    for heading in ("Situation", "Task", "Action", "Result", "Reflection", "Total"):
        assert heading in result.stdout
    assert "webhook" in result.stdout.lower()


def test_analyze_unknown_question_is_a_one_line_error(tmp_path: Path) -> None:
    wav = tmp_path / "a.wav"
    wav.write_bytes(b"")
    result = CliRunner().invoke(app, ["analyze", str(wav), "--question", "no-such-question"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "no-such-question" in result.stderr


def test_analyze_bad_level_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "a.wav"), "--question", QUESTION, "--level", "staff"])
    assert result.exit_code == 2


def test_analyze_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "none.wav"), "--question", QUESTION])
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
