"""The command line: parse, wire, call one function, print, pick an exit code.

Heavy modules (faster-whisper, sounddevice, pyttsx3) are imported inside the commands so that
`mockint --help` stays fast and never loads ctranslate2.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from mockint.bank import Level, Question
from mockint.errors import MockintError

app = typer.Typer(
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

    return wrapper  # type: ignore[return-value]


BankOption = Annotated[
    Path | None,
    typer.Option("--bank", help="Question folder (default: $MOCKINT_BANK or the bundled prompts/).", show_default=False),
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

    recording = load_audio(file)
    transcript = WhisperTranscriber(model, AsrOptions(keep_fillers=fillers)).transcribe(recording)
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
    from mockint.doctor import Status, run_checks

    marks = {Status.OK: "[green]ok  [/]", Status.WARN: "[yellow]warn[/]", Status.FAIL: "[red]FAIL[/]"}
    checks = run_checks()
    for check in checks:
        out.print(f"{marks[check.status]} [bold]{check.name:13}[/] {check.detail}", soft_wrap=True)
        if check.fix:
            out.print(f"     {'':13} → {check.fix}", soft_wrap=True)
    if any(c.status is Status.FAIL for c in checks):
        raise typer.Exit(code=1)


@app.command()
@reports_errors
def questions(
    question_id: Annotated[str | None, typer.Argument(metavar="ID", help="Show this question's walkthrough.", show_default=False)] = None,
    bank: BankOption = None,
) -> None:
    """List the question bank, or show one question's full walkthrough."""
    from mockint import paths
    from mockint.bank import find_question, load_bank
    from mockint.walkthrough import bank_table, walkthrough

    bank_questions = load_bank(bank if bank is not None else paths.bank_dir())
    if question_id is None:
        out.print(bank_table(bank_questions))
    else:
        out.print(walkthrough(find_question(bank_questions, question_id)))


