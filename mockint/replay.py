"""Replaying a saved session: which word and STAR section is current at each moment, and the loop that
plays the audio while the transcript follows.

`follow()`/`position_at()` are pure (word times and spans in, positions out). `replay()` is the shell: it
speaks each prompt through a `Speaker`, starts each turn's audio on a `Player` and reports positions at
the word times of an injected clock. sounddevice is imported inside `SoundDevicePlayer` only.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mockint import text
from mockint.analysis import Analysis, analyse
from mockint.audio import Recording, read_wav, to_float32
from mockint.bank import Question
from mockint.errors import AudioError, DeviceError
from mockint.hearing import judge
from mockint.session import Session, Turn, TurnKind
from mockint.star import Section, Span, segment
from mockint.store import Stored
from mockint.timing import DEFAULT_TARGETS_S, time_sections
from mockint.transcript import Transcript
from mockint.voice import Speaker

log = logging.getLogger(__name__)


# --- the pure follow schedule ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cue:
    """A moment when the display changes: a word starts (and perhaps a section with it)."""

    at_s: float  # seconds from the start of the turn's audio
    word_index: int
    section: Section | None  # None for probe turns, which are not split into sections
    section_start_s: float | None
    target_s: float | None


@dataclass(frozen=True, slots=True)
class Position:
    """What is current at `at_s`: the last word that has started, its section and that section's clock."""

    at_s: float
    word_index: int | None  # None before the first word
    section: Section | None
    section_elapsed_s: float | None
    target_s: float | None

    @property
    def is_over_target(self) -> bool:
        return self.section_elapsed_s is not None and self.target_s is not None and self.section_elapsed_s > self.target_s


def follow(
    transcript: Transcript,
    spans: Sequence[Span] = (),
    targets: Mapping[Section, float] = DEFAULT_TARGETS_S,
) -> tuple[Cue, ...]:
    """One cue per word, in time order, tagged with the span that word belongs to (by time)."""
    starts = [s.start_s for s in spans]
    cues = []
    for i, word in enumerate(transcript.words):
        k = bisect.bisect_right(starts, word.start_s) - 1
        span = spans[k] if k >= 0 else (spans[0] if spans else None)
        cues.append(
            Cue(
                at_s=word.start_s,
                word_index=i,
                section=span.section if span else None,
                section_start_s=span.start_s if span else None,
                target_s=float(targets.get(span.section, DEFAULT_TARGETS_S[span.section])) if span else None,
            )
        )
    return tuple(sorted(cues, key=lambda c: (c.at_s, c.word_index)))


def position_at(cues: Sequence[Cue], t_s: float) -> Position:
    """The position `t_s` seconds into the turn. A pause belongs to the section it follows."""
    k = bisect.bisect_right([c.at_s for c in cues], t_s) - 1
    if k < 0:
        return Position(t_s, None, None, None, None)
    cue = cues[k]
    elapsed = None if cue.section_start_s is None else max(0.0, t_s - cue.section_start_s)
    return Position(t_s, cue.word_index, cue.section, elapsed, cue.target_s)


def section_start_s(spans: Sequence[Span], section: Section) -> float | None:
    """Where `--section` jumps to: the start of the first span of that section, None if it was not heard."""
    return next((s.start_s for s in spans if s.section is section), None)


@dataclass(frozen=True, slots=True)
class Line:
    """A sentence-sized piece of transcript for the printed (no-audio) replay."""

    turn_index: int
    section: Section | None
    start_s: float
    text: str


def transcript_lines(session: Session, spans: Sequence[Span]) -> tuple[Line, ...]:
    """Each turn's words grouped by section (answer) and by sentence, with start times."""
    lines: list[Line] = []
    for index, turn in enumerate(session.turns):
        cues = follow(turn.transcript, spans if turn.kind is TurnKind.ANSWER else ())
        current: list[str] = []
        start = 0.0
        section: Section | None = None
        for cue in cues:
            word = turn.transcript.words[cue.word_index]
            if current and cue.section is not section:
                lines.append(Line(index, section, start, " ".join(current)))
                current = []
            if not current:
                start, section = word.start_s, cue.section
            current.append(word.text)
            if text.ends_sentence(word.text):
                lines.append(Line(index, section, start, " ".join(current)))
                current = []
        if current:
            lines.append(Line(index, section, start, " ".join(current)))
    return tuple(lines)


# --- the shell: playing -----------------------------------------------------------------------------


class Player(Protocol):
    def start(self, recording: Recording) -> None:
        """Begin playing `recording` and return at once."""
        ...

    def stop(self) -> None: ...


@dataclass(frozen=True, slots=True)
class TurnStarted:
    turn_index: int
    kind: TurnKind
    prompt: str
    from_s: float  # where in the turn's audio playback starts
    has_audio: bool


