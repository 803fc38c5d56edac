"""One practice interview: say the question, record and transcribe the answer, ask probes, score, save.

Uses only the seams (Mic, Speaker, Transcriber, a clock); the terminal, the devices and the model are
wired in cli.py. What happened and when is reported through `on_event` (the library never prints).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from mockint import store
from mockint.analysis import analyse
from mockint.asr import Transcriber
from mockint.audio import read_wav
from mockint.bank import Level, Question
from mockint.errors import AudioError, MockintError
from mockint.hearing import judge
from mockint.live import LiveTranscriber
from mockint.probes import choose_probes
from mockint.recorder import Mic, Take
from mockint.scoring import score, score_session
from mockint.session import Session, Turn, TurnKind
from mockint.transcript import Transcript
from mockint.voice import Speaker

log = logging.getLogger(__name__)

ANSWER_WAV = "answer.wav"
# On Ctrl-C a piece still being transcribed gets this long to finish, so what was said just before is kept;
# the whole stop stays within the 5 s the README promises (exits.STOP_GRACE_S ends the process at 4 s).
PARTIAL_WAIT_S = 1.5


@dataclass(frozen=True, slots=True)
class InterviewPlan:
    """What to ask and how long to listen."""

    question: Question
    level: Level
    lp: str | None = None
    probe_count: int = 2
    max_answer_s: float = 300.0
    max_probe_s: float = 120.0
    model: str = "unknown"  # the speech model's name, stored with the session


class EventKind(StrEnum):
    SAY = "say"  # a prompt is about to be said; text = the prompt
    LISTEN = "listen"  # recording starts; text = the audio file
    HEARD = "heard"  # recording stopped; text = why (endpointer.EndReason)
    TRANSCRIBED = "transcribed"  # the turn's transcript is complete; text = the transcript
    NOT_HEARD = "not_heard"  # the answer held no speech to score; text = what was heard instead
    SCORED = "scored"  # text = the verdict
    SAVED = "saved"  # text = the session folder


@dataclass(frozen=True, slots=True)
class Event:
    at_s: float  # seconds since the interview started, by the clock given to run_interview
    kind: EventKind
    text: str


class Interrupted(Exception):
    """Ctrl-C (or SIGTERM, SIGHUP) during the interview; the partial session (is_complete=False) was saved in
    `folder`, or nothing had been recorded yet (folder None). `exit_code` is 128 + the signal."""

    def __init__(self, folder: Path | None, exit_code: int = 130) -> None:
        super().__init__(f"interview interrupted; partial session saved in {folder}")
        self.folder = folder
        self.exit_code = exit_code


def run_interview(
    plan: InterviewPlan,
    *,
    mic: Mic,
    speaker: Speaker,
    transcriber: Transcriber,
    clock: Callable[[], float],
    now: datetime,
    recordings: Path,
    on_event: Callable[[Event], None] = lambda event: None,
    on_partial: Callable[[Transcript], None] | None = None,
) -> tuple[Session, Path]:
    """Run the interview and save it; returns the scored session and its folder.

    `now` (wall time, with a UTC offset) names and dates the session; `clock` (monotonic seconds) times
    the events. `on_partial` gets the answer's transcript so far each time a piece is transcribed, while
    the candidate is still speaking (on a background thread). Raises Interrupted after saving the partial
    session when the user presses Ctrl-C.
    """
    return _Interview(plan, mic, speaker, transcriber, clock, now, recordings, on_event, on_partial).run()


class _Interview:
    def __init__(
        self,
        plan: InterviewPlan,
        mic: Mic,
        speaker: Speaker,
        transcriber: Transcriber,
        clock: Callable[[], float],
        now: datetime,
        recordings: Path,
        on_event: Callable[[Event], None],
        on_partial: Callable[[Transcript], None] | None = None,
    ) -> None:
        self.plan = plan
        self.mic = mic
        self.speaker = speaker
        self.transcriber = transcriber
        self.clock = clock
        self.t0 = clock()
        self.now = now
        self.on_event = on_event
        self.on_partial = on_partial
        self.session_id, self.folder = store.session_folder(recordings, now, plan.question.id)
        self.turns: list[Turn] = []
        self.current: tuple[Turn, LiveTranscriber] | None = None  # the turn being recorded, for Ctrl-C

    def emit(self, kind: EventKind, text: str) -> None:
        self.on_event(Event(round(self.clock() - self.t0, 3), kind, text))

    def session(self, *, is_complete: bool) -> Session:
        return Session(
            id=self.session_id,
            created_at=self.now.isoformat(timespec="seconds"),
            question_id=self.plan.question.id,
            level=self.plan.level,
            lp=self.plan.lp,
            model=self.plan.model,
            turns=tuple(self.turns),
            scores=(),
            is_complete=is_complete,
        )

    def run(self) -> tuple[Session, Path]:
        try:
            return self._run()
        except KeyboardInterrupt as e:  # exits.Stopped carries the signal's exit code
            raise Interrupted(self._save_partial(), getattr(e, "exit_code", 130)) from None
        except MockintError as e:  # e.g. the microphone went away: keep what was said, then report
            raise type(e)(f"{e} {self._kept(self._save_partial())}") from e
        except OSError as e:  # the disk filled up, the folder was removed or made read-only…
            kept = self._kept(self._save_partial())
            raise MockintError(f"Cannot save the session in '{self.folder}': {e.strerror or e}. "
                               f"Free some disk space or set MOCKINT_RECORDINGS to a writable folder. {kept}") from e

    def _kept(self, folder: Path | None) -> str:
        return f"What was recorded is saved in {folder}." if folder else "Nothing was recorded, so nothing was saved."

    def _save_partial(self) -> Path | None:
        """Save what was recorded as a partial session and return its folder; with nothing recorded, remove
        the session folder (so no empty session is listed) and return None."""
        if self.current is not None:
            self.turns.append(self._partial_turn(*self.current))
            self.current = None
        if not any(t.audio_file is not None for t in self.turns):
            shutil.rmtree(self.folder, ignore_errors=True)
            return None
        try:
            store.save(self.session(is_complete=False), self.folder)
        except OSError as e:  # e.g. the disk is full: the WAVs already written are what is kept
            log.warning("could not save the partial session in %s: %s", self.folder, e)
        self.emit(EventKind.SAVED, str(self.folder))
        return self.folder

    def _run(self) -> tuple[Session, Path]:
        question = self.plan.question
        answer = self._turn(TurnKind.ANSWER, question.title, ANSWER_WAV, self.plan.max_answer_s, None)
        hearing = judge(answer.transcript)
        if not hearing.is_answer:  # silence, noise or another language: kept, reported, never scored
            session = self.session(is_complete=True)
            self.emit(EventKind.NOT_HEARD, hearing.message)
            store.save(session, self.folder)
            self.emit(EventKind.SAVED, str(self.folder))
            return session, self.folder
        # The answer is analysed and scored once: the card chooses the probes and is the session's score.
        analysis = analyse(answer.transcript, question, self.plan.level)
        card = score(analysis, question, lp=self.plan.lp)
        for number, asked in enumerate(choose_probes(card, analysis, question, self.plan.probe_count), start=1):
            self._turn(TurnKind.PROBE, asked.text, f"probe-{number}.wav", self.plan.max_probe_s, asked.index)
        session = score_session(self.session(is_complete=True), question, model=self.plan.model, now=self.now, card=card)
        self.emit(EventKind.SCORED, card.verdict)
        store.save(session, self.folder)
        self.emit(EventKind.SAVED, str(self.folder))
        return session, self.folder

    def _turn(self, kind: TurnKind, prompt: str, wav_name: str, max_s: float, probe_index: int | None) -> Turn:
        self.emit(EventKind.SAY, prompt)
        self.speaker.say(prompt)
        live = LiveTranscriber(self.transcriber, self.on_partial if kind is TurnKind.ANSWER else None)
        pending = Turn(kind, prompt, wav_name, Transcript((), 0.0), probe_index)
        self.current = (pending, live)
        self.emit(EventKind.LISTEN, wav_name)
        take: Take = self.mic.record(self.folder / wav_name, max_s=max_s, on_piece=live.submit)
        self.emit(EventKind.HEARD, take.end_reason.value)
        transcript = live.result(take.recording.duration_s)
        self.emit(EventKind.TRANSCRIBED, transcript.text)
        turn = replace(pending, transcript=transcript)
        self.turns.append(turn)
        self.current = None
        return turn

    def _partial_turn(self, pending: Turn, live: LiveTranscriber) -> Turn:
        """The turn cut short: its audio as far as it was written, and the pieces transcribed by then."""
        assert pending.audio_file is not None
        live.stop()
        try:
            duration_s = read_wav(self.folder / pending.audio_file).duration_s
        except AudioError:  # nothing was written (e.g. the device failed before recording began)
            duration_s = 0.0
        if duration_s <= 0.0:
            (self.folder / pending.audio_file).unlink(missing_ok=True)
            return replace(pending, audio_file=None, transcript=live.partial(0.0))
        return replace(pending, transcript=live.partial(duration_s, wait_s=PARTIAL_WAIT_S))