@app.command()
@reports_errors
def analyze(
    file: Annotated[Path, typer.Argument(help="A recorded answer: WAV, FLAC or MP3, any sample rate.")],
    question_id: Annotated[str, typer.Option("--question", metavar="ID", help="Question id (see 'mockint questions').")],
    level: Annotated[str, typer.Option("--level", help="sde1, sde2 or senior: sets the time budget.")] = "sde2",
    lp: Annotated[str | None, typer.Option("--lp", metavar="NAME", help="Leadership-principle angle to judge the story for, e.g. 'Ownership'.", show_default=False)] = None,
    markdown: Annotated[Path | None, typer.Option("--markdown", metavar="FILE", help="Also write the debrief to FILE as Markdown.", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the sections, timings and debrief as JSON.")] = False,
    model: ModelOption = None,
    bank: BankOption = None,
) -> None:
    """Transcribe a recorded answer, show its STAR sections timed against the targets, and the scored debrief."""
    import json

    from mockint import paths
    from mockint.analysis import analyse
    from mockint.asr import WhisperTranscriber
    from mockint.audio import load_audio
    from mockint.bank import find_question, load_bank

    level_ = _level(level)
    question = find_question(load_bank(bank if bank is not None else paths.bank_dir()), question_id)
    _check_lp(question, lp)
    recording = load_audio(file)
    analysis = analyse(WhisperTranscriber(model).transcribe(recording), question, level_)
    from mockint import debrief
    from mockint.rubric import score

    card = score(analysis.transcript, analysis.spans, question, level_, lp=lp)
    if markdown is not None:
        try:
            markdown.write_text(debrief.to_markdown(card, question), encoding="utf-8")
        except OSError as e:
            raise MockintError(f"Could not write the debrief to '{markdown}': {e.strerror}. Pass a writable --markdown path.") from e
        err.print(f"Debrief written to {markdown}", markup=False, soft_wrap=True)
    if as_json:
        out.print_json(json.dumps({**analysis.to_dict(), "debrief": debrief.to_dict(card, question)}))
        return
    from mockint.timeline import render_sections

    out.print(render_sections(analysis.spans))
    out.print(debrief.render(card, question))  # opens with the timeline


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
    bank: BankOption = None,
) -> None:
    """A spoken practice interview: hear a question, answer out loud, answer the follow-ups, get a debrief."""
    import json
    import random
    import time
    from dataclasses import replace
    from datetime import datetime

    from mockint import paths
    from mockint.asr import WhisperTranscriber
    from mockint.bank import find_question, load_bank
    from mockint.interview import EventKind, InterviewPlan, Interrupted, run_interview
    from mockint.liveview import TerminalView
    from mockint.recorder import EnterKey, FileMic, Mic, SoundDeviceMic
    from mockint.session import to_dict
    from mockint.star import Section
    from mockint.turn import TurnOptions
    from mockint.voice import PrintSpeaker, Pyttsx3Speaker, Speaker

    level_ = _level(level)
    bank_questions = load_bank(bank if bank is not None else paths.bank_dir())
    question = find_question(bank_questions, question_id) if question_id else random.choice(bank_questions)
    _check_lp(question, lp)
    probe_files = probe_file or []
    turn_options = TurnOptions()
    turn_options = replace(turn_options, silence_s=silence_s or turn_options.silence_s, thinking_s=thinking_s or turn_options.thinking_s)

    mic: Mic
    on_partial: Callable[[Any], None] | None = None  # shows the STAR section while the answer is spoken
    if answer_file is not None:
        mic = FileMic([answer_file, *probe_files])
        if probes > len(probe_files):
            err.print(f"Asking {len(probe_files)} of {probes} probes: one --probe-file is needed per probe.")
            probes = len(probe_files)
    else:
        device = int(input_device) if input_device and input_device.isdigit() else input_device
        targets_s = {s: question.section(s).target_s for s in Section}
        view = TerminalView(err, silence_s=turn_options.silence_s, thinking_s=turn_options.thinking_s, targets_s=targets_s)
        on_partial = view.heard
        sound_mic = SoundDeviceMic(turn_options, device=device, view=view, stop=EnterKey())
        sound_mic.check()
        mic = sound_mic

    def show(text: str) -> None:
        err.print(f"\n[bold cyan]Interviewer:[/] {text}\n", soft_wrap=True, highlight=False)

    speaker: Speaker = PrintSpeaker(show)
    if not no_voice:
        try:
            speaker = PrintSpeaker(show, then=Pyttsx3Speaker(rate, voice))
        except MockintError as e:
            err.print(f"Warning: {e} Carrying on in text.", markup=False, soft_wrap=True)

    err.print("Loading the speech model…", style="dim")
    transcriber = WhisperTranscriber(model)
    heard_at = [0.0]

    def on_event(event: Any) -> None:
        if event.kind is EventKind.HEARD:
            heard_at[0] = event.at_s if event.text != "end_of_file" else -1.0
        elif event.kind is EventKind.TRANSCRIBED and heard_at[0] >= 0:
            err.print(f"[dim]Transcript ready {event.at_s - heard_at[0]:.1f} s after the turn ended.[/]")

    plan = InterviewPlan(question, level_, lp, probes, max_answer_s, max_probe_s, transcriber.model_name)
    try:
        session, folder = run_interview(
            plan, mic=mic, speaker=speaker, transcriber=transcriber, clock=time.monotonic,
            now=datetime.now().astimezone(), recordings=paths.recordings_dir(), on_event=on_event,
            on_partial=on_partial,
        )  # fmt: skip
    except Interrupted as e:
        err.print(f"\nInterrupted. The partial session is saved in {e.folder}", markup=False, soft_wrap=True)
        raise typer.Exit(code=130) from None
    from mockint import debrief

    if as_json:
        report = {"folder": str(folder), "session": to_dict(session), "debrief": debrief.to_dict(session, question)}
        out.print_json(json.dumps(report))
        return
    out.print(debrief.render(session, question))
    out.print(f"Session saved in {folder}", soft_wrap=True, markup=False)


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
    from mockint.star import DEFAULT_TARGETS_S

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
    from mockint.session import scan

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
    out.print(history.sessions_table(rows))
    if show_progress:
        for p in history.progress(chosen, _targets_by_question(bank)):
            if len(p.attempts) > 1:
                out.print()
                out.print(history.progress_view(p))


@app.command()
@reports_errors
def replay(
    name: Annotated[str, typer.Argument(metavar="SESSION", help="Session id, a unique prefix of it, its folder, or 'last'.")],
    section: Annotated[str | None, typer.Option("--section", help="Start at this STAR section of the answer (e.g. action).", show_default=False)] = None,
    no_audio: Annotated[bool, typer.Option("--no-audio", help="Print the timeline and transcript only; play nothing.")] = False,
    no_voice: Annotated[bool, typer.Option("--no-voice", help="Print the question instead of speaking it.")] = False,
    output_device: Annotated[str | None, typer.Option("--output-device", help="Speaker name or index (default: the system's).", show_default=False)] = None,
    bank: BankOption = None,
) -> None:
    """Play a saved session while its transcript follows, then show its debrief."""
    from mockint import paths, star
    from mockint import replay as replay_mod
    from mockint.session import find

    jump_to = None
    if section is not None:
        try:
            jump_to = star.Section(section.casefold())
        except ValueError:
            names = ", ".join(s.value for s in star.Section)
            raise typer.BadParameter(f"{section!r} is not a section; use one of {names}.", param_hint="--section") from None
    stored = find(paths.recordings_dir(), name)
    session = stored.session
    targets = _targets_by_question(bank)(session.question_id)
    answer = session.answer
    spans = star.segment(answer.transcript) if answer is not None else ()
    out.print(f"[bold]{session.id}[/]  {session.question_id} · {session.level.value} · recorded with {session.model}")
    if jump_to is not None and replay_mod.section_start_s(spans, jump_to) is None:
        err.print(f"No {jump_to.value} section was heard in this answer; playing from the start.")
    if no_audio:
        out.print(replay_mod.transcript_view(replay_mod.transcript_lines(session, spans), session))
        if not _print_saved_debrief(session, bank):  # the debrief has the timeline; without it, draw one here
            out.print(replay_mod.timeline_view(star.time_sections(spans, targets)))
        return
    try:
        _play(stored, spans, targets, jump_to, no_voice=no_voice, output_device=output_device)
    except KeyboardInterrupt:
        raise typer.Exit(code=130) from None
    _print_saved_debrief(session, bank)


def _play(stored: Any, spans: Any, targets: Any, jump_to: Any, *, no_voice: bool, output_device: str | None) -> None:
    """replay's audio path: the question spoken (or printed), the audio played, the transcript following live."""
    import time

    from rich.live import Live

    from mockint import replay as replay_mod
    from mockint.errors import DeviceError
    from mockint.voice import PrintSpeaker, Pyttsx3Speaker

    def say(text: str) -> None:
        out.print(f"[bold]Q:[/] {text}", soft_wrap=True)

    speaker = PrintSpeaker(say)
    if not no_voice:
        try:
            speaker = PrintSpeaker(say, Pyttsx3Speaker())
        except DeviceError as e:
            err.print(f"Printing the questions: {e}", markup=False, soft_wrap=True)
    device: int | str | None = int(output_device) if output_device and output_device.isdigit() else output_device
    player = replay_mod.SoundDevicePlayer(device)
    turns = stored.session.turns
    with Live(console=out, transient=False, refresh_per_second=12) as live:

        def show(event: replay_mod.Event) -> None:
            if isinstance(event, replay_mod.Frame):
                live.update(replay_mod.frame_view(turns[event.turn_index], event.position))
            elif not event.has_audio:
                live.console.print(f"[yellow]No audio for the {event.kind.value}; following the transcript silently.[/]")

        replay_mod.replay(
            stored.session, stored.folder, spans, player=player, speaker=speaker, clock=time.monotonic,
            sleep=time.sleep, on_event=show, targets=targets, jump_to=jump_to,
        )


def _print_saved_debrief(session: Any, bank: Path | None) -> bool:
    """Print the debrief of the session's latest score, re-scored in memory (not saved) if that score came
    from another rubric version. Returns False when there is nothing to show (no answer, question gone)."""
    from datetime import UTC, datetime

    from mockint import paths
    from mockint.bank import find_question, load_bank
    from mockint.debrief import render
    from mockint.rubric import RUBRIC_VERSION
    from mockint.session import score_session

    if session.answer is None:
        return False
    try:
        question = find_question(load_bank(bank if bank is not None else paths.bank_dir()), session.question_id)
    except MockintError as e:
        err.print(f"No debrief: {e}", markup=False, soft_wrap=True)
        return False
    latest = session.latest_score
    if latest is None or latest.rubric_version != RUBRIC_VERSION or not latest.scorecard:
        session = score_session(session, question, now=datetime.now(UTC))
    out.print(render(session, question))
    return True


@app.command()
@reports_errors
def rescore(
    items: Annotated[list[Path], typer.Argument(metavar="PATH", help="Session folders, audio files (WAV/FLAC/MP3) or folders of them.")],
    question_id: Annotated[str | None, typer.Option("--question", metavar="ID", help="The question plain audio files answer.", show_default=False)] = None,
    level: Annotated[str, typer.Option("--level", help="sde1, sde2 or senior, for plain audio files.")] = "sde2",
    retranscribe: Annotated[bool, typer.Option("--retranscribe", help="Run speech recognition again instead of using the saved transcripts.")] = False,
    model: ModelOption = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes for scoring saved transcripts (re-transcription batches in one).")] = 2,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first bad item (exit 1) instead of skipping it.")] = False,
    into: Annotated[Path | None, typer.Option("--into", help="Where sessions made from audio files go (default: the recordings folder).", show_default=False)] = None,
    json_out: Annotated[Path | None, typer.Option("--json", metavar="FILE", help="Write every item's result as JSON ('-' for stdout).", show_default=False)] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", metavar="FILE", help="Write every item's result as CSV ('-' for stdout).", show_default=False)] = None,
    bank: BankOption = None,
) -> None:
    """Re-score saved sessions (and score audio recorded elsewhere) with the current rubric.

    Recorded audio is never modified; new scores are added beside the old ones; a second run changes
    nothing. Bad items are reported and skipped. Exit codes: 0 all done, 3 some items were skipped,
    1 an error (or the first bad item with --strict), 2 bad usage, 130 interrupted (rerun to finish).
    """
    import csv
    import io
    import json
    from datetime import UTC, datetime

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table

    from mockint import paths
    from mockint.bank import load_bank
    from mockint.rescore import ItemKind, ItemResult, RescoreOptions, Status, discover, run

    level_ = _level(level)
    bank_folder = bank if bank is not None else paths.bank_dir()
    questions = {q.id: q for q in load_bank(bank_folder)}
    found = discover(items)
    options = RescoreOptions(
        question_id=question_id, level=level_, retranscribe=retranscribe,
        into=into if into is not None else paths.recordings_dir(), jobs=jobs, strict=strict,
    )

    def transcriber() -> Any:
        from mockint.batch import BatchedWhisperTranscriber

        return BatchedWhisperTranscriber(model)

    model_name = None
    if retranscribe or any(i.kind is ItemKind.AUDIO for i in found):
        from mockint.model import resolve_model

        model_name = resolve_model(model)[1]  # the name sessions record; loading the model waits until needed

    columns = (TextColumn("rescoring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    done = [0]

    def advance(_result: Any) -> None:
        done[0] += 1
        bar.advance(task)

    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("rescore", total=len(found))
        try:
            summary = run(
                found, questions, options, now=datetime.now(UTC), transcriber_factory=transcriber,
                on_result=advance, bank_folder=bank_folder, model_name=model_name,
            )
        except KeyboardInterrupt:
            # Each session is saved atomically, so stopping here leaves nothing half-written.
            err.print(f"\nInterrupted after {done[0]} of {len(found)} items. Run the same command again to finish: "
                      "items already scored are skipped.", markup=False, soft_wrap=True)
            raise typer.Exit(code=130) from None

    results = [r.to_dict() for r in summary.results]
    reports: list[tuple[Path, str]] = []
    if json_out is not None:
        counts_ = {s.value: summary.count(s) for s in Status}
        reports.append((json_out, json.dumps({"results": results, "counts": counts_}, indent=1) + "\n"))
    if csv_out is not None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(ItemResult.__slots__), lineterminator="\n")
        writer.writeheader()
        writer.writerows(results)
        reports.append((csv_out, buffer.getvalue()))
    for target, text in reports:
        if str(target) == "-":
            sys.stdout.write(text)
        else:
            target.write_text(text, encoding="utf-8")
    to_stdout = "-" in (str(json_out), str(csv_out))
    console = err if to_stdout else out
    changed = [r for r in summary.results if r.status in (Status.RESCORED, Status.IMPORTED)]
    if changed:
        imported = any(r.status is Status.IMPORTED for r in changed)
        table = Table(box=None, pad_edge=False, header_style="bold")
        for name in ("session", *(("from",) if imported else ()), "question", "before", "now", "verdict"):
            table.add_column(name, justify="right" if name in ("before", "now") else "left")
        for r in changed[:30]:
            source = (r.path.name if r.status is Status.IMPORTED else "",) if imported else ()
            before = "-" if r.previous is None else str(r.previous)
            table.add_row(r.session_id or "-", *source, r.question_id or "-", before, str(r.overall), r.verdict or "")
        console.print(table)
        if len(changed) > 30:
            console.print(f"... and {len(changed) - 30} more (see --json or --csv).")
    for r in summary.skipped:
        console.print(f"[yellow]skipped[/] {r.path}: {r.reason}", soft_wrap=True, highlight=False)
    counts = ", ".join(f"{summary.count(s)} {s.value}" for s in Status)
    console.print(f"[bold]{len(summary.results)} items:[/] {counts}.")
    raise typer.Exit(code=summary.exit_code)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