@dataclass(frozen=True, slots=True)
class Frame:
    turn_index: int
    position: Position


PlaybackEvent = TurnStarted | Frame


def replay(
    session: Session,
    folder: Path,
    spans: Sequence[Span],
    *,
    player: Player,
    speaker: Speaker | None,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    on_event: Callable[[PlaybackEvent], None],
    targets: Mapping[Section, float] = DEFAULT_TARGETS_S,
    jump_to: Section | None = None,
) -> None:
    """Play each turn (prompt spoken, then its audio) and report a Frame at every word start.

    With `jump_to`, playback starts at that section of the answer (prompts before it are not spoken) and
    carries on through the probes. A turn whose audio is missing or unreadable still follows its
    transcript in time, silently. Raises SessionError/ValueError only for programming errors.
    """
    offset = 0.0
    first_turn = 0
    if jump_to is not None:
        start = section_start_s(spans, jump_to)
        first_turn = next((i for i, t in enumerate(session.turns) if t.kind is TurnKind.ANSWER), 0)
        offset = 0.0 if start is None else start
    for index in range(first_turn, len(session.turns)):
        turn = session.turns[index]
        from_s = offset if index == first_turn else 0.0
        if speaker is not None and turn.prompt and from_s == 0.0:
            speaker.say(turn.prompt)
        recording = _turn_audio(folder, turn)
        on_event(TurnStarted(index, turn.kind, turn.prompt, from_s, recording is not None))
        cues = [c for c in follow(turn.transcript, spans if turn.kind is TurnKind.ANSWER else (), targets) if c.at_s >= from_s]
        end_s = max(turn.transcript.duration_s, recording.duration_s if recording else 0.0)
        if recording is not None:
            player.start(recording.slice(from_s, recording.duration_s))
        t0 = clock()
        try:
            for cue in cues:
                wait_s = (cue.at_s - from_s) - (clock() - t0)
                if wait_s > 0:
                    sleep(wait_s)
                on_event(Frame(index, position_at(cues, cue.at_s)))
            rest_s = (end_s - from_s) - (clock() - t0)
            if rest_s > 0:
                sleep(rest_s)
        finally:
            if recording is not None:
                player.stop()


def _turn_audio(folder: Path, turn: Turn) -> Recording | None:
    if turn.audio_file is None:
        return None
    try:
        recording = read_wav(folder / turn.audio_file)
    except AudioError as e:
        log.warning("replaying without sound: %s", e)
        return None
    return None if recording.is_empty else recording


class SoundDevicePlayer:
    """Plays through the default output device with sounddevice (imported here, not at module load)."""

    def __init__(self, device: int | str | None = None) -> None:
        try:
            import sounddevice
        except OSError as e:  # PortAudio library missing
            raise DeviceError(f"Cannot play audio: {e}. Install PortAudio (e.g. 'sudo apt install libportaudio2') or use --no-audio.") from e
        self._sd: Any = sounddevice
        self._device = device

    def start(self, recording: Recording) -> None:
        try:
            self._sd.play(to_float32(recording), recording.sample_rate_hz, device=self._device)
        except self._sd.PortAudioError as e:
            raise DeviceError(f"Cannot play audio on output device {self._device or '(default)'}: {e}. Use --no-audio.") from e

    def stop(self) -> None:
        self._sd.stop()


# --- drawing (rich renderables; cli.py prints them) ------------------------------------------------


