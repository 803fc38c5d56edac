"""The session report in a real browser: the system's headless Chromium driven by Selenium through
/usr/bin/chromedriver (Selenium Manager never runs, so nothing is downloaded).

Skipped when Chromium, its driver or Selenium is missing, unless MOCKINT_REQUIRE_BROWSER=1 (scripts/test.sh),
where that fails instead. Set-up: `bash scripts/setup.sh --test`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from audio_helpers import STAR_ANSWER, synthesise
from sessiongen import PROBE_ANSWER, timed_transcript, write_silence_wav
from typer.testing import CliRunner

from mockint import paths
from mockint.bank import Level, load_bank
from mockint.cli import app
from mockint.report_data import assess
from mockint.session import Session, Turn, TurnKind
from mockint.star import Section
from mockint.store import save

pytestmark = pytest.mark.browser

CHROMEDRIVER = Path("/usr/bin/chromedriver")
QUESTION = {q.id: q for q in load_bank(Path(__file__).resolve().parent.parent / "prompts")}["disagree-and-commit"]
ANSWER_TEXT = " ".join(text for _, text in STAR_ANSWER)
CHROME_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
    "--window-size=1100,1400",
)  # fmt: skip


def need_browser() -> str:
    """The Chromium binary; skips (or fails under MOCKINT_REQUIRE_BROWSER=1) when something is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    missing = [name for name, ok in (
        ("chromium", chromium is not None),
        (f"chromium-driver ({CHROMEDRIVER})", CHROMEDRIVER.is_file()),
        ("selenium (pip install -e '.[test]')", importlib.util.find_spec("selenium") is not None),
    ) if not ok]  # fmt: skip
    if missing:
        reason = f"{', '.join(missing)} not installed; 'bash scripts/setup.sh --test' installs them"
        if os.environ.get("MOCKINT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"MOCKINT_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    assert chromium is not None
    return chromium


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    chromium = need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must not look for a driver online
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROME_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def session_folder(home: Path) -> Path:
    """A session whose answer is real speech (espeak-ng; quiet noise of the same length without it)."""
    folder = paths.recordings_dir() / "20261125-120000-disagree-and-commit"
    folder.mkdir(parents=True)
    if shutil.which("espeak-ng"):
        spoken = synthesise([ANSWER_TEXT], folder / "answer.wav", lead_s=0.5, tail_s=0.5, wpm=240)
        transcript = timed_transcript(ANSWER_TEXT, words_per_s=len(ANSWER_TEXT.split()) / (spoken.duration_s - 1.0),
                                      pause_s=0.0, lead_s=0.5)  # fmt: skip
    else:
        transcript = timed_transcript(ANSWER_TEXT, words_per_s=4.0, lead_s=0.5)
        write_silence_wav(folder / "answer.wav", transcript.duration_s)
    probe = timed_transcript(PROBE_ANSWER)
    write_silence_wav(folder / "probe-1.wav", probe.duration_s)
    session = Session(
        folder.name, "2026-11-25T12:00:00+00:00", QUESTION.id, Level.SDE2, None, "base",
        (Turn(TurnKind.ANSWER, QUESTION.title, "answer.wav", transcript),
         Turn(TurnKind.PROBE, QUESTION.probes[0].question, "probe-1.wav", probe, 0)), (),
    )  # fmt: skip
    save(session, folder)
    return folder


def _write_report(folder: Path, *args: str) -> Path:
    result = CliRunner().invoke(app, ["report", str(folder), "--no-voice", *args])
    assert result.exit_code == 0, result.output
    return Path(result.stdout.split("Report: ", 1)[1].strip())


def _open(driver: Any, page: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    startup = _requested(driver)  # drained: Chromium's own start page (chrome:// URLs) is not ours
    assert [u for u in startup if u.startswith(("http:", "https:", "ws:", "wss:"))] == []
    driver.get(page.resolve().as_uri())
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.getElementById('a-answer').readyState") >= 1)


def _severe(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _requested(driver: Any) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            urls.append(message["params"].get("request", {}).get("url") or message["params"].get("url", ""))
    return urls


def _action_start_s(folder: Path) -> float:
    from mockint.store import load

    spans = assess(load(folder), QUESTION).spans
    return next(s.start_s for s in spans if s.section is Section.ACTION)


def test_the_report_loads_from_disk_with_no_console_error_and_no_network_request(browser: Any, session_folder: Path) -> None:
    _open(browser, _write_report(session_folder))
    assert browser.execute_script("return document.getElementById('a-answer').error") is None
    assert browser.execute_script("return document.getElementById('a-answer').duration") > 5
    assert _severe(browser) == []
    urls = _requested(browser)
    assert any(u.startswith("file:") and u.endswith("answer.wav") for u in urls), urls
    # Chromium's own start page can still fetch its chrome:// icons after _open drained the log: not ours, and
    # not the network (seen once in a full run under load).
    assert [u for u in urls if not u.startswith(("file:", "data:", "chrome:"))] == []


def test_clicking_the_action_segment_seeks_the_answer_to_the_action(browser: Any, session_folder: Path) -> None:
    _open(browser, _write_report(session_folder))
    start = _action_start_s(session_folder)
    assert start > 3
    browser.find_element("css selector", 'svg.strip g.seg[data-section="action"]').click()
    at = browser.execute_script("return document.getElementById('a-answer').currentTime")
    assert start - 0.01 <= at < start + 0.75, (at, start)  # the click also starts playback
    current = browser.find_element("css selector", ".transcript[data-audio='a-answer'] .w.cur")
    assert abs(float(current.get_attribute("data-t")) - start) < 0.01  # the Action's first word is lit
    assert _severe(browser) == []


def test_playing_moves_the_highlighted_word_and_the_page_can_be_shot(browser: Any, session_folder: Path, tmp_path: Path) -> None:
    _open(browser, _write_report(session_folder))
    browser.find_element("css selector", ".transcript[data-audio='a-answer'] .w").click()  # the first word
    first = browser.execute_script("return Array.from(document.querySelectorAll('#answer .w')).findIndex(w => w.classList.contains('cur'))")
    started = browser.execute_script("return document.getElementById('a-answer').currentTime")
    # Wait on the player's clock, not ours: a busy machine starts playback late.
    deadline = time.monotonic() + 30
    while browser.execute_script("return document.getElementById('a-answer').currentTime") - started < 1.2:
        assert time.monotonic() < deadline, "the answer did not play"
        time.sleep(0.05)
    state = browser.execute_script(
        "const a = document.getElementById('a-answer'); const ws = Array.from(document.querySelectorAll('#answer .w'));"
        "const i = ws.findIndex(w => w.classList.contains('cur'));"
        "return {t: a.currentTime, paused: a.paused, i: i, at: i >= 0 ? parseFloat(ws[i].dataset.t) : null,"
        " next: i + 1 < ws.length ? parseFloat(ws[i + 1].dataset.t) : null};"
    )  # fmt: skip
    assert not state["paused"] and state["t"] - started > 0.8, state
    assert state["i"] > first >= 0, state
    assert state["at"] <= state["t"] + 0.01 and (state["next"] is None or state["next"] > state["t"] - 0.3), state
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    assert _severe(browser) == []


def test_a_report_with_the_audio_inside_plays_on_its_own(browser: Any, session_folder: Path, tmp_path: Path) -> None:
    page = _write_report(session_folder, "--embed-audio", "--out", str(tmp_path / "mail" / "report.html"))
    _open(browser, page)
    assert browser.execute_script("return document.getElementById('a-answer').duration") > 5
    assert [u for u in _requested(browser) if u.startswith("file:")] == [page.resolve().as_uri()]
    assert _severe(browser) == []


def test_the_index_links_to_each_report(browser: Any, session_folder: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--index"])
    assert result.exit_code == 0, result.output
    browser.get((paths.recordings_dir() / "index.html").resolve().as_uri())
    assert "Practice sessions" in browser.title
    browser.find_element("css selector", "table a").click()
    assert QUESTION.title in browser.title
    assert browser.current_url.endswith(f"{session_folder.name}/report.html")
    assert _severe(browser) == []
