"""`mockint practice` from the command line: recorded answers through the whole loop with the real model,
and the one-line errors for bad options, missing files and missing devices."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from audio_helpers import STAR_ANSWER, need_espeak, synthesise
from typer.testing import CliRunner

from mockint import store
from mockint.cli import app
from mockint.paths import recordings_dir

runner = CliRunner()
WIDE = {"COLUMNS": "200"}


def _flat(output: str) -> str:
    return " ".join(re.sub(r"[│╭╮╰╯─┃]", " ", output).split())


def test_practice_with_recorded_answers_asks_the_probes_prints_the_debrief_and_saves(tmp_path: Path) -> None:
    need_espeak()
    answer = tmp_path / "answer.wav"
    synthesise([text for _, text in STAR_ANSWER], answer, tail_s=0.5)
    probe = tmp_path / "probe.wav"
    synthesise(["I measured it with the checkout dashboard: timeouts fell from two percent to a tenth of a percent."], probe)
    result = runner.invoke(
        app,
        ["practice", "--question", "disagree-and-commit", "--level", "senior", "--no-voice", "--probes", "1",
         "--answer-file", str(answer), "--probe-file", str(probe)],
        env=WIDE,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    folder = next(recordings_dir().iterdir())
    assert f"Session saved in {folder}, with its report page." in _flat(result.stdout)
    assert "mockint report last --open" in _flat(result.stdout) and "--full" in result.stdout  # what to do next
    assert "Emphasise:" not in result.stdout  # the one-screen debrief; --full shows the rest
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert folder.name in page and "Bar Raiser thinks" in page and 'src="answer.wav"' in page
    assert "Bar Raiser thinks" in result.stdout
    assert "Interviewer:" in result.stderr  # the question, printed (not spoken: --no-voice)
    saved = store.load(folder)
    assert [t.kind.value for t in saved.turns] == ["answer", "probe"]
    assert [t.audio_file for t in saved.turns] == ["answer.wav", "probe-1.wav"]
    assert (folder / "answer.wav").is_file() and (folder / "probe-1.wav").is_file()
    assert "checkout" in saved.turns[0].transcript.text.casefold()
    score = saved.latest_score
    assert score is not None and len(score.probe_judgements) == 1
    assert saved.level.value == "senior" and saved.model


def test_practice_json_prints_the_session_and_debrief_only(tmp_path: Path) -> None:
    need_espeak()
    answer = tmp_path / "answer.wav"
    synthesise([text for _, text in STAR_ANSWER[:2]], answer, tail_s=0.5)
    result = runner.invoke(app, ["practice", "--question", "refused-to-ship", "--no-voice", "--answer-file", str(answer), "--json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"folder", "session", "debrief", "heard", "message"} and report["heard"] == "speech"
    assert report["session"]["question_id"] == "refused-to-ship"
    assert "asking 0 of 2 probes" in result.stderr.casefold()  # no --probe-file: no probes
    assert f"Report: {Path(report['folder']) / 'report.html'}" in _flat(result.stderr)  # stdout holds only the JSON


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--level", "principal"], "not a level"),
        (["--question", "disagree-and-commit", "--lp", "Frugality Forever"], "has no angle"),
        (["--probes", "-1"], "--probes"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], expected: str) -> None:
    result = runner.invoke(app, ["practice", "--no-voice", *args], env=WIDE)
    assert result.exit_code == 2
    assert expected in _flat(result.stderr)


def test_a_missing_answer_file_is_a_one_line_error_before_anything_is_asked(tmp_path: Path) -> None:
    result = runner.invoke(app, ["practice", "--no-voice", "--answer-file", str(tmp_path / "nope.wav")], env=WIDE)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Audio file") and "does not exist" in result.stderr
    assert "Interviewer:" not in result.stderr
    assert not recordings_dir().exists() or not any(recordings_dir().iterdir())


def test_a_missing_input_device_suggests_answer_file_and_doctor() -> None:
    result = runner.invoke(app, ["practice", "--no-voice", "--input-device", "no-such-microphone"], env=WIDE)
    assert result.exit_code == 1
    message = _flat(result.stderr)
    assert message.startswith("Error: ") and "--answer-file" in message and "mockint doctor" in message
    assert "Traceback" not in result.stderr
