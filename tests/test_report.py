"""The session report: what it works out (report_data), what the page holds (report_page, report_index) and the
`mockint report` command (report.py, cli.py). The page in a real browser is test_report_browser.py."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest
from audio_helpers import need_espeak
from sessiongen import MIDDLING, STRONG, WEAK, make_session, make_session_folders, timed_transcript, write_silence_wav
from typer.testing import CliRunner

from mockint import paths, report
from mockint.bank import Level, load_bank
from mockint.cli import app
from mockint.report_data import Mark, as_scored, assess, mark_words, pace, pauses
from mockint.report_page import ReportInput, TurnMedia, missing_notes, session_page
from mockint.rubric import RUBRIC_VERSION, load_rubric
from mockint.scoring import score_session
from mockint.session import Session, Turn, TurnKind
from mockint.store import SESSION_FILE, save
from mockint.transcript import Transcript, Word

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
BANK = {q.id: q for q in load_bank(ROOT / "prompts")}
QUESTION = BANK["disagree-and-commit"]
T0 = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)


def _words(times: list[float], text: str = "word") -> tuple[Word, ...]:
    return tuple(Word(f"{text}{i}", t, t + 0.3) for i, t in enumerate(times))


def _saved(root: Path, session: Session, *, wavs: bool = True) -> Path:
    folder = root / session.id
    save(session, folder)
    if wavs:
        for turn in session.turns:
            if turn.audio_file:
                write_silence_wav(folder / turn.audio_file, 0.2)
    return folder


# --- report_data ---------------------------------------------------------------------------------------------


def test_pace_counts_the_words_per_minute_of_each_ten_second_window() -> None:
    words = _words([0.5 * i for i in range(50)])  # 2 words a second for 25 s
    windows = pace(words)
    assert [(w.start_s, w.wpm) for w in windows][:2] == [(0.0, 120.0), (10.0, 120.0)]
    assert windows[-1].end_s == words[-1].end_s and 110 < windows[-1].wpm < 130


def test_pace_joins_a_last_window_of_a_few_seconds_to_the_one_before() -> None:
    words = _words([0.5 * i for i in range(23)])  # 0 .. 11.3 s
    assert [(w.start_s, w.end_s) for w in pace(words)] == [(0.0, words[-1].end_s)]
    assert pace(_words([1.0])) == ()


def test_pauses_are_the_silences_between_the_first_and_the_last_word() -> None:
    words = _words([1.0, 1.5, 4.0, 4.4, 6.0])
    found = pauses(Transcript(words, 10.0), 1.0)
    assert [(p.start_s, p.end_s) for p in found] == [(1.8, 4.0), (4.7, 6.0)]
    assert [round(p.duration_s, 2) for p in found] == [2.2, 1.3]


def test_marks_fillers_hedges_routing_and_the_sentences_not_told_as_i() -> None:
    text = ("So our team had a payments service. Um, I think the webhooks failed. We figured out the root cause "
            "together and we fixed it. I escalated it and they handled it. Things got better.")  # fmt: skip
    transcript = timed_transcript(text)
    session = replace(make_session(QUESTION.id, now=T0, text=WEAK), turns=(Turn(TurnKind.ANSWER, "Q", None, transcript),))
    a = assess(session, QUESTION)
    marked = mark_words(transcript, a.spans, load_rubric().phrases, a.card)
    by_mark = {m: [w.word.text for w in marked if m in w.marks] for m in Mark}
    assert by_mark[Mark.FILLER] == ["Um,"]
    assert by_mark[Mark.HEDGE] == ["I", "think"]
    assert "escalated" in by_mark[Mark.ROUTING] and "handled" in by_mark[Mark.ROUTING]
    assert by_mark[Mark.NOT_I][:3] == ["We", "figured", "out"]
    assert {w.section for w in marked} <= set(s.section for s in a.spans)


def test_a_session_scored_with_this_rubric_shows_its_saved_scorecard() -> None:
    session = score_session(make_session(QUESTION.id, now=T0), QUESTION, now=T0)
    a = assess(session, QUESTION)
    latest = session.latest_score
    assert latest is not None and a.card is latest.scorecard and not a.is_rescored and a.problems == ()
    assert as_scored(session, a) is session


def test_a_session_scored_by_an_older_rubric_is_scored_again_in_memory() -> None:
    session = make_session(QUESTION.id, now=T0, old_score=33)
    a = assess(session, QUESTION)
    assert a.is_rescored and a.card is not None and a.card.rubric_version == RUBRIC_VERSION
    assert len(a.judgements) == 1
    scored = as_scored(session, a)
    assert len(scored.scores) == 2 and scored.scores[-1].overall == a.card.overall and len(session.scores) == 1


def test_without_its_question_a_session_keeps_its_saved_score_and_says_why() -> None:
    session = make_session("gone-from-the-bank", now=T0, old_score=33)
    a = assess(session, None)
    assert a.card is None and a.spans and "not in the question bank" in a.problems[0]


# --- the page ------------------------------------------------------------------------------------------------


def _page(session: Session, media: tuple[TurnMedia, ...] | None = None) -> str:
    if media is None:
        media = tuple(TurnMedia(t.audio_file) for t in session.turns)
    return session_page(ReportInput(session, QUESTION, assess(session, QUESTION), media))


def test_the_page_is_self_contained() -> None:
    html = _page(make_session(QUESTION.id, now=T0, text=STRONG))
    assert "http://" not in html and "https://" not in html and "//" not in re.sub(r"(?s)<script>.*?</script>", "", html)
    assert "<style>" in html and "<script>" in html
    assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet|@import|@font-face|url\(", html)
    assert '<link rel="icon" href="data:,">' in html  # no favicon request either


def test_the_page_links_each_fix_and_finding_to_its_moment_in_the_answer() -> None:
    session = make_session(QUESTION.id, now=T0, text=WEAK)
    a = assess(session, QUESTION)
    html = _page(session)
    assert a.card is not None and a.card.fixes
    seeks = {float(t) for t in re.findall(r'data-seek="([\d.]+)" data-audio="a-answer"', html)}
    for f in a.card.findings:
        for e in f.evidence:
            assert round(e.start_s, 3) in seeks, f.check
    action = next(s for s in a.spans if s.section.value == "action")
    assert re.search(rf'data-section="action" data-seek="{action.start_s:.3f}" data-audio="a-answer"', html)
    assert unescape(a.card.bar_raiser) in unescape(html) and a.card.verdict in html


def test_the_page_escapes_what_was_said() -> None:
    transcript = Transcript((Word("<script>alert(1)</script>", 0.5, 0.9), Word("&", 1.0, 1.2)), 2.0)
    session = replace(make_session(QUESTION.id, now=T0), turns=(Turn(TurnKind.ANSWER, "<b>Q</b>", "answer.wav", transcript),))
    html = _page(session)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;Q" in html


def test_a_broken_session_gets_a_page_that_says_what_is_missing() -> None:
    base = make_session(QUESTION.id, now=T0)
    session = replace(base, turns=base.turns[1:], is_complete=False)  # the probe only: no answer, no score
    media = (TurnMedia(None, None, "The probe answer's recording cannot be played: Missing audio file 'probe-1.wav'."),)
    html = _page(session, media)
    notes = missing_notes(ReportInput(session, QUESTION, assess(session, QUESTION), media))
    assert any("interrupted" in n for n in notes) and any("No answer was recorded" in n for n in notes)
    assert any("Missing audio file" in n for n in notes) and any("no scorecard" in n for n in notes)
    for n in notes:
        assert n.replace("'", "&#x27;") in html
    assert 'id="verdict"' not in html and "How did you get them to agree?" in html


def test_a_silent_answer_still_gets_a_page() -> None:
    session = replace(make_session(QUESTION.id, now=T0, with_probe=False),
                      turns=(Turn(TurnKind.ANSWER, "Q", "answer.wav", Transcript((), 12.0)),))  # fmt: skip
    html = _page(session)
    assert "No words were heard in the answer" in html and "No words were heard." in html


def test_progress_and_the_previous_attempt_appear_from_the_second_attempt(home: Path) -> None:
    root = paths.recordings_dir()
    first = make_session(QUESTION.id, now=T0, text=WEAK, old_score=20)
    _saved(root, first)
    assert "Progress on this question" not in _report_of(first.id)
    second = make_session(QUESTION.id, now=T0 + timedelta(days=1), text=STRONG)
    _saved(root, second)
    html = _report_of(second.id)
    assert "Progress on this question (2 attempts)" in html and "This attempt beside the previous one" in html
    assert f"{first.id}/report.html" in html  # the previous attempt's report, relative to this one


def _report_of(session_id: str) -> str:
    result = runner.invoke(app, ["report", session_id, "--no-voice"])
    assert result.exit_code == 0, result.output
    return (paths.recordings_dir() / session_id / report.REPORT_FILE).read_text(encoding="utf-8")


# --- the command ---------------------------------------------------------------------------------------------


def test_report_last_writes_the_page_beside_the_session_and_leaves_session_json_alone(home: Path) -> None:
    root = paths.recordings_dir()
    folder = _saved(root, make_session(QUESTION.id, now=T0, text=MIDDLING, old_score=40))
    before = (folder / SESSION_FILE).read_bytes(), (folder / SESSION_FILE).stat().st_mtime_ns
    result = runner.invoke(app, ["report", "--no-voice"])
    assert result.exit_code == 0, result.output
    page = folder / report.REPORT_FILE
    assert result.stdout.strip() == f"Report: {page}"
    assert ((folder / SESSION_FILE).read_bytes(), (folder / SESSION_FILE).stat().st_mtime_ns) == before
    html = page.read_text(encoding="utf-8")
    assert 'src="answer.wav"' in html and 'src="probe-1.wav"' in html
    assert not (folder / "prompt-question.wav").exists()  # --no-voice


def test_report_out_links_the_audio_relative_to_the_page_or_embeds_it(home: Path, tmp_path: Path) -> None:
    root = paths.recordings_dir()
    session = make_session(QUESTION.id, now=T0)
    folder = _saved(root, session)
    out = tmp_path / "elsewhere" / "mine.html"
    assert runner.invoke(app, ["report", session.id[:8], "--out", str(out), "--no-voice"]).exit_code == 0
    src = re.search(r'<audio id="a-answer"[^>]* src="([^"]+)"', out.read_text(encoding="utf-8"))
    assert src is not None and (out.parent / unquote(src.group(1))).resolve() == (folder / "answer.wav").resolve()
    embedded = tmp_path / "mail.html"
    assert runner.invoke(app, ["report", str(folder), "--out", str(embedded), "--embed-audio", "--no-voice"]).exit_code == 0
    html = embedded.read_text(encoding="utf-8")
    assert html.count('src="data:audio/wav;base64,') == 2 and "answer.wav" not in html


def test_report_speaks_the_prompts_into_the_session_folder_with_espeak(home: Path) -> None:
    need_espeak()
    folder = _saved(paths.recordings_dir(), make_session(QUESTION.id, now=T0))
    assert runner.invoke(app, ["report", "last"]).exit_code == 0
    assert (folder / "prompt-question.wav").stat().st_size > 1000 and (folder / "prompt-probe-1.wav").is_file()
    html = (folder / report.REPORT_FILE).read_text(encoding="utf-8")
    assert 'src="prompt-question.wav"' in html and 'src="prompt-probe-1.wav"' in html


def test_a_missing_wav_is_named_on_the_page(home: Path) -> None:
    folder = _saved(paths.recordings_dir(), make_session(QUESTION.id, now=T0), wavs=False)
    (folder / "answer.wav").write_bytes(b"RIFF")
    assert runner.invoke(app, ["report", "last", "--no-voice"]).exit_code == 0
    html = unescape((folder / report.REPORT_FILE).read_text(encoding="utf-8"))
    assert "answer's recording cannot be played" in html and "Missing audio file" in html
    assert '<audio id="a-answer"' not in html


def test_report_index_lists_every_session_newest_first_and_writes_their_reports(home: Path) -> None:
    root = paths.recordings_dir()
    ids = []
    for i, text in enumerate((WEAK, MIDDLING, STRONG)):
        s = make_session(QUESTION.id, now=T0 + timedelta(days=i), text=text, old_score=30, level=Level.SENIOR)
        _saved(root, s)
        ids.append(s.id)
    (root / "broken").mkdir()
    result = runner.invoke(app, ["report", "--index"])
    assert result.exit_code == 0, result.output
    assert f"Index: {root / 'index.html'} (3 session reports)" in result.stdout
    assert "Skipped broken: No session.json" in result.stderr
    html = (root / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)/report.html">', html)
    assert links == list(reversed(ids))
    assert all((root / i / report.REPORT_FILE).is_file() for i in ids)
    assert "3 attempts" in html and html.count('class="chart attempts"') == 6 and "broken" in html
    page = (root / ids[0] / report.REPORT_FILE).read_text(encoding="utf-8")
    assert 'href="../index.html"' not in page  # written before the index existed
    assert runner.invoke(app, ["report", ids[0], "--no-voice"]).exit_code == 0
    assert 'href="../index.html"' in (root / ids[0] / report.REPORT_FILE).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["report", "nope"], 1, "Error: No session 'nope'"),
        (["report", "a", "b", "--out", "x.html"], 2, "--out names one page"),
        (["report", "last", "--index"], 2, "--index writes every session's report"),
    ],
)
def test_report_errors_are_one_line(home: Path, args: list[str], code: int, message: str) -> None:
    _saved(paths.recordings_dir(), make_session(QUESTION.id, now=T0))
    result = runner.invoke(app, args)
    assert result.exit_code == code
    assert message in " ".join(result.stderr.split()) and "Traceback" not in result.output


def test_a_page_that_cannot_be_written_is_a_one_line_error(home: Path, tmp_path: Path) -> None:
    _saved(paths.recordings_dir(), make_session(QUESTION.id, now=T0))
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = runner.invoke(app, ["report", "--no-voice", "--out", str(blocker / "r.html")])
    assert result.exit_code == 1 and result.stderr.startswith("Error: Could not write the report")


def test_open_without_a_display_says_where_the_page_is(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    _saved(paths.recordings_dir(), make_session(QUESTION.id, now=T0))
    result = runner.invoke(app, ["report", "--open", "--no-voice"])
    assert result.exit_code == 0 and "No display to open a browser on" in result.stderr


def test_open_in_browser_hands_the_browser_a_file_url(tmp_path: Path) -> None:
    opened: list[str] = []

    def opener(url: str) -> bool:
        opened.append(url)
        return True

    page = tmp_path / "a b.html"
    assert report.open_in_browser(page, opener=opener, is_display=True) is None
    assert opened == [page.resolve().as_uri()]
    assert "Could not start a browser" in (report.open_in_browser(page, opener=lambda _: False, is_display=True) or "")


def test_the_index_grows_linearly_with_the_sessions(home: Path) -> None:
    """A guard against a slip into quadratic work (each page re-scoring every attempt); the 5 s budget for
    200 sessions is measured by scripts/bench_report.py."""
    root = paths.recordings_dir()
    make_session_folders(root, 40, tuple(BANK))
    started = time.perf_counter()
    result = report.report_index(root, BANK)
    took_s = time.perf_counter() - started
    assert len(result.reports) == 40 and not result.failed
    assert took_s < 5.0, f"{took_s:.2f} s for 40 sessions"
