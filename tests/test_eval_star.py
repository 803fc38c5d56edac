"""The STAR evaluation harness runs (text-only, a few answers) so that it cannot rot."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from types import ModuleType

import pytest
from conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "scripts" / "data" / "star_dev.json"


@pytest.fixture(scope="module")
def ev() -> ModuleType:
    return load_script("eval_star")


def test_dev_set_is_in_the_evaluation_format_with_at_least_40_own_answers(ev: ModuleType) -> None:
    answers = ev.load_answers(DEV)
    own = [a for a in answers if not a.id.startswith("seed-")]
    assert len(own) >= 40 and len(answers) - len(own) == 5
    assert len({a.id for a in answers}) == len(answers)
    labels = {tuple(s.section.value for s in a.sections) for a in own}
    assert any("task" not in ls for ls in labels)
    assert any("result" not in ls for ls in labels)
    assert any("reflection" not in ls for ls in labels)


def test_text_only_run_prints_table_and_summary_line(ev: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    report = ev.main([str(DEV), "--text-only", "--limit", "4", "--rates", "140,175"])
    lines = capsys.readouterr().out.strip().splitlines()
    last = lines[-1]
    assert last.startswith("star-eval: word_accuracy=")
    match = re.search(r"word_accuracy=([\d.]+)% median_boundary_error=([\d.]+)s", last)
    assert match is not None
    assert float(match.group(1)) == pytest.approx(100 * report.figures()["word_accuracy"], abs=0.05)
    assert len(report.runs) == 8
    assert any("precision" in line for line in lines)


def test_scoring_counts_missing_and_spurious_sections(ev: ModuleType, tmp_path: Path) -> None:
    data = [{"id": "x", "question": "q", "sections": [
        {"label": "situation", "text": "I was a nurse on a busy ward and we were short staffed that night."},
        {"label": "action", "text": "I called the doctor. Then I moved the patient closer to the station."},
    ]}]  # fmt: skip
    path = tmp_path / "one.json"
    path.write_text(json.dumps(data))
    answer = ev.load_answers(path)[0]
    transcript, sentences = ev.text_transcript(answer, 150, random.Random(0))
    from mockint.star import Section, Span

    words = transcript.words
    # Pretend the detector called everything after the first sentence a Result.
    cut = len(sentences[0].text.split())
    spans = (
        Span(Section.SITUATION, words[0].start_s, words[cut].start_s, words[:cut]),
        Span(Section.RESULT, words[cut].start_s, words[-1].end_s, words[cut:]),
    )
    run = ev.score_run("x", 150, transcript, sentences, spans)
    report = ev.Report([run])
    fig = report.figures()
    assert fig["sections"]["action"]["missing"] == 1
    assert fig["sections"]["result"]["spurious"] == 1
    assert fig["runs_with_spurious"] == 1
    assert fig["word_accuracy"] == pytest.approx(cut / len(words))


def test_a_headline_result_and_unknown_labels(ev: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text(json.dumps([{"id": "wa-headline-retail-01", "question": "q", "sections": [
        {"label": "result", "text": "We cut returns by a third."}, {"label": "situation", "text": "It was bad."},
        {"label": "action", "text": "I fixed it."}]}]))
    (answer,) = ev.load_answers(path)
    assert [s.section.value for s in answer.sections] == ["result", "situation", "action"]
    assert (answer.writer, answer.style) == ("wa", "headline")
    path.write_text(json.dumps([{"id": "b", "question": "q", "sections": [{"label": "ending", "text": "x"}]}]))
    with pytest.raises(SystemExit, match="ending"):
        ev.load_answers(path)
