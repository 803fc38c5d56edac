"""Endpointing: when a spoken answer has ended, and where to cut it into pieces for transcription.

`Endpointer` is a pure state machine fed one speech/silence flag per audio frame (from a voice-activity
detector); it knows nothing about audio devices, clocks or models. recorder.py drives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class EndpointOptions:
    """How a spoken turn is ended and cut into pieces. Evidence: ../shared/ASR-NOTES.md (measured here).

    frame_ms: length of one voice-activity frame; webrtcvad accepts 10, 20 or 30 ms, and 30 ms gives the
        steadiest decisions for the least work.
    thinking_s: how long to wait for the first word before giving up on the turn. Candidates pick a story
        before they speak, so allow a considered pause, but do not leave a silent microphone open forever.
    silence_s: silence that ends the turn once speech has started. Answers hold thinking pauses of 1-2.8 s
        (ASR-NOTES), and the longest one in the shared sample answer measures 3.06 s of VAD silence (its
        "2.8 s" pause plus the speech's own quiet edges): 3 s ended that answer half-way, so keep a margin.
        Enter ends the turn at once for anyone who finds the wait long.
    max_s: hard cap on the whole turn (recorder callers pass a separate cap for answers and probes).
    speech_start_ms: a run of speech this long counts as speech; a shorter run (a click, a cough, a chair)
        neither starts the answer nor resets the silence clock.
    piece_pause_ms: a pause this long closes a piece for background transcription (not the turn).
    piece_min_s: pieces shorter than this are not cut at a short pause: Whisper loses accuracy without
        context, and every call pays a full 30 s encoder pass whatever the piece length. Measured on the
        shared 123 s sample answer (scripts/bench_latency.py): 2 s pieces gave 11% word error against the
        reference text, 8 s pieces 7.6%, the same as the whole file, with fewer encoder passes.
    piece_guess_pause_ms: a pause this long sends the open piece (however short) to be transcribed as a
        guess, without closing it: if the answer ends here, its transcript is ready when the turn ends
        (silence_s minus this is the time it has); if speech resumes, the guess is dropped and the piece
        grows on, keeping its context. Closing the piece instead cost accuracy on the same sample (12
        pieces, 11% word error, against 9 pieces and 7.6%).
    piece_draft_pause_ms: a pause this long sends the open piece so far as a draft (once per pause), when it
        holds piece_draft_every_s more speech than its last draft (or its start). The live transcriber
        works on the newest draft whenever it is idle, so if Enter ends the turn, only the audio after the
        last finished draft is left to do: a second or two instead of up to piece_max_s (which took 2.5 s
        after Enter on the benchmark). A draft ends inside a pause, so it never splits a word; the shared
        lecture sample runs 17.6 s without a 300 ms pause (by webrtcvad), 11 s without a 150 ms one.
    piece_draft_every_s: not more often than this, so the worker keeps some time free; but a pause twice
        piece_draft_pause_ms long always sends a draft of speech not yet drafted (in a piece with at least
        this much speech), so that when Enter comes half a second after the last word, a draft of all the
        speech is already on its way.
    piece_draft_wait_s: speech this long without such a pause (continuous talk) sends a draft up to the
        longest gap in it, however short (the voice-activity detector's gaps mostly fall between words).
    piece_max_s: a piece that reaches this length is cut at its best recent pause, or here if there is none;
        without a forced cut a noisy recording made one 74 s piece and 7 s of latency.
    piece_lead_ms: speech onset is detected a little late, so a piece starts this long before its first
        speech frame (and leading silence beyond that is left out: Whisper tends to invent words in it).
    """

    frame_ms: int = 30
    thinking_s: float = 20.0
    silence_s: float = 3.5
    max_s: float = 300.0
    speech_start_ms: int = 150
    piece_pause_ms: int = 600
    piece_min_s: float = 8.0
    piece_guess_pause_ms: int = 1500
    piece_draft_pause_ms: int = 150
    piece_draft_every_s: float = 2.0
    piece_draft_wait_s: float = 4.0
    piece_max_s: float = 20.0
    piece_lead_ms: int = 300

    def __post_init__(self) -> None:
        if self.frame_ms not in (10, 20, 30):
            raise ValueError(f"frame_ms must be 10, 20 or 30, not {self.frame_ms}")
        if min(self.thinking_s, self.silence_s, self.max_s, self.piece_max_s) <= 0:
            raise ValueError("thinking_s, silence_s, max_s and piece_max_s must be positive")


class EndReason(StrEnum):
    SILENCE = "silence"  # silence_s of quiet after speech
    NO_SPEECH = "no_speech"  # nothing said within thinking_s
    MAX_LENGTH = "max_length"  # hit the hard cap
    ENTER = "enter"  # the speaker pressed Enter
    INTERRUPTED = "interrupted"  # Ctrl-C or the input ended
    END_OF_FILE = "end_of_file"  # a recorded file was played as the turn


@dataclass(frozen=True, slots=True)
class Cut:
    """A closed piece of the turn, in frames from the start of the turn: [start_frame, end_frame)."""

    start_frame: int
    end_frame: int


@dataclass(frozen=True, slots=True)
class Step:
    """What one frame changed: a piece closed, and/or the turn ended."""

    cuts: tuple[Cut, ...] = ()
    ended: EndReason | None = None
    guess: Cut | None = None  # the open piece as it would close if the turn ended now (still open)
    draft: Cut | None = None  # the open piece up to this pause, so that little is left if Enter comes


class Endpointer:
    """Feed `push(is_speech)` once per frame; it reports closed pieces and the end of the turn.

    After the end it refuses more frames. `stop(reason)` ends the turn from outside (Enter, Ctrl-C) and
    returns the last piece. A piece is only reported if it holds speech, so a trailing silence costs no
    transcription at all. In a long pause it also reports a guess: the open piece exactly as the last
    piece will be if the turn ends without more speech. In a short pause it reports a draft: the open
    piece up to here, which the last piece will start with whatever comes next.
    """

    def __init__(self, options: EndpointOptions | None = None, *, max_s: float | None = None) -> None:
        self.options = options or EndpointOptions()
        o = self.options
        self._frames_per_s = 1000 / o.frame_ms
        self._max_frames = round((max_s if max_s is not None else o.max_s) * self._frames_per_s)
        self._thinking_frames = round(o.thinking_s * self._frames_per_s)
        self._silence_frames = round(o.silence_s * self._frames_per_s)
        self._start_frames = max(1, round(o.speech_start_ms / o.frame_ms))
        self._pause_frames = max(1, round(o.piece_pause_ms / o.frame_ms))
        self._piece_min_frames = round(o.piece_min_s * self._frames_per_s)
        self._guess_frames = max(self._pause_frames, round(o.piece_guess_pause_ms / o.frame_ms))
        self._piece_max_frames = round(o.piece_max_s * self._frames_per_s)
        self._draft_frames = max(1, round(o.piece_draft_pause_ms / o.frame_ms))
        self._draft_every_frames = round(o.piece_draft_every_s * self._frames_per_s)
        self._draft_wait_frames = round(o.piece_draft_wait_s * self._frames_per_s)
        self._lead_frames = round(o.piece_lead_ms / o.frame_ms)

        self.frames = 0  # frames pushed so far
        self.ended: EndReason | None = None
        self.first_speech_frame: int | None = None  # start of the first confirmed speech run
        self._speech_run = 0
        self._silence_run = 0
        self._last_speech_end = 0  # frame after the last confirmed speech
        # The open piece: where it starts, where its speech starts, and its best pause for a forced cut.
        self._piece_start = 0
        self._piece_speech_start: int | None = None
        self._piece_last_speech_end = 0
        self._best_gap: tuple[int, int] | None = None  # (length, middle frame) of the longest pause seen
        self._gap_run = 0
        self._draft_end = 0  # end of the last draft sent
        self._draft_gap: tuple[int, int] | None = None  # (length, middle) of the longest gap since then

    # --- reading the state -----------------------------------------------------------------------

    @property
    def has_speech(self) -> bool:
        return self.first_speech_frame is not None

    def seconds(self, frames: int) -> float:
        return frames / self._frames_per_s

    @property
    def last_speech_frame(self) -> int:
        """The frame after the last confirmed speech so far (0 before any)."""
        return self._last_speech_end

    @property
    def elapsed_s(self) -> float:
        return self.seconds(self.frames)

    # --- feeding ---------------------------------------------------------------------------------

    def push(self, is_speech: bool) -> Step:
        if self.ended is not None:
            raise ValueError("the turn has already ended")
        self.frames += 1
        if is_speech:
            self._speech_run += 1
            self._silence_run = 0
            self._close_gap()
            if self._speech_run >= self._start_frames:
                run_start = self.frames - self._speech_run
                if self.first_speech_frame is None:
                    self.first_speech_frame = run_start
                if self._piece_speech_start is None:
                    self._piece_speech_start = max(run_start - self._lead_frames, self._piece_start)
                self._last_speech_end = self.frames
                self._piece_last_speech_end = self.frames
        else:
            self._speech_run = 0
            self._silence_run += 1
            self._gap_run += 1

        cut = self._maybe_cut()
        cuts: tuple[Cut, ...] = (cut,) if cut else ()
        ended = self._maybe_end()
        guess = draft = None
        if ended is not None:
            self.ended = ended
            last = self._final_cut()
            cuts += (last,) if last else ()
        elif self._piece_speech_start is not None:
            if self._silence_run == self._guess_frames:
                guess = self._last_cut()
            elif self._is_draft_due():
                draft = self._draft_at(self.frames)
            elif self._speech_run and self._draft_gap and self._undrafted_speech() >= self._draft_wait_frames:
                draft = self._draft_at(self._draft_gap[1])  # no pause for long: the longest gap since the last draft
        return Step(cuts=cuts, ended=ended, guess=guess, draft=draft)

    def _draft_at(self, end: int) -> Cut:
        assert self._piece_speech_start is not None  # only called with an open piece
        self._draft_end = end
        self._draft_gap = None
        return Cut(self._piece_speech_start, end)

    def _undrafted_speech(self) -> int:
        assert self._piece_speech_start is not None  # only called with an open piece
        return self._piece_last_speech_end - max(self._piece_speech_start, self._draft_end)

    def stop(self, reason: EndReason) -> Cut | None:
        """End the turn from outside; returns the last piece if it holds speech."""
        if self.ended is not None:
            return None
        self.ended = reason
        return self._final_cut()

    # --- policy ----------------------------------------------------------------------------------

    def _maybe_end(self) -> EndReason | None:
        if self.frames >= self._max_frames:
            return EndReason.MAX_LENGTH
        if self.first_speech_frame is None:
            return EndReason.NO_SPEECH if self.frames >= self._thinking_frames else None
        # Not during a run of speech: it may be the start of the next sentence, not yet confirmed.
        if self._speech_run == 0 and self.frames - self._last_speech_end >= self._silence_frames:
            return EndReason.SILENCE
        return None

    def _is_draft_due(self) -> bool:
        """At piece_draft_pause_ms into a pause after enough new speech; at twice that after any (in a
        piece that long: Whisper invents words in very short audio)."""
        start = self._piece_speech_start
        if start is None:
            return False
        new_speech = self._undrafted_speech()
        if self._silence_run == self._draft_frames:
            return new_speech >= self._draft_every_frames
        is_long_enough = self._piece_last_speech_end - start >= self._draft_every_frames  # no tiny drafts
        return self._silence_run == 2 * self._draft_frames and new_speech > 0 and is_long_enough

    def _close_gap(self) -> None:
        """A pause inside the open piece has ended: remember it if it is the longest so far."""
        if self._gap_run and self._piece_speech_start is not None:
            middle = self.frames - 1 - (self._gap_run + 1) // 2
            if self._best_gap is None or self._gap_run >= self._best_gap[0]:
                self._best_gap = (self._gap_run, middle)
            if middle > max(self._draft_end, self._piece_speech_start) and (self._draft_gap is None or self._gap_run >= self._draft_gap[0]):
                self._draft_gap = (self._gap_run, middle)
        self._gap_run = 0

    def _maybe_cut(self) -> Cut | None:
        start = self._piece_speech_start
        if start is None:
            return None
        length = self.frames - start
        if self._silence_run >= self._pause_frames and length - self._silence_run >= self._piece_min_frames:
            return self._cut_at(self.frames)
        if length >= self._piece_max_frames:
            gap = self._best_gap
            if gap is not None and gap[1] - start >= self._piece_min_frames:
                return self._cut_at(gap[1])
            return self._cut_at(self.frames)
        return None

    def _cut_at(self, end: int) -> Cut:
        start = self._piece_speech_start
        assert start is not None  # only called with an open piece
        cut = Cut(start, end)
        self._piece_start = end
        self._best_gap = self._draft_gap = None
        # Speech after the cut point (a forced cut in the past) opens the next piece right away.
        self._piece_speech_start = end if self._piece_last_speech_end > end else None
        self._gap_run = min(self._gap_run, self.frames - end)
        return cut

    def _last_cut(self) -> Cut:
        """The open piece, ending a little after its last speech (silence invites invented words)."""
        assert self._piece_speech_start is not None  # only called with an open piece
        return Cut(self._piece_speech_start, min(self.frames, self._piece_last_speech_end + self._pause_frames))

    def _final_cut(self) -> Cut | None:
        if self._piece_speech_start is None:
            return None
        cut = self._last_cut()  # the same as a guess made in the pause before, if no speech came since
        self._piece_speech_start = None
        return cut
