"""The command line: parse, wire, call one function, print, pick an exit code.

Heavy modules (faster-whisper, sounddevice, pyttsx3) are imported inside the commands so that
`mockint --help` stays fast and never loads ctranslate2.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from mockint.bank import Level, Question
from mockint.errors import MockintError
from mockint.exits import stop_code
from mockint.usage import OneLineErrors

app = typer.Typer(
    cls=OneLineErrors,
    help="Practise behavioural interview answers out loud, offline, with STAR feedback.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(fn: F) -> F:
    """Turn our own errors into one line on stderr and exit code 1; let anything else show as a bug."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MockintError as e:
            err.print(f"Error: {e}", markup=False, soft_wrap=True)
            raise typer.Exit(code=1) from None
        except KeyboardInterrupt as e:  # Ctrl-C, SIGTERM, SIGHUP where the command has nothing to save
            err.print(f"\nStopped ({e.args[0] if e.args else 'Ctrl-C'}).", markup=False)
            raise typer.Exit(code=stop_code(e)) from None

    return wrapper  # type: ignore[return-value]


BankOption = Annotated[
    Path | None,
    typer.Option("--bank", help="Question folder (default: $MOCKINT_BANK or the bundled prompts/).", show_default=False),
]
FullOption = Annotated[
    bool, typer.Option("--full", help="The whole debrief (every finding, coaching, level, LP angle, probes), not the one-screen summary."),
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="Local faster-whisper model folder or model name (default: bundled Whisper base).", show_default=False),
]


def _level(value: str) -> Level:
    try:
        return Level(value.casefold())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a level; use sde1, sde2 or senior.", param_hint="--level") from None


def _check_lp(question: Question, lp: str | None) -> None:
    if lp is not None and question.lp_angle(lp) is None:
        angles = ", ".join(a.name for a in question.lp_angles)
        raise typer.BadParameter(f"question '{question.id}' has no angle {lp!r}; it has: {angles}.", param_hint="--lp")


# --- commands -----------------------------------------------------------------------------------
# Each command is a thin block: gather inputs, call one function, print. Keep them in this file.


@app.command()
@reports_errors
def transcribe(
    file: Annotated[Path, typer.Argument(help="A recording: WAV, FLAC or MP3, any sample rate.")],
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the words and times as JSON.")] = False,
    fillers: Annotated[bool, typer.Option("--fillers/--no-fillers", help="Prompt Whisper to keep um/uh.")] = True,
) -> None:
    """Transcribe a recording and print each word with its time."""
    import json

    from mockint.asr import AsrOptions, WhisperTranscriber
    from mockint.audio import load_audio
    from mockint.practice import progress_note

    recording = load_audio(file)
    transcript = WhisperTranscriber(model, AsrOptions(keep_fillers=fillers), progress_note(err)).transcribe(recording)
    if as_json:
        out.print_json(json.dumps(transcript.to_dict()))
        return
    from rich.table import Table

    out.print(transcript.text or "(no speech recognised)", soft_wrap=True)
    table = Table("start", "end", "word", "p", box=None, pad_edge=False)
    for w in transcript.words:
        table.add_row(f"{w.start_s:6.2f}", f"{w.end_s:6.2f}", w.text, f"{w.probability:.2f}")
    out.print(table)


@app.command()
def doctor() -> None:
    """Check the microphone, speaker and voice, speech model and recordings folder."""
    from mockint.doctor import CheckStatus, check_row, run_checks
    from mockint.liveview import WaitingLine

    waiting = WaitingLine(err)
    failed = False
    for check in run_checks(waiting.show):
        waiting.clear()
        failed = failed or check.status is CheckStatus.FAIL
        out.print(check_row(check))
    if failed:
        raise typer.Exit(code=1)


@app.command()
@reports_errors
def questions(
    question_id: Annotated[str | None, typer.Argument(metavar="ID", help="Show this question's walkthrough.", show_default=False)] = None,
    bank: BankOption = None,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Print the walkthrough all at once instead of through a pager.")] = False,
) -> None:
    """List the question bank, or show one question's full walkthrough."""
    from mockint import paths
    from mockint.bank import find_question, load_bank
    from mockint.terminal import page
    from mockint.walkthrough import bank_table, next_step, walkthrough

    bank_questions = load_bank(bank if bank is not None else paths.bank_dir())
    question = None if question_id is None else find_question(bank_questions, question_id)
    if question is None:
        out.print(bank_table(bank_questions))
    elif no_pager:
        out.print(walkthrough(question))
    else:
        page(out, walkthrough(question))
    out.print(next_step(question))


