"""Transcription during the answer: each closed piece is transcribed in the background as it arrives.

When the answer ends only the last piece is left to do, so the transcript is ready about as soon as the
speaker stops (../shared/ASR-NOTES.md: 0.7-1.3 s instead of 3-19 s for the whole file). Cutting the
pieces is turn.py's job; this module only queues them, shifts their times and joins them.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from mockint.asr import Transcriber
from mockint.recorder import Piece
from mockint.transcript import Transcript, join

log = logging.getLogger(__name__)


class LiveTranscriber:
    """One background worker per turn. `submit` is the recorder's `on_piece`; `result` waits and joins.

    Pieces are transcribed one at a time, in order (one worker: on two cores a second would only slow
    the first). Word times come back on the turn's clock (each piece shifted by its offset).
    """

    def __init__(self, transcriber: Transcriber, on_update: Callable[[Transcript], None] | None = None) -> None:
        """`on_update` gets the transcript so far after each piece (on the worker thread)."""
        self._transcriber = transcriber
        self._on_update = on_update
        self._queue: queue.Queue[Piece | None] = queue.Queue()
        self._done: list[Transcript] = []
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self.pieces = 0

    def submit(self, piece: Piece) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="live-transcriber", daemon=True)
            self._thread.start()
        self.pieces += 1
        self._queue.put(piece)

    def _work(self) -> None:
        while True:
            piece = self._queue.get()
            if piece is None:
                return
            try:
                words = self._transcriber.transcribe(piece.recording).shifted(piece.offset_s)
                with self._lock:
                    self._done.append(words)
                if self._on_update is not None:
                    self._on_update(self.partial(piece.offset_s + piece.recording.duration_s))
            except BaseException as e:  # handed to the caller of result(); a dead worker would hang it
                self._error = e
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

    def partial(self, duration_s: float) -> Transcript:
        """The pieces finished so far, without waiting (used when the user presses Ctrl-C)."""
        with self._lock:
            return join(list(self._done), duration_s)