def frame_view(turn: Turn, position: Position, *, context_words: int = 14) -> Any:
    """The live replay line: section and its clock against the target, then the words around the current one."""
    from rich.console import Group
    from rich.text import Text

    head = Text()
    if position.section is not None:
        style = "bold red" if position.is_over_target else "bold green"
        head.append(f"{position.section.value.upper():<11}", style="bold")
        head.append(f"{text.clock(position.section_elapsed_s)} / {text.clock(position.target_s)}", style=style)
        if position.is_over_target:
            head.append("  over target", style="red")
    else:
        head.append(f"{turn.kind.value.upper():<11}", style="bold")
    head.append(f"   at {text.clock(position.at_s)}", style="bright_black")
    words = turn.transcript.words
    line = Text()
    if position.word_index is not None:
        i = position.word_index
        for w in words[max(0, i - context_words) : i]:
            line.append(w.text + " ")
        line.append(words[i].text, style="reverse")
        for w in words[i + 1 : i + 1 + context_words // 2]:
            line.append(" " + w.text, style="bright_black")
    return Group(head, line)


def transcript_view(lines: Sequence[Line], session: Session) -> Any:
    """The printed transcript: each turn's prompt, then its sentences with times and section markers."""
    from rich.text import Text

    shown = Text()
    last_turn, last_section = -1, None
    for line in lines:
        if line.turn_index != last_turn:
            turn = session.turns[line.turn_index]
            shown.append(f"\n{turn.kind.value.upper()}: ", style="bold")
            shown.append(turn.prompt + "\n", style="italic")
            last_turn, last_section = line.turn_index, None
        if line.section is not None and line.section is not last_section:
            shown.append(f"  ── {line.section.value.upper()} ──\n", style="bold cyan")
            last_section = line.section
        shown.append(f"  {text.clock(line.start_s):>5}  ", style="bright_black")
        shown.append(line.text + "\n")
    return shown


# --- the replay command's view --------------------------------------------------------------------------


class ReplayView:
    """One saved session prepared for `mockint replay`: its answer analysed once (spans for the follow-along,
    timings for the timeline) and the debrief to close with.

    `question` is the session's question from the bank, or None when the bank no longer has it (then the
    seeds' default targets are used and there is no debrief, only the timeline).
    """

    def __init__(self, session: Session, question: Question | None) -> None:
        self.session = session
        self.question = question
        answer = session.answer
        transcript = answer.transcript if answer is not None else Transcript((), 0.0)
        self.analysis: Analysis | None = None
        if question is not None:
            self.analysis = analyse(transcript, question, session.level)
            self.spans = self.analysis.spans
            self.targets: Mapping[Section, float] = self.analysis.plan.targets_s  # as the debrief judges them
        else:
            self.spans = segment(transcript)
            self.targets = DEFAULT_TARGETS_S

    @property
    def has_debrief(self) -> bool:
        answer = self.session.answer
        return self.question is not None and answer is not None and judge(answer.transcript).is_answer

    def closing(self, *, is_full: bool = True) -> Any:
        """The debrief of the latest score (scored again in memory, not saved, if it came from another
        rubric version), on one screen unless `is_full`; without the question, the section timeline."""
        from mockint.debrief import render, summary
        from mockint.rubric import RUBRIC_VERSION
        from mockint.scoring import judge_probes, score
        from mockint.timeline import render_timeline

        answer = self.session.answer
        hearing = judge(answer.transcript) if answer is not None else None
        if hearing is not None and not hearing.is_answer:
            from rich.text import Text

            return Text(hearing.message)
        if self.question is None or self.analysis is None or answer is None:
            return render_timeline(time_sections(self.spans, self.targets), None)
        latest = self.session.latest_score
        if latest is not None and latest.rubric_version == RUBRIC_VERSION and latest.scorecard is not None:
            return render(self.session, self.question) if is_full else summary(self.session, self.question)
        card = score(self.analysis, self.question, lp=self.session.lp)
        if not is_full:
            return summary(card, self.question)
        return render(card, self.question, probe_judgements=judge_probes(self.session, self.question))


def full_hint(session_id: str) -> str:
    return f"The whole debrief: [bold]mockint replay {session_id} --no-audio --full[/]."


def play_live(
    stored: Stored, view: ReplayView, out: Any, err: Any, *, jump_to: Section | None, has_voice: bool,
    device: int | str | None,
) -> None:  # fmt: skip
    """replay's audio path: the question spoken (or printed), the audio played, the transcript following live."""
    import time

    from rich.live import Live

    from mockint.speech import open_voice
    from mockint.terminal import native_stderr_kept_off
    from mockint.voice import DEFAULT_RATE_WPM, PrintSpeaker

    def say(prompt: str) -> None:
        out.print(f"[bold]Q:[/] {prompt}", soft_wrap=True)

    turns = stored.session.turns
    # ALSA prints "underrun occurred" (and aplay its own notes) straight onto the terminal: keep it off.
    with native_stderr_kept_off(out, err):
        speaker = PrintSpeaker(say)
        if has_voice:
            try:
                speaker = PrintSpeaker(say, open_voice(DEFAULT_RATE_WPM))
            except DeviceError as e:
                err.print(f"Printing the questions: {e}", markup=False, soft_wrap=True)
        player = SoundDevicePlayer(device)
        with Live(console=out, transient=False, refresh_per_second=12) as live:

            def show(event: PlaybackEvent) -> None:
                if isinstance(event, Frame):
                    live.update(frame_view(turns[event.turn_index], event.position))
                elif not event.has_audio:
                    live.console.print(f"[yellow]No audio for the {event.kind.value}; following the transcript silently.[/]")

            replay(
                stored.session, stored.folder, view.spans, player=player, speaker=speaker, clock=time.monotonic,
                sleep=time.sleep, on_event=show, targets=view.targets, jump_to=jump_to,
            )  # fmt: skip
