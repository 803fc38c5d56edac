"""`mockint report`: write a session's report page (report.html in its folder) and the index of every session,
and open one in the browser when there is a display.

The shell around report_page.py/report_index.py: it finds and loads sessions (store.py), scores in memory the
ones saved with another rubric (report_data.assess; session.json is only read), links or embeds the audio,
speaks the prompts into WAVs with espeak-ng when it is installed, and writes the pages atomically.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import shutil
import subprocess
import sys
import webbrowser
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from mockint import atomic, history
from mockint.audio import check_wav
from mockint.bank import Question
from mockint.errors import AudioError, MockintError
from mockint.report_data import Assessment, as_scored, assess
from mockint.report_index import IndexEntry, index_page
from mockint.report_page import Previous, ReportInput, TurnMedia, session_page
from mockint.session import Session, TurnKind
from mockint.star import Section
from mockint.store import Stored, find, scan
from mockint.timing import DEFAULT_TARGETS_S

log = logging.getLogger(__name__)

REPORT_FILE = "report.html"
INDEX_FILE = "index.html"


@dataclass(frozen=True, slots=True)
class ReportOptions:
    is_embedding_audio: bool = False  # audio as data: URIs inside the page (one file to mail) instead of links
    is_speaking_prompts: bool = True  # synthesise the question and probes with espeak-ng when it is installed


@dataclass(frozen=True, slots=True)
class Assessed:
    """A loaded session with its question (None if the bank lacks it) and what the report shows of its score."""

    stored: Stored
    question: Question | None
    assessment: Assessment

    @property
    def session(self) -> Session:
        return self.stored.session

    @property
    def scored(self) -> Session:
        return as_scored(self.stored.session, self.assessment)


@dataclass(frozen=True, slots=True)
class IndexResult:
    path: Path
    reports: tuple[Path, ...]
    failed: tuple[tuple[Path, str], ...]  # session reports that could not be written, and why
    unreadable: tuple[tuple[Path, str], ...]  # session folders that could not be loaded, and why


def assess_all(stored: Iterable[Stored], questions: Mapping[str, Question]) -> list[Assessed]:
    out = []
    for s in stored:
        question = questions.get(s.session.question_id)
        out.append(Assessed(s, question, assess(s.session, question)))
    return out


# --- links, embedded audio and spoken prompts ---------------------------------------------------------------


def href(target: Path, page: Path) -> str:
    """`target` as a URL relative to the page that links it."""
    return quote(Path(os.path.relpath(target.resolve(), page.resolve().parent)).as_posix())


def _src(path: Path, page: Path, options: ReportOptions) -> str:
    if options.is_embedding_audio:
        return "data:audio/wav;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
    return href(path, page)


def _prompt_file(session: Session, index: int) -> str:
    if session.turns[index].kind is TurnKind.ANSWER:
        return "prompt-question.wav"
    number = sum(1 for t in session.turns[: index + 1] if t.kind is TurnKind.PROBE)
    return f"prompt-probe-{number}.wav"


def speak_prompt(text: str, path: Path) -> bool:
    """Write `text` spoken by espeak-ng to `path`; False (nothing written) without espeak-ng or on failure."""
    espeak = shutil.which("espeak-ng")
    if espeak is None or not text.strip():
        return False
    tmp = path.with_name(path.name + ".tmp")
    try:
        subprocess.run([espeak, "-w", str(tmp), text], check=True, capture_output=True, timeout=60)
        atomic.replace(tmp, path)
    except (OSError, subprocess.SubprocessError) as e:
        log.warning("could not speak the prompt into %s: %s", path, e)
        tmp.unlink(missing_ok=True)
        return False
    return True


def _media(stored: Stored, page: Path, options: ReportOptions) -> tuple[TurnMedia, ...]:
    media = []
    for index, turn in enumerate(stored.session.turns):
        what = "answer" if turn.kind is TurnKind.ANSWER else "probe answer"
        src, missing = None, None
        if turn.audio_file is None:
            missing = f"The {what} has no recording (nothing was kept)."
        else:
            try:
                check_wav(stored.folder / turn.audio_file)
                src = _src(stored.folder / turn.audio_file, page, options)
            except (AudioError, OSError) as e:
                missing = f"The {what}'s recording cannot be played: {e}"
        prompt = stored.folder / _prompt_file(stored.session, index)
        if not prompt.is_file() and options.is_speaking_prompts:
            speak_prompt(turn.prompt, prompt)
        prompt_src = _src(prompt, page, options) if prompt.is_file() else None
        media.append(TurnMedia(src, prompt_src, missing))
    return tuple(media)


# --- writing -----------------------------------------------------------------------------------------------


def write_page(path: Path, html: str) -> None:
    """Write atomically; a failure is one line saying which file and what to do."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(html, encoding="utf-8")
        atomic.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise MockintError(f"Could not write the report '{path}': {e.strerror or e}. Pass a writable --out path.") from None


def _targets(questions: Mapping[str, Question]) -> history.TargetsFor:
    table = {q.id: {s.section: s.target_s for s in q.sections} for q in questions.values()}

    def targets_for(question_id: str) -> Mapping[Section, float]:
        return table.get(question_id, DEFAULT_TARGETS_S)

    return targets_for


