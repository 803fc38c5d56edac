"""Transcription during the answer: pieces are transcribed in the background while the person speaks.

Closed pieces are transcribed in order as they arrive. Between them the worker transcribes the newest
draft of the open piece (its start, up to a pause or a gap), so when the turn ends only the audio after that
draft is left: at Enter that is a second or two, not the whole open piece. Cutting the pieces is
endpointer.py's job; this module queues them, shifts their times and joins them.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mockint.asr import AsrOptions, LanguageChecking, Transcriber
from mockint.audio import SAMPLE_WIDTH_BYTES, Recording
from mockint.recorder import Piece, PieceKind
from mockint.transcript import Transcript, Word, join
from mockint.exits import working

log = logging.getLogger(__name__)

_RUNNING: weakref.WeakSet[LiveTranscriber] = weakref.WeakSet()  # stopped at exit (see LiveTranscriber.stop)

# Speech recognition settings for live use: two calls may run at once (the last piece beside a draft
# still in progress), one thread each, so on two cores neither waits for the other. One thread was as
# quick as two for short pieces here (../shared/ASR-NOTES.md; scripts/bench_latency.py measures both).
LIVE_ASR = AsrOptions(cpu_threads=1, num_workers=2)


@dataclass(frozen=True, slots=True)
class Tail:
    """How the last piece is finished from a draft of its start (times in seconds on the turn's clock).

    The audio from `start_s` to the end of the piece is transcribed; its words whose middle lies before
    `boundary_s` are dropped, and so are the draft's words from there on.
    """

    start_s: float
    boundary_s: float


def plan_tail(piece_start_s: float, piece_end_s: float, draft_end_s: float, pauses_s: Sequence[float],
              *, min_s: float, boundary_back_s: float, slack_s: float = 2.0) -> Tail:
    """Where to start transcribing the rest of a piece after a draft of its start that ends at `draft_end_s`.

    The rest alone is often a second or two: too short for Whisper's context and for the filler prompt.
    So the pass starts early enough to hold `min_s` (never before the piece), moved back to a pause
    within `slack_s` if there is one (`pauses_s`: where earlier drafts ended, each inside a pause), so
    that no word is cut. The words are split in the draft's pause, `boundary_back_s` before its end.
    """
    latest = max(piece_start_s, min(draft_end_s, piece_end_s - min_s))
    at_pause = [p for p in pauses_s if max(piece_start_s, latest - slack_s) <= p <= latest]
    return Tail(max(at_pause, default=latest), draft_end_s - boundary_back_s)


def stitch(draft: Transcript, tail: Transcript, boundary_s: float, duration_s: float) -> Transcript:
    """The draft's words before the boundary, then the tail's from it on (both on the turn's clock)."""

    def middle(w: Word) -> float:
        return (w.start_s + w.end_s) / 2

    head = Transcript(tuple(w for w in draft.words if middle(w) < boundary_s), draft.duration_s,
                      draft.heard_fillers, tuple(v for v in draft.voiced if v[0] < boundary_s))
    rest = Transcript(tuple(w for w in tail.words if middle(w) >= boundary_s), tail.duration_s,
                      tail.heard_fillers, tuple(v for v in tail.voiced if v[1] > boundary_s))
    return join([head, rest], duration_s)


def _stop_at_exit(live: LiveTranscriber) -> None:
    """Make sure `live`'s passes are over before the interpreter exits (a result() leaves a stale draft
    running, and the process may end right after the debrief)."""
    if not _RUNNING:
        atexit.unregister(_stop_all)
        atexit.register(_stop_all)
    _RUNNING.add(live)


def _stop_all() -> None:
    for live in list(_RUNNING):
        live.stop(timeout_s=30.0)


def _same(a: Piece, b: Piece) -> bool:
    return (a.offset_s, a.recording) == (b.offset_s, b.recording)


def _starts(draft: Piece, piece: Piece) -> bool:
    """`piece` begins with the draft's audio."""
    return draft.offset_s == piece.offset_s and piece.recording.pcm.startswith(draft.recording.pcm)


def _covers(draft: Piece, piece: Piece) -> bool:
    """The draft holds all of the piece's speech: the rest of the piece is silence."""
    return _starts(draft, piece) and piece.speech_end_s is not None and piece.speech_end_s <= draft.end_s


def _clip(piece: Piece, start_s: float) -> Recording:
    """The piece's audio from `start_s` (turn clock) to its end."""
    rec = piece.recording
    skip = max(0, round((start_s - piece.offset_s) * rec.sample_rate_hz)) * SAMPLE_WIDTH_BYTES
    return Recording(rec.pcm[skip:], rec.sample_rate_hz)


class LiveTranscriber:
    """One background worker per turn. `submit` is the recorder's `on_piece`; `result` waits and joins.

    Closed pieces are transcribed whole, one at a time, in order. A guess or a draft is done only when
    nothing newer waits behind it, and kept aside. A guess, draft or last piece is done from a guess of
    exactly its audio, else from the newest finished draft it starts with (as it is if that holds all its
    speech, else only the rest is transcribed, with some context), else whole: so drafts chain, each pass
    short. The last piece is done
    on a thread of its own as soon as it arrives, beside whatever the worker is busy with (waiting only if
    the worker is on a guess or draft that makes a pass needless).
    The transcriber must accept calls from two threads (WhisperTranscriber with num_workers=2 runs them
    in parallel). Word times come back on the turn's clock.
    """

    # Audio in a pass after a draft, for context (and asr's filler prompt from 4 s). 8 s passes often made
    # Whisper end its first window early and decode the rest in a second one (1.6 s instead of 0.9 s, the
    # pass the user waits for after Enter); with 5 s the debrief came 0.53-1.06 s after Enter on
    # scripts/bench_latency.py, and the live transcript was as close to the reference text as the whole
    # file's or closer in 8 of 12 turns (mean word error 8.5% against 9.2%).
    TAIL_MIN_S = 5.0
    BOUNDARY_BACK_S = 0.075  # half endpointer.EndpointOptions.piece_draft_pause_ms: inside the draft's pause
    # (a draft at a short gap in continuous speech ends where the gap starts: this is inside its last word,
    # whose middle lies well before)

    def __init__(self, transcriber: Transcriber, on_update: Callable[[Transcript], None] | None = None,
                 *, tail_min_s: float = TAIL_MIN_S) -> None:
        """`on_update` gets the transcript so far after each closed piece, and after each guess or draft with
        its words (on a background thread), so the live view follows the speaker."""
        self._transcriber = transcriber
        self._tail_min_s = tail_min_s
        # Which language is spoken is asked on closed pieces; once one has told it, guesses, drafts and the
        # last piece (the pass the user waits for after Enter) skip that extra encoder pass.
        self._quick = transcriber.without_language() if isinstance(transcriber, LanguageChecking) else transcriber
        self._on_update = on_update
        self._queue: queue.Queue[Piece | None] = queue.Queue()
        self._lock = threading.Condition()
        self._done: list[Transcript] = []
        self._closed_sent = 0
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._last_thread: threading.Thread | None = None
        self._last: Transcript | None = None
        self._early: dict[PieceKind, tuple[Piece, Transcript]] = {}  # newest finished guess and draft
        self._pauses: list[float] = []  # ends of the drafts sent: each at a pause or gap
        self._last_piece: Piece | None = None
        self._pending: dict[PieceKind, Piece] = {}  # the newest guess and draft sent, until done or dropped
        self._busy: Piece | None = None  # the guess or draft being transcribed
        self._stopping = False
        self.pieces = 0
        self.guesses_used = 0
        self.drafts_used = 0
        self.early_done = 0  # guesses and drafts transcribed

    def submit(self, piece: Piece) -> None:
        if piece.kind is PieceKind.DRAFT:
            self._pauses.append(piece.end_s)
        if piece.kind in (PieceKind.GUESS, PieceKind.DRAFT):
            with self._lock:
                self._pending[piece.kind] = piece
        if piece.kind is PieceKind.LAST:
            self._finish(piece)
            return
        if piece.kind is PieceKind.CLOSED:
            self.pieces += 1
            with self._lock:
                self._closed_sent += 1
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="mockint-live-transcriber", daemon=True)
            self._thread.start()
            _stop_at_exit(self)
        self._queue.put(piece)

    def _work(self) -> None:
        with working():  # the process does not tear the interpreter down under a transcription (exits.finish)
            self._work_on()

    def _work_on(self) -> None:
        while (piece := self._queue.get()) is not None:
            if self._stopping:
                continue
            is_early = piece.kind in (PieceKind.GUESS, PieceKind.DRAFT)
            if is_early and not self._is_wanted(piece):
                self._settle(piece, None)
                continue
            with self._lock:
                self._busy = piece if is_early else None
            try:
                # A closed piece is done whole: full context is worth more than the time here. Taking a
                # finished draft's words instead cost accuracy on the benchmark (chained passes: 12.5% and
                # 13.7% word error against the reference text in two runs, 8.5% and 6.7% whole file).
                words = self._complete(piece) if is_early else self._whole(piece)
            except BaseException as e:  # handed to the caller of result(); a dead worker would hang it
                self._fail(e)
                return
            if is_early:
                self.early_done += 1
                self._settle(piece, words)
                self._report(words, piece.end_s)  # the still-open piece too: the live view follows the speaker
                continue
            with self._lock:
                self._done.append(words)
                self._lock.notify_all()
            self._report(None, piece.end_s)

    def _is_wanted(self, piece: Piece) -> bool:
        """Early work is worth doing if nothing newer waits and the turn goes on; not a guess whose
        speech a draft (done or on its way) already holds."""
        with self._lock:
            done, coming = self._early.get(PieceKind.DRAFT), self._pending.get(PieceKind.DRAFT)
        drafts = [d for d in (done[0] if done else None, coming) if d is not None]
        if piece.kind is PieceKind.GUESS and any(_covers(d, piece) for d in drafts):
            return False
        return self._last_piece is None and self._queue.empty()

    def _settle(self, piece: Piece, words: Transcript | None) -> None:
        with self._lock:
            if words is not None:
                self._early[piece.kind] = (piece, words)
            if self._pending.get(piece.kind) is piece:
                del self._pending[piece.kind]
            if self._busy is piece:
                self._busy = None
            self._lock.notify_all()

    def _finish(self, last: Piece) -> None:
        self.pieces += 1
        self._last_piece = last
        self._last_thread = threading.Thread(target=self._transcribe_last, args=(last,), name="live-last", daemon=True)
        self._last_thread.start()

    def _transcribe_last(self, last: Piece) -> None:
        try:
            with self._lock:  # work on its way that needs no new pass beside it
                self._lock.wait_for(lambda: self._error is not None or not self._is_coming(last))
            self._last = self._complete(last)
        except BaseException as e:
            self._fail(e)

    def _is_coming(self, last: Piece) -> bool:
        """The worker is on a guess of exactly this piece, or on a draft of all its speech. (One only
        queued is not waited for: on a quiet machine a pass beside the worker's is quicker.)"""
        busy = self._busy
        if busy is None:
            return False
        return _same(busy, last) if busy.kind is PieceKind.GUESS else _covers(busy, last)

    def _complete(self, piece: Piece) -> Transcript:
        """Any piece: from a guess of exactly its audio, else from a draft of its start and the rest (so
        each draft only adds the audio since the one before), else whole."""
        with self._lock:
            guess, draft = self._early.get(PieceKind.GUESS), self._early.get(PieceKind.DRAFT)
        counts = piece.kind in (PieceKind.CLOSED, PieceKind.LAST)
        if guess and _same(guess[0], piece):
            self.guesses_used += counts
            return guess[1]
        if draft and _covers(draft[0], piece):
            self.drafts_used += counts
            return Transcript(draft[1].words, piece.end_s, draft[1].heard_fillers, draft[1].voiced)
        if draft and _starts(draft[0], piece) and draft[0].end_s < piece.end_s:
            self.drafts_used += counts
            pauses = [p for p in self._pauses if p > piece.offset_s]
            tail = plan_tail(piece.offset_s, piece.end_s, draft[0].end_s, pauses,
                             min_s=self._tail_min_s, boundary_back_s=self.BOUNDARY_BACK_S)
            rest = self._for(piece).transcribe(_clip(piece, tail.start_s)).shifted(tail.start_s)
            return stitch(draft[1], rest, tail.boundary_s, piece.end_s)
        return self._whole(piece)

    def _whole(self, piece: Piece) -> Transcript:
        return self._for(piece).transcribe(piece.recording).shifted(piece.offset_s)

    def _for(self, piece: Piece) -> Transcriber:
        """The transcriber for this piece: without the language check once a closed piece has told it."""
        if piece.kind is PieceKind.CLOSED:
            return self._transcriber
        with self._lock:
            told = any(t.language is not None for t in self._done)
        return self._quick if told else self._transcriber

    def _fail(self, error: BaseException) -> None:
        with self._lock:
            self._error = error
            self._lock.notify_all()

    def _report(self, open_piece: Transcript | None, until_s: float) -> None:
        """`on_update` with the pieces done so far and, if given, the newest transcript of the open one."""
        if self._on_update is not None:
            with self._lock:
                done = list(self._done)
            self._on_update(join(done + ([open_piece] if open_piece is not None else []), until_s))

    def result(self, duration_s: float) -> Transcript:
        """Wait for the closed pieces and the last one and join them; re-raises a transcriber error here.

        A guess or draft still in progress is not waited for (the worker drops its result and stops).
        """
        if self._thread is not None:
            self._queue.put(None)
            with self._lock:
                self._lock.wait_for(lambda: self._error is not None or len(self._done) >= self._closed_sent)
            self._thread = None
        if self._last_thread is not None:
            self._last_thread.join()
            self._last_thread = None
            if self._last is not None and self._error is None:
                with self._lock:
                    self._done.append(self._last)
                self._last = None
                self._report(None, duration_s)
        if self._error is not None:
            raise self._error
        return self.partial(duration_s)

    def stop(self, timeout_s: float | None = None) -> None:
        """Drop the work not started and wait for the passes under way: a pass still running in native
        code when the interpreter exits crashed the process (SIGSEGV after Ctrl-C in practice)."""
        self._stopping = True
        for thread in (self._thread, self._last_thread):
            if thread is not None:
                self._queue.put(None)
                thread.join(timeout_s)

    def partial(self, duration_s: float, wait_s: float = 0.0) -> Transcript:
        """The pieces finished so far, after waiting up to `wait_s` for closed ones still being transcribed
        (used when the user presses Ctrl-C: a piece closed just before is kept, not lost)."""
        with self._lock:
            self._lock.wait_for(lambda: len(self._done) >= self._closed_sent or self._error is not None, timeout=wait_s)
            return join(list(self._done), duration_s)
