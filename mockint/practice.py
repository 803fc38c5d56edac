"""`mockint practice` wired: the real microphone (or recorded files), voice, live view and model around the
interview loop. The loop itself is interview.py and knows only the seams; this module picks the adapters.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from mockint import paths
from mockint.analysis import time_plan
from mockint.bank import Level, Question
from mockint.endpointer import EndpointOptions
from mockint.errors import MockintError
from mockint.interview import Event, EventKind, InterviewPlan, run_interview
from mockint.session import Session
from mockint.text import clock


@dataclass(frozen=True, slots=True)
class PracticeOptions:
    """What `mockint practice` was asked for (defaults as documented in its --help)."""

    question: Question
    level: Level
    lp: str | None = None
    probe_count: int = 2
    has_voice: bool = True
    voice: str | None = None
    rate_wpm: int = 170
    answer_file: Path | None = None
    probe_files: tuple[Path, ...] = ()
    silence_s: float | None = None
    thinking_s: float | None = None
    max_answer_s: float = 300.0
    max_probe_s: float = 120.0
    input_device: str | None = None
    model: str | None = None


def run_practice(options: PracticeOptions, console: Any) -> tuple[Session, Path]:
    """Run one spoken practice interview and save it; returns the scored session and its folder.

    `console` (a rich Console on stderr) shows the interviewer's lines, the live view and what the user is
    waiting for. Raises MockintError (device, model, files) and interview.Interrupted (Ctrl-C, after saving).
    """
    from mockint.asr import AsrOptions, WhisperTranscriber
    from mockint.live import LIVE_ASR
    from mockint.liveview import WaitingLine
    from mockint.terminal import keys_not_echoed, native_stderr_kept_off

    recordings = recordings_folder()  # before anything is asked: a folder that cannot be written stops here
    with native_stderr_kept_off(console), keys_not_echoed():
        mic, on_partial, probe_count = _mic(options, console)
        speaker = _speaker(options, console)
        waiting = WaitingLine(console)
        waiting.show("Loading the speech model…")
        try:
            # Recorded files come whole, as one piece: the default threads suit them better than live settings.
            transcriber = WhisperTranscriber(options.model, AsrOptions() if options.answer_file else LIVE_ASR,
                                             on_progress=progress_note(console))
        finally:
            waiting.clear()
        plan = InterviewPlan(options.question, options.level, options.lp, probe_count, options.max_answer_s,
                             options.max_probe_s, transcriber.model_name)
        try:
            return run_interview(
                plan, mic=mic, speaker=speaker, transcriber=transcriber, clock=time.monotonic,
                now=datetime.now().astimezone(), recordings=recordings,
                on_event=_progress(console, waiting, is_live=options.answer_file is None), on_partial=on_partial,
            )  # fmt: skip
        finally:
            waiting.clear()


def write_report(folder: Path, questions: Sequence[Question], console: Any) -> Path | None:
    """The session's report page, written while `console` says so; one that cannot be written is a warning
    there (the session itself is saved)."""
    from mockint import report
    from mockint.liveview import WaitingLine

    waiting = WaitingLine(console)
    waiting.show("Writing the report page…")
    try:
        return report.report_sessions(paths.recordings_dir(), [str(folder)], {q.id: q for q in questions})[0]
    except MockintError as e:
        console.print(f"Warning: no report: {e}", markup=False, soft_wrap=True)
        return None
    finally:
        waiting.clear()


def recordings_folder() -> Path:
    """The recordings folder, created and checked for writing (MockintError naming it otherwise)."""
    from mockint.userpaths import output_folder

    hint = "Set MOCKINT_RECORDINGS to a folder you can write to (it holds your practice sessions)."
    return output_folder(paths.recordings_dir(), "Recordings folder", hint)


def _mic(options: PracticeOptions, console: Any) -> tuple[Any, Callable[[Any], None] | None, int]:
    """The microphone (or the recorded files), what shows the answer's section while it is spoken, and how
    many probes can be asked."""
    from mockint.liveview import TerminalView
    from mockint.recorder import EnterKey, FileMic, SoundDeviceMic

    if options.answer_file is not None:
        caps_s = [options.max_answer_s] + [options.max_probe_s] * len(options.probe_files)
        files = FileMic([options.answer_file, *options.probe_files], caps_s)  # reads them before anything is asked
        for path, cap_s in files.cut:
            console.print(f"{path} is longer than {clock(cap_s)}: only its first {clock(cap_s)} is used "
                          "(--max-answer-s, --max-probe-s).", markup=False, soft_wrap=True)
        count = options.probe_count
        if count > len(options.probe_files):
            console.print(f"Asking {len(options.probe_files)} of {count} probes: one --probe-file is needed per probe.")
            count = len(options.probe_files)
        return files, None, count
    endpoint = EndpointOptions()
    endpoint = replace(endpoint, silence_s=options.silence_s or endpoint.silence_s,
                       thinking_s=options.thinking_s or endpoint.thinking_s)
    device = int(options.input_device) if options.input_device and options.input_device.isdigit() else options.input_device
    plan = time_plan(options.question, options.level)  # the targets the debrief will judge by
    view = TerminalView(console, silence_s=endpoint.silence_s, thinking_s=endpoint.thinking_s,
                        targets_s=plan.targets_s)
    mic = SoundDeviceMic(endpoint, device=device, view=view, stop=EnterKey())
    mic.check()
    return mic, view.heard, options.probe_count


def _speaker(options: PracticeOptions, console: Any) -> Any:
    from mockint.speech import open_voice
    from mockint.voice import PrintSpeaker

    def show(text: str) -> None:
        console.print(f"\n[bold cyan]Interviewer:[/] {text}\n", highlight=False)

    if not options.has_voice:
        return PrintSpeaker(show)
    try:
        return PrintSpeaker(show, then=open_voice(options.rate_wpm, options.voice))
    except MockintError as e:
        console.print(f"Warning: {e} Carrying on in text.", markup=False, soft_wrap=True)
        return PrintSpeaker(show)


def progress_note(console: Any) -> Callable[[float, float], None]:
    """Say how far the transcription of a long recording has got, every PROGRESS_EVERY_S of audio."""
    shown = [0.0]

    def on_progress(done_s: float, total_s: float) -> None:
        if done_s > shown[0] and (done_s >= total_s or done_s - shown[0] >= PROGRESS_EVERY_S):
            shown[0] = done_s
            console.print(f"[dim]Transcribing: {clock(done_s)} of {clock(total_s)}[/]")

    return on_progress


PROGRESS_EVERY_S = 30.0  # one line per Whisper window of a long recording


def _progress(console: Any, waiting: Any, is_live: bool) -> Callable[[Event], None]:
    """What the user is waiting for between turns, and how long after a turn ended its transcript was
    ready (not for recorded files)."""
    heard_at = [0.0]

    def on_event(event: Event) -> None:
        if event.kind is EventKind.HEARD:
            heard_at[0] = event.at_s if is_live else -1.0
            waiting.show("Transcribing your answer…")
        elif event.kind is EventKind.TRANSCRIBED:
            waiting.clear()
            if heard_at[0] >= 0:
                console.print(f"[dim]Transcript ready {event.at_s - heard_at[0]:.1f} s after the turn ended.[/]")
            waiting.show("Scoring…")
        elif event.kind is EventKind.SCORED:
            waiting.show("Saving the session…")
        else:  # SAY, LISTEN, NOT_HEARD, SAVED: something else is on screen now
            waiting.clear()

    return on_event