@app.command()
@reports_errors
def analyze(
    file: Annotated[Path, typer.Argument(help="A recorded answer: WAV, FLAC or MP3, any sample rate.")],
    question_id: Annotated[str, typer.Option("--question", metavar="ID", help="Question id (see 'mockint questions').")],
    level: Annotated[str, typer.Option("--level", help="sde1, sde2 or senior: sets the time budget.")] = "sde2",
    lp: Annotated[str | None, typer.Option("--lp", metavar="NAME", help="Leadership-principle angle to judge the story for, e.g. 'Ownership'.", show_default=False)] = None,
    markdown: Annotated[Path | None, typer.Option("--markdown", metavar="FILE", help="Also write the debrief to FILE as Markdown.", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the sections, timings and debrief as JSON.")] = False,
    full: FullOption = False,
    model: ModelOption = None,
    bank: BankOption = None,
) -> None:
    """Transcribe a recorded answer and show its scored debrief (--full: also the transcript by STAR section)."""
    import json

    from mockint import debrief, paths
    from mockint.analysis import analyse
    from mockint.asr import WhisperTranscriber
    from mockint.audio import load_audio
    from mockint.bank import find_question, load_bank
    from mockint.errors import NoAnswerHeard
    from mockint.hearing import judge
    from mockint.practice import progress_note
    from mockint.scoring import score
    from mockint.timeline import render_sections
    from mockint.userpaths import output_file

    level_ = _level(level)
    question = find_question(load_bank(bank if bank is not None else paths.bank_dir()), question_id)
    _check_lp(question, lp)
    if markdown is not None:
        output_file(markdown, "Markdown debrief (--markdown)")  # before the minutes of transcription
    recording = load_audio(file)  # read (and checked) before the model is loaded
    transcript = WhisperTranscriber(model, on_progress=progress_note(err)).transcribe(recording)
    hearing = judge(transcript)
    if not hearing.is_answer:
        raise NoAnswerHeard(f"Nothing to score in '{file}': {hearing.message}")
    analysis = analyse(transcript, question, level_)
    card = score(analysis, question, lp=lp)
    if markdown is not None:
        try:
            markdown.write_text(debrief.to_markdown(card, question), encoding="utf-8")
        except OSError as e:
            raise MockintError(f"Could not write the debrief to '{markdown}': {e.strerror}. Pass a writable --markdown path.") from e
        err.print(f"Debrief written to {markdown}", markup=False, soft_wrap=True)
    if as_json:
        out.print_json(json.dumps({**analysis.to_dict(), "debrief": debrief.to_dict(card, question)}))
        return
    if full:
        out.print(render_sections(analysis.spans))
        out.print(debrief.render(card, question))  # opens with the timeline
    else:
        out.print(debrief.summary(card, question))
        out.print("The whole debrief, with the transcript by section: add [bold]--full[/].")


@app.command()
@reports_errors
def practice(
    question_id: Annotated[str | None, typer.Option("--question", metavar="ID", help="Question id (see 'mockint questions'); default: a random one.", show_default=False)] = None,
    level: Annotated[str, typer.Option("--level", help="sde1, sde2 or senior: sets the time budget and the bar.")] = "sde2",
    lp: Annotated[str | None, typer.Option("--lp", help="Leadership-principle angle to tell the story for, e.g. 'Ownership'.", show_default=False)] = None,
    probes: Annotated[int, typer.Option("--probes", min=0, help="Follow-up probes to ask after the answer.")] = 2,
    no_voice: Annotated[bool, typer.Option("--no-voice", help="Print the questions instead of speaking them.")] = False,
    voice: Annotated[str | None, typer.Option("--voice", help="Text-to-speech voice id or name (part of it will do).", show_default=False)] = None,
    rate: Annotated[int, typer.Option("--rate", min=60, max=400, help="Speaking rate of the voice, words per minute.")] = 170,
    answer_file: Annotated[Path | None, typer.Option("--answer-file", help="Use this recording as the answer instead of the microphone.", show_default=False)] = None,
    probe_file: Annotated[list[Path] | None, typer.Option("--probe-file", help="Recording of a probe answer (repeat for each probe); with --answer-file.", show_default=False)] = None,
    silence_s: Annotated[float | None, typer.Option("--silence-s", min=0.5, help="Silence that ends an answer once you have started (default 3.5).", show_default=False)] = None,
    thinking_s: Annotated[float | None, typer.Option("--thinking-s", min=1.0, help="Time to think before the first word (default 20).", show_default=False)] = None,
    max_answer_s: Annotated[float, typer.Option("--max-answer-s", min=5.0, help="Hard cap on the answer, seconds.")] = 300.0,
    max_probe_s: Annotated[float, typer.Option("--max-probe-s", min=5.0, help="Hard cap on each probe answer, seconds.")] = 120.0,
    input_device: Annotated[str | None, typer.Option("--input-device", help="Microphone name or index (default: the system's).", show_default=False)] = None,
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the saved session as JSON instead of the debrief.")] = False,
    open_page: Annotated[bool, typer.Option("--open", help="Open the session's report in the browser at the end (when there is a display).")] = False,
    full: FullOption = False,
    bank: BankOption = None,
) -> None:
    """A spoken practice interview: hear a question, answer out loud, answer the follow-ups, get a debrief."""
    import json
    import random

    from mockint import debrief, paths
    from mockint.bank import find_question, load_bank
    from mockint.hearing import judge
    from mockint.interview import Interrupted
    from mockint.practice import PracticeOptions, run_practice, write_report
    from mockint.session import to_dict

    level_ = _level(level)
    if probe_file and answer_file is None:
        raise typer.BadParameter("a probe answered from a recording needs the answer's recording too: add --answer-file FILE.",
                                 param_hint="--probe-file")  # fmt: skip
    bank_questions = load_bank(bank if bank is not None else paths.bank_dir())
    question = find_question(bank_questions, question_id) if question_id else random.choice(bank_questions)
    _check_lp(question, lp)
    options = PracticeOptions(
        question, level_, lp, probes, not no_voice, voice, rate, answer_file, tuple(probe_file or ()), silence_s,
        thinking_s, max_answer_s, max_probe_s, input_device, model,
    )  # fmt: skip
    try:
        session, folder = run_practice(options, err)
    except Interrupted as e:
        kept = (f"The partial session is saved in {e.folder}; score what was recorded with "
                f"'mockint rescore --retranscribe {e.folder}'." if e.folder else "Nothing was recorded yet.")
        err.print(f"\nInterrupted. {kept}", markup=False, soft_wrap=True)
        raise typer.Exit(code=e.exit_code) from None
    answer = session.answer
    hearing = judge(answer.transcript) if answer is not None else None
    scored = hearing is not None and hearing.is_answer
    if as_json:
        report = {"folder": str(folder), "session": to_dict(session),
                  "debrief": debrief.to_dict(session, question) if scored else None,
                  "heard": None if hearing is None else hearing.heard.value,
                  "message": "" if hearing is None else hearing.message}
        out.print_json(json.dumps(report))
        if (page := write_report(folder, bank_questions, err)) is not None:
            err.print(f"Report: {page}", soft_wrap=True, markup=False)
    else:
        if scored:
            # below the one-screen debrief: where it is saved (wrapped by the terminal), the next steps, and the
            # shell's prompt (two rows for the prompts that take two)
            below = -(-len(f"Session saved in {folder}, with its report page.") // max(out.width, 1)) + 3
            rows = out.height - below if out.is_terminal else None
            out.print(debrief.render(session, question) if full else debrief.summary(session, question, rows=rows))
        elif hearing is not None:
            out.print(hearing.message, markup=False, soft_wrap=True)
        page = write_report(folder, bank_questions, err)
        # soft_wrap: a long path is wrapped by the terminal, not pushed whole onto a line of its own (one row
        # fewer, so the verdict at the top of the one-screen debrief stays on a 24-row screen)
        out.print(f"Session saved in {folder}" + (", with its report page." if page else "."), markup=False, soft_wrap=True)
        if steps := debrief.next_steps("last", is_full=full or not scored, has_page=page is not None):
            out.print(steps)
    if open_page and page is not None:
        _open_page(page)


def _parse_day(value: str | None, option: str) -> Any:
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD.", param_hint=option) from None


def _targets_by_question(bank: Path | None) -> Callable[[str], Any]:
    """Per-question section targets from the bank; the seeds' defaults for questions it no longer has."""
    from mockint import paths
    from mockint.bank import load_bank
    from mockint.errors import BankError
    from mockint.timing import DEFAULT_TARGETS_S

    try:
        loaded = load_bank(bank if bank is not None else paths.bank_dir())
    except BankError as e:
        err.print(f"Warning: {e} Using the default section targets.", markup=False, soft_wrap=True)
        loaded = ()
    table = {q.id: {s.section: s.target_s for s in q.sections} for q in loaded}
    return lambda question_id: table.get(question_id, DEFAULT_TARGETS_S)


@app.command()
@reports_errors
def sessions(
    question_id: Annotated[str | None, typer.Option("--question", metavar="ID", help="Only this question.", show_default=False)] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD", help="Only sessions on or after this day.", show_default=False)] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="YYYY-MM-DD", help="Only sessions on or before this day.", show_default=False)] = None,
    show_progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Draw progress over attempts per question.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
    bank: BankOption = None,
) -> None:
    """Past sessions (date, question, level, total time, score, verdict) and progress over attempts."""
    import json

    from mockint import history, paths
    from mockint.history_view import progress_view, sessions_footer, sessions_table
    from mockint.store import scan

    root = paths.recordings_dir()
    stored, unreadable = scan(root)
    chosen = history.select(
        (s.session for s in stored), question=question_id, since=_parse_day(since, "--since"), until=_parse_day(until, "--until")
    )
    rows = history.rows(chosen)
    for bad in unreadable:
        err.print(f"Skipped {bad.folder.name}: {bad.reason}", markup=False, soft_wrap=True)
    if as_json:
        out.print_json(json.dumps([
            {"id": r.id, "created_at": r.created_at.isoformat(), "question_id": r.question_id, "level": r.level.value,
             "total_s": r.total_s, "overall": r.overall, "verdict": r.verdict, "is_complete": r.is_complete}
            for r in rows
        ]))
        return
    if not rows:
        out.print(f"No sessions in '{root}' match. Record one with 'mockint practice'.", markup=False)
        return
    out.print(sessions_table(rows))
    shown = [p for p in history.progress(chosen, _targets_by_question(bank)) if len(p.attempts) > 1] if show_progress else []
    for p in shown:
        out.print()
        out.print(progress_view(p))
    out.print(sessions_footer(has_progress=bool(shown)))


@app.command()
@reports_errors
def replay(
    name: Annotated[str, typer.Argument(metavar="SESSION", help="Session id, a unique prefix of it, its folder, or 'last'.")],
    section: Annotated[str | None, typer.Option("--section", help="Start at this STAR section of the answer (e.g. action).", show_default=False)] = None,
    no_audio: Annotated[bool, typer.Option("--no-audio", help="Print the timeline and transcript only; play nothing.")] = False,
    no_voice: Annotated[bool, typer.Option("--no-voice", help="Print the question instead of speaking it.")] = False,
    output_device: Annotated[str | None, typer.Option("--output-device", help="Speaker name or index (default: the system's).", show_default=False)] = None,
    full: FullOption = False,
    bank: BankOption = None,
) -> None:
    """Play a saved session while its transcript follows, then show its debrief."""
    from mockint import paths
    from mockint import replay as replay_mod
    from mockint.star import Section
    from mockint.store import find

    jump_to = None
    if section is not None:
        try:
            jump_to = Section(section.casefold())
        except ValueError:
            names = ", ".join(s.value for s in Section)
            raise typer.BadParameter(f"{section!r} is not a section; use one of {names}.", param_hint="--section") from None
    stored = find(paths.recordings_dir(), name)
    session = stored.session
    view = replay_mod.ReplayView(session, _question_of(session.question_id, bank))
    out.print(f"[bold]{session.id}[/]  {session.question_id} · {session.level.value} · recorded with {session.model}")
    if jump_to is not None and replay_mod.section_start_s(view.spans, jump_to) is None:
        err.print(f"No {jump_to.value} section was heard in this answer; playing from the start.")
    if no_audio:
        out.print(replay_mod.transcript_view(replay_mod.transcript_lines(session, view.spans), session))
    else:
        device: int | str | None = int(output_device) if output_device and output_device.isdigit() else output_device
        replay_mod.play_live(stored, view, out, err, jump_to=jump_to, has_voice=not no_voice, device=device)
    out.print(view.closing(is_full=full))
    if not full and view.has_debrief:
        out.print(replay_mod.full_hint(session.id))


@app.command()
@reports_errors
def report(
    names: Annotated[list[str] | None, typer.Argument(metavar="SESSION", help="Session ids, unique prefixes, folders or 'last' (default: last).", show_default=False)] = None,
    index: Annotated[bool, typer.Option("--index", help="Write every session's report and one page listing them all, with progress charts.")] = False,
    out_file: Annotated[Path | None, typer.Option("--out", metavar="FILE", help="Write the page here (one session, or the --index page) instead of beside the session.", show_default=False)] = None,
    open_page: Annotated[bool, typer.Option("--open", help="Open the page in the browser (when there is a display).")] = False,
    embed_audio: Annotated[bool, typer.Option("--embed-audio", help="Put the audio inside the page, so the one file can be mailed.")] = False,
    no_voice: Annotated[bool, typer.Option("--no-voice", help="Do not synthesise the spoken questions with espeak-ng.")] = False,
    bank: BankOption = None,
) -> None:
    """Write a session's report as one HTML page that opens from disk: listen, look, click."""
    from mockint import paths
    from mockint import report as report_mod

    if index and names:
        raise typer.BadParameter("--index writes every session's report; drop the SESSION names.", param_hint="--index")
    if out_file is not None and names is not None and len(names) > 1:
        raise typer.BadParameter("--out names one page; pass one SESSION (or none for the last).", param_hint="--out")
    root = paths.recordings_dir()
    questions = {q.id: q for q in _bank_or_none(bank)}
    options = report_mod.ReportOptions(is_embedding_audio=embed_audio, is_speaking_prompts=not no_voice)
    if index:
        result = report_mod.report_index(root, questions, out=out_file, options=options)
        for folder, reason in (*result.unreadable, *result.failed):
            err.print(f"Skipped {folder.name}: {reason}", markup=False, soft_wrap=True)
        out.print(f"Index: {result.path} ({len(result.reports)} session reports)", markup=False, soft_wrap=True)
        pages = [result.path]
    else:
        pages = report_mod.report_sessions(root, names or ["last"], questions, out=out_file, options=options)
        for page in pages:
            out.print(f"Report: {page}", markup=False, soft_wrap=True)
    if open_page:
        _open_page(pages[-1])


def _open_page(page: Path) -> None:
    from mockint.report import open_in_browser

    why_not = open_in_browser(page)
    if why_not:
        err.print(why_not, markup=False, soft_wrap=True)


def _bank_or_none(bank: Path | None) -> tuple[Question, ...]:
    """The question bank, or none (with a warning) when it cannot be read: pages then show saved scores."""
    from mockint import paths
    from mockint.bank import load_bank

    try:
        return load_bank(bank if bank is not None else paths.bank_dir())
    except MockintError as e:
        err.print(f"Warning: {e} Showing saved scores only.", markup=False, soft_wrap=True)
        return ()


def _question_of(question_id: str, bank: Path | None) -> Question | None:
    """The session's question from the bank, or None (with a note) when the bank no longer has it."""
    from mockint import paths
    from mockint.bank import find_question, load_bank

    try:
        return find_question(load_bank(bank if bank is not None else paths.bank_dir()), question_id)
    except MockintError as e:
        err.print(f"No debrief: {e}", markup=False, soft_wrap=True)
        return None


@app.command()
@reports_errors
def rescore(
    items: Annotated[list[Path], typer.Argument(metavar="PATH", help="Session folders, audio files (WAV/FLAC/MP3) or folders of them.")],
    question_id: Annotated[str | None, typer.Option("--question", metavar="ID", help="The question plain audio files answer.", show_default=False)] = None,
    level: Annotated[str, typer.Option("--level", help="sde1, sde2 or senior, for plain audio files.")] = "sde2",
    retranscribe: Annotated[bool, typer.Option("--retranscribe", help="Run speech recognition again instead of using the saved transcripts.")] = False,
    batched: Annotated[bool, typer.Option("--batched", help="Transcribe in batches: about twice as fast on 2 cores, but without the filler prompt, so scores can differ a little from practice and analyze.")] = False,
    model: ModelOption = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes for scoring saved transcripts (re-transcription batches in one).")] = 2,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first bad item (exit 1) instead of skipping it.")] = False,
    into: Annotated[Path | None, typer.Option("--into", help="Where sessions made from audio files go (default: the recordings folder).", show_default=False)] = None,
    json_out: Annotated[Path | None, typer.Option("--json", metavar="FILE", help="Write every item's result as JSON ('-' for stdout).", show_default=False)] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", metavar="FILE", help="Write every item's result as CSV ('-' for stdout).", show_default=False)] = None,
    bank: BankOption = None,
    cluster: Annotated[str | None, typer.Option("--cluster", metavar="ADDRESS", help="Do the work on a Ray cluster: its head's HOST:PORT, or 'local' to start one here (pip install 'mockint\\[cluster]').", show_default=False)] = None,
    ship_audio: Annotated[bool, typer.Option("--ship-audio", help="With --cluster: send recordings through Ray's object store, for workers that do not share these files.")] = False,
) -> None:
    """Re-score saved sessions (and score audio recorded elsewhere) with the current rubric.

    Recorded audio is never modified; new scores are added beside the old ones; a second run changes
    nothing. Bad items are reported and skipped. Exit codes: 0 all done, 3 some items were skipped,
    1 an error (or the first bad item with --strict), 2 bad usage, 130 interrupted (rerun to finish).
    """
    from datetime import UTC, datetime

    from mockint import paths
    from mockint.bank import load_bank
    from mockint.rescore import RescoreOptions
    from mockint.rescore_items import ItemKind, discover
    from mockint.rescore_report import BatchInterrupted, check_outputs, run_with_progress, summary_view, write_reports
    from mockint.userpaths import output_folder

    level_ = _level(level)
    bank_folder = bank if bank is not None else paths.bank_dir()
    questions = {q.id: q for q in load_bank(bank_folder)}
    check_outputs(json_out, csv_out)  # now, not after every session has been scored
    found = discover(items)
    if into is not None or any(i.kind is ItemKind.AUDIO for i in found):
        output_folder(into or paths.recordings_dir(), "Folder for imported sessions", "Pass a writable --into DIR.")
    options = RescoreOptions(
        question_id=question_id, level=level_, retranscribe=retranscribe,
        into=into if into is not None else paths.recordings_dir(), jobs=jobs, strict=strict,
    )  # fmt: skip

    from mockint.batch import WhisperFactory

    if ship_audio and cluster is None:
        raise typer.BadParameter("--ship-audio needs --cluster.", param_hint="--ship-audio")
    transcriber = WhisperFactory(model, batched, threads=1 if cluster else 0)  # a cluster runs a model per CPU
    model_name = None
    if retranscribe or any(i.kind is ItemKind.AUDIO for i in found):
        from mockint.model import resolve_model

        model_name = resolve_model(model)[1]  # the name sessions record; loading the model waits until needed
    try:
        with contextlib.ExitStack() as stack:
            spread = stack.enter_context(_cluster(cluster, ship_audio)) if cluster else None
            summary = run_with_progress(
                found, questions, options, err, now=datetime.now(UTC), transcriber_factory=transcriber,
                bank_folder=bank_folder, model_name=model_name, spread=spread,
            )  # fmt: skip
    except BatchInterrupted as e:
        # Each session is saved atomically, so stopping here leaves nothing half-written.
        err.print(f"\nInterrupted after {e.done} of {e.total} items. Run the same command again to finish: "
                  "items already scored are skipped.", markup=False, soft_wrap=True)
        raise typer.Exit(code=e.exit_code) from None
    write_reports(summary, json_out, csv_out)
    console = err if "-" in (str(json_out), str(csv_out)) else out
    console.print(summary_view(summary), soft_wrap=True, highlight=False)
    raise typer.Exit(code=summary.exit_code)


def _cluster(address: str, ship_audio: bool) -> Any:
    from mockint.cluster import connect  # Ray is imported only for --cluster

    return connect(address, ship_audio=ship_audio)


def main() -> None:
    import sys

    from mockint import exits
    from mockint.textout import protect

    protect(sys.stdout)  # a narrow encoding (Windows' cp1252 when redirected) falls back, never raises
    protect(sys.stderr)
    exits.configure_streams()
    exits.install_signal_handlers()
    try:
        app()
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else int(e.code is not None)
    exits.finish(code)


if __name__ == "__main__":
    main()
