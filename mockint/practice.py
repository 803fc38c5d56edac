"""`mockint practice` wired: the real microphone (or recorded files), voice, live view and model around the
interview loop. The loop itself is interview.py and knows only the seams; this module picks the adapters.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from mockint import paths
from mockint.bank import Level, Question
from mockint.endpointer import EndpointOptions
from mockint.errors import MockintError
from mockint.interview import Event, EventKind, InterviewPlan, run_interview
from mockint.session import Session
from mockint.star import Section


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

    `console` (a rich Console on stderr) shows the interviewer's lines, the live view and progress notes.
    Raises MockintError (device, model, files) and interview.Interrupted (Ctrl-C, after saving).
    """
    from mockint.asr import WhisperTranscriber

    mic, on_partial, probe_count = _mic(options, console)
    speaker = _speaker(options, console)
    console.print("Loading the speech model…", style="dim")
    transcriber = WhisperTranscriber(options.model)
    plan = InterviewPlan(options.question, options.level, options.lp, probe_count, options.max_answer_s,
                         options.max_probe_s, transcriber.model_name)
    return run_interview(
        plan, mic=mic, speaker=speaker, transcriber=transcriber, clock=time.monotonic,
        now=datetime.now().astimezone(), recordings=paths.recordings_dir(), on_event=_latency_note(console),
        on_partial=on_partial,
    )  # fmt: skip


def _mic(options: PracticeOptions, console: Any) -> tuple[Any, Callable[[Any], None] | None, int]:
    """The microphone (or the recorded files), what shows the answer's section while it is spoken, and how
    many probes can be asked."""
    from mockint.liveview import TerminalView
    from mockint.recorder import EnterKey, FileMic, SoundDeviceMic

    if options.answer_file is not None:
        files = FileMic([options.answer_file, *options.probe_files])  # checks the files before anything is asked
        count = options.probe_count
        if count > len(options.probe_files):
            console.print(f"Asking {len(options.probe_files)} of {count} probes: one --probe-file is needed per probe.")
            count = len(options.probe_files)
        return files, None, count
    endpoint = EndpointOptions()
    endpoint = replace(endpoint, silence_s=options.silence_s or endpoint.silence_s,
                       thinking_s=options.thinking_s or endpoint.thinking_s)
    device = int(options.input_device) if options.input_device and options.input_device.isdigit() else options.input_device
    targets_s = {s: options.question.section(s).target_s for s in Section}
    view = TerminalView(console, silence_s=endpoint.silence_s, thinking_s=endpoint.thinking_s, targets_s=targets_s)
    mic = SoundDeviceMic(endpoint, device=device, view=view, stop=EnterKey())
    mic.check()
    return mic, view.heard, options.probe_count


def _speaker(options: PracticeOptions, console: Any) -> Any:
    from mockint.speech import open_voice
    from mockint.voice import PrintSpeaker

    def show(text: str) -> None:
        console.print(f"\n[bold cyan]Interviewer:[/] {text}\n", soft_wrap=True, highlight=False)

    if not options.has_voice:
        return PrintSpeaker(show)
    try:
        return PrintSpeaker(show, then=open_voice(options.rate_wpm, options.voice))
    except MockintError as e:
        console.print(f"Warning: {e} Carrying on in text.", markup=False, soft_wrap=True)
        return PrintSpeaker(show)


def _latency_note(console: Any) -> Callable[[Event], None]:
    """Say how long after the turn ended its transcript was ready (not for recorded files)."""
    heard_at = [0.0]

    def on_event(event: Event) -> None:
        if event.kind is EventKind.HEARD:
            heard_at[0] = event.at_s if event.text != "end_of_file" else -1.0
        elif event.kind is EventKind.TRANSCRIBED and heard_at[0] >= 0:
            console.print(f"[dim]Transcript ready {event.at_s - heard_at[0]:.1f} s after the turn ended.[/]")

    return on_event