def _progress(attempts: Sequence[Assessed], questions: Mapping[str, Question]) -> dict[str, history.Progress]:
    return {p.question_id: p for p in history.progress((a.scored for a in attempts), _targets(questions))}


def _previous(target: Assessed, attempts: Sequence[Assessed], page: Path) -> Previous | None:
    """The latest attempt at the same question recorded before this one."""
    key = (history.created(target.session), target.session.id)
    earlier = [a for a in attempts if a.session.question_id == target.session.question_id
               and (history.created(a.session), a.session.id) < key]  # fmt: skip
    if not earlier:
        return None
    prev = max(earlier, key=lambda a: (history.created(a.session), a.session.id))
    report = prev.stored.folder / REPORT_FILE
    return Previous(prev.session, prev.assessment, href(report, page) if report.is_file() else None)


def write_report(
    target: Assessed, page: Path, *, progress: history.Progress | None, previous: Previous | None,
    options: ReportOptions, index: Path | None = None,
) -> Path:  # fmt: skip
    data = ReportInput(
        session=target.session, question=target.question, assessment=target.assessment,
        media=_media(target.stored, page, options), progress=progress, previous=previous,
        index_href=href(index, page) if index is not None and index.is_file() else None,
    )  # fmt: skip
    write_page(page, session_page(data))
    return page


def report_sessions(
    root: Path, names: Sequence[str], questions: Mapping[str, Question], *, out: Path | None = None,
    options: ReportOptions = ReportOptions(),
) -> list[Path]:  # fmt: skip
    """Write the report of each named session (ids, prefixes, folders or 'last', as store.find takes them):
    to `out` when one session is named, else report.html in its folder. Raises SessionError for a name that
    matches nothing, MockintError when a page cannot be written."""
    targets = [find(root, name) for name in names]
    wanted = {t.session.question_id for t in targets}
    others, _ = scan(root)
    by_folder = {s.folder.resolve(): s for s in others if s.session.question_id in wanted}
    for t in targets:
        by_folder.setdefault(t.folder.resolve(), t)
    attempts = assess_all(by_folder.values(), questions)
    progress = _progress(attempts, questions)
    written = []
    for t in targets:
        target = next(a for a in attempts if a.stored.folder.resolve() == t.folder.resolve())
        page = out if out is not None else t.folder / REPORT_FILE
        written.append(write_report(target, page, progress=progress.get(t.session.question_id),
                                    previous=_previous(target, attempts, page), options=options,
                                    index=root / INDEX_FILE))  # fmt: skip
    return written


def report_index(
    root: Path, questions: Mapping[str, Question], *, out: Path | None = None, options: ReportOptions = ReportOptions(),
) -> IndexResult:  # fmt: skip
    """Write every session's report (report.html in its folder) and the index page listing them (`out`,
    default index.html in the recordings folder). Prompts are not synthesised here (one espeak-ng run per
    prompt would dominate the time); the ones already spoken are linked."""
    page = out if out is not None else root / INDEX_FILE
    stored, unreadable = scan(root)
    attempts = assess_all(stored, questions)
    progress = _progress(attempts, questions)
    quiet = ReportOptions(options.is_embedding_audio, is_speaking_prompts=False)
    written: list[Path] = []
    failed: list[tuple[Path, str]] = []
    hrefs: dict[str, str] = {}
    for a in sorted(attempts, key=lambda a: (history.created(a.session), a.session.id)):
        report = a.stored.folder / REPORT_FILE
        try:
            write_report(a, report, progress=progress.get(a.session.question_id), previous=_previous(a, attempts, report),
                         options=quiet, index=None)  # fmt: skip
        except MockintError as e:
            failed.append((a.stored.folder, str(e)))
            continue
        written.append(report)
        hrefs[a.session.id] = href(report, page)
    rows = history.rows(a.scored for a in attempts)
    entries = [IndexEntry(r, hrefs.get(r.id)) for r in rows]
    titles = {q.id: q.title for q in questions.values()}
    html = index_page(entries, list(progress.values()), titles, [(u.folder.name, u.reason) for u in unreadable])
    write_page(page, html)
    return IndexResult(page, tuple(written), tuple(failed), tuple((u.folder, u.reason) for u in unreadable))


# --- opening -----------------------------------------------------------------------------------------------


def has_display(env: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """A graphical session to show a browser in (always on macOS and Windows; X11 or Wayland elsewhere).
    Without one, webbrowser would fall back to a text browser that takes over the terminal."""
    return platform in ("darwin", "win32") or bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def open_in_browser(path: Path, *, opener: Callable[[str], bool] | None = None, is_display: bool | None = None) -> str | None:
    """Open the page in the default browser. Returns None when it was opened, else why not (never raises)."""
    if not (has_display() if is_display is None else is_display):
        return f"No display to open a browser on; open {path} in one yourself."
    try:
        is_opened = (opener or webbrowser.open)(path.resolve().as_uri())
    except (webbrowser.Error, OSError) as e:  # opening is a convenience: the page is written either way
        log.warning("could not open %s: %s", path, e)
        is_opened = False
    return None if is_opened else f"Could not start a browser; open {path} in one yourself."
