"""Transcription during the answer: each closed piece is transcribed in the background as it arrives.

When the answer ends only the last piece is left to do, so the transcript is ready about as soon as the
speaker stops (../shared/ASR-NOTES.md: 0.7-1.3 s instead of 3-19 s for the whole file). Cutting the
pieces is endpointer.py's job; this module only queues them, shifts their times and joins them.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from mockint.asr import Transcriber
from mockint.exits import working
from mockint.recorder import Piece
from mockint.transcript import Transcript, join

log = logging.getLogger(__name__)


class LiveTranscriber:
    """One background worker per turn. `submit` is the recorder's `on_piece`; `result` waits and joins.

    Pieces are transcribed one at a time, in order (one worker: on two cores a second would only slow
    the first). Word times come back on the turn's clock (each piece shifted by its offset). A guess
    (Piece.is_guess) is transcribed but kept aside; if the next closed piece is the same audio, the guess
    is used for it, so the turn's last piece is often done before the turn ends.
    """

    def __init__(self, transcriber: Transcriber, on_update: Callable[[Transcript], None] | None = None) -> None:
        """`on_update` gets the transcript so far after each piece (on the worker thread)."""
        self._transcriber = transcriber
        self._on_update = on_update
        self._queue: queue.Queue[Piece | None] = queue.Queue()
        self._done: list[Transcript] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # a piece was finished (or the worker failed)
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._guess: tuple[Piece, Transcript] | None = None  # worker thread only
        self.pieces = 0
        self.guesses_used = 0

    def submit(self, piece: Piece) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="mockint-live-transcriber", daemon=True)
            self._thread.start()
        if not piece.is_guess:
            self.pieces += 1
        self._queue.put(piece)

    def _work(self) -> None:
        with working():  # the process does not tear the interpreter down under a transcription (exits.finish)
            self._work_on()

    def _work_on(self) -> None:
        while True:
            piece = self._queue.get()
            if piece is None:
                return
            try:
                guess = self._guess
                if guess is not None and (guess[0].offset_s, guess[0].recording) == (piece.offset_s, piece.recording):
                    words = guess[1]  # the same audio as the guess: already transcribed
                    if not piece.is_guess:
                        self.guesses_used += 1
                else:
                    words = self._transcriber.transcribe(piece.recording).shifted(piece.offset_s)
                if piece.is_guess:
                    self._guess = (piece, words)
                    continue
                self._guess = None
                with self._changed:
                    self._done.append(words)
                    self._changed.notify_all()
                if self._on_update is not None:
                    self._on_update(self.partial(piece.offset_s + piece.recording.duration_s))
            except BaseException as e:  # handed to the caller of result(); a dead worker would hang it
                with self._changed:
                    self._error = e
                    self._changed.notify_all()
                return

    def result(self, duration_s: float) -> Transcript:
        """Wait for every submitted piece and join them; re-raises a transcriber error here."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._error is not None:
            raise self._error
        return self.partial(duration_s)

    def partial(self, duration_s: float, wait_s: float = 0.0) -> Transcript:
        """The pieces finished so far, after waiting up to `wait_s` for the ones still being transcribed
        (used when the user presses Ctrl-C: a piece closed just before is kept, not lost)."""
        with self._changed:
            self._changed.wait_for(lambda: len(self._done) >= self.pieces or self._error is not None, timeout=wait_s)
            return join(list(self._done), duration_s)
