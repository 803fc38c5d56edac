"""Live transcription: closed pieces in order, drafts while the person speaks, and a quick last piece."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from collections.abc import Callable

import pytest
from conftest import MODEL_CACHE
from fakes import FakeTranscriber

from mockint.audio import SAMPLE_RATE_HZ, Recording
from mockint.live import LiveTranscriber, Tail, plan_tail, stitch
from mockint.recorder import Piece, PieceKind
from mockint.transcript import Transcript, Word


def audio(seconds: float, value: int = 1) -> bytes:
    """Distinct, recognisable PCM: every sample holds `value` (so prefixes can be told apart)."""
    return value.to_bytes(2, "little", signed=True) * int(seconds * SAMPLE_RATE_HZ)


def words(*spec: tuple[str, float, float]) -> Transcript:
    return Transcript(tuple(Word(t, a, b) for t, a, b in spec), 0.0)


def wait_until(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


class GatedTranscriber(FakeTranscriber):
    """Holds every call for audio of `hold_s` seconds until `gate` is set (the others go straight through)."""

    def __init__(self, hold_s: float) -> None:
        super().__init__()
        self.hold_s = hold_s
        self.gate = threading.Event()
        self.held = threading.Event()

    def transcribe(self, recording: Recording) -> Transcript:
        result = super().transcribe(recording)
        if abs(recording.duration_s - self.hold_s) < 1e-6:
            self.held.set()
            self.gate.wait(5.0)
        return result


def test_plan_tail_holds_enough_audio_and_starts_at_a_pause_close_before_if_there_is_one() -> None:
    tail = plan_tail(10.0, 30.0, 27.0, [12.0, 17.0, 24.0, 27.0], min_s=5.0, boundary_back_s=0.15)
    assert tail == Tail(start_s=24.0, boundary_s=pytest.approx(26.85))  # the pause 1 s before 30 - 5
    assert plan_tail(10.0, 30.0, 27.0, [12.0, 17.0], min_s=5.0, boundary_back_s=0.15).start_s == 25.0
    assert plan_tail(10.0, 40.0, 27.0, [27.0], min_s=5.0, boundary_back_s=0.15).start_s == 27.0  # rest is long
    assert plan_tail(10.0, 13.0, 12.0, [], min_s=5.0, boundary_back_s=0.15).start_s == 10.0  # never before


def test_stitch_takes_the_drafts_words_before_its_pause_and_the_tails_after() -> None:
    draft = Transcript((Word("we", 1.0, 1.2), Word("shipped", 1.3, 1.8), Word("uh", 2.9, 3.0)), 3.0, True)
    tail = Transcript((Word("shipped", 1.35, 1.8), Word("it", 3.1, 3.3), Word("today", 3.4, 3.9)), 4.0, True)
    joined = stitch(draft, tail, boundary_s=2.85, duration_s=4.0)
    assert [w.text for w in joined.words] == ["we", "shipped", "it", "today"]
    assert joined.heard_fillers and joined.duration_s == 4.0


def test_after_enter_only_the_rest_after_the_newest_draft_is_transcribed() -> None:
    asr = FakeTranscriber()
    asr.enqueue(words(("we", 0.5, 0.9)))  # draft 1: the first 3 s
    asr.enqueue(words(("shipped", 5.8, 6.5), ("the", 7.9, 7.98)))  # draft 2: its last 8 s, from 2 s
    asr.enqueue(words(("shipped", 4.8, 5.5), ("it", 7.2, 7.5)))  # the last piece: 9 s, from draft 1's pause
    # (8 s would start at 8 s: draft 1's pause at 7 s is within reach, so no word is cut)
    live = LiveTranscriber(asr, tail_min_s=8.0)
    speech = audio(3.0, 1) + audio(7.0, 2) + audio(2.0, 3)
    live.submit(Piece(4.0, Recording(speech[: 2 * 3 * SAMPLE_RATE_HZ]), PieceKind.DRAFT))
    wait_until(lambda: live.early_done == 1)
    live.submit(Piece(4.0, Recording(speech[: 2 * 10 * SAMPLE_RATE_HZ]), PieceKind.DRAFT))
    wait_until(lambda: live.early_done == 2)
    live.submit(Piece(4.0, Recording(speech), PieceKind.LAST, speech_end_s=15.5))
    result = live.result(16.0)
    # A word in a draft's closing pause, and the words a pass repeats from its context, are left out.
    assert [(w.text, w.start_s) for w in result.words] == [("we", 4.5), ("shipped", 11.8), ("it", 14.2)]
    assert [c.pcm for c in asr.calls[1:]] == [speech[2 * 2 * SAMPLE_RATE_HZ : 2 * 10 * SAMPLE_RATE_HZ],
                                             speech[2 * 3 * SAMPLE_RATE_HZ :]]  # fmt: skip
    assert live.drafts_used == 1 and live.pieces == 1


def test_the_last_piece_is_transcribed_whole_when_no_draft_of_it_is_finished() -> None:
    asr = FakeTranscriber()
    asr.enqueue(words(("done", 0.2, 0.6)))
    live = LiveTranscriber(asr)
    live.submit(Piece(2.0, Recording(audio(4.0)), PieceKind.LAST))
    assert [(w.text, w.start_s) for w in live.result(6.0).words] == [("done", 2.2)]
    assert live.drafts_used == 0 and len(asr.calls) == 1


def test_a_draft_of_an_earlier_piece_is_not_used_for_the_last_one() -> None:
    asr = FakeTranscriber()
    asr.enqueue(words(("old", 0.2, 0.6)))
    asr.enqueue(words(("new", 0.2, 0.6)))
    live = LiveTranscriber(asr)
    live.submit(Piece(0.0, Recording(audio(3.0)), PieceKind.DRAFT))
    wait_until(lambda: live.early_done == 1)
    live.submit(Piece(9.0, Recording(audio(4.0)), PieceKind.LAST))
    assert [w.text for w in live.result(13.0).words] == ["new"]
    assert live.drafts_used == 0


def test_drafts_waiting_behind_newer_work_are_dropped() -> None:
    asr = GatedTranscriber(hold_s=8.0)
    asr.enqueue(words(("closed", 0.1, 0.5)))
    asr.enqueue(words(("draft", 0.1, 0.5)))
    live = LiveTranscriber(asr)
    live.submit(Piece(0.0, Recording(audio(8.0)), PieceKind.CLOSED))
    assert asr.held.wait(5.0)
    live.submit(Piece(8.0, Recording(audio(2.0)), PieceKind.DRAFT))
    live.submit(Piece(8.0, Recording(audio(3.0)), PieceKind.DRAFT))
    asr.gate.set()
    wait_until(lambda: live.early_done == 1)
    assert [round(r.duration_s, 1) for r in asr.calls] == [8.0, 3.0]  # the older draft was never transcribed


def test_the_result_does_not_wait_for_a_draft_still_in_progress() -> None:
    asr = GatedTranscriber(hold_s=3.0)
    asr.enqueue(words(("slow", 0.1, 0.5)))
    asr.enqueue(words(("last", 0.1, 0.5)))
    live = LiveTranscriber(asr)
    live.submit(Piece(0.0, Recording(audio(3.0, 5)), PieceKind.DRAFT))
    assert asr.held.wait(5.0)  # the worker is busy with the draft
    live.submit(Piece(0.0, Recording(audio(2.5, 7)), PieceKind.LAST))
    try:
        assert [w.text for w in live.result(3.0).words] == ["last"]
    finally:
        asr.gate.set()


def test_a_transcriber_error_on_the_last_piece_is_raised_by_result() -> None:
    live = LiveTranscriber(FakeTranscriber())  # nothing enqueued: the call fails
    live.submit(Piece(0.0, Recording(audio(1.0)), PieceKind.LAST))
    with pytest.raises(IndexError):
        live.result(1.0)


def test_a_closed_piece_is_transcribed_whole_even_after_a_draft_of_its_start() -> None:
    asr = FakeTranscriber()
    asr.enqueue(words(("first", 0.5, 1.0)))  # the draft: 3 s
    asr.enqueue(words(("first", 0.5, 1.0), ("second", 4.0, 4.6)))  # the whole piece, for context
    live = LiveTranscriber(asr)
    speech = audio(3.0, 1) + audio(5.0, 2)
    live.submit(Piece(10.0, Recording(speech[: 2 * 3 * SAMPLE_RATE_HZ]), PieceKind.DRAFT))
    wait_until(lambda: live.early_done == 1)
    live.submit(Piece(10.0, Recording(speech), PieceKind.CLOSED))
    result = live.result(18.0)
    assert [(w.text, w.start_s) for w in result.words] == [("first", 10.5), ("second", 14.0)]
    assert live.drafts_used == 0 and asr.calls[-1].pcm == speech


def test_the_split_lies_inside_the_shortest_pause_a_draft_ends_in() -> None:
    from mockint.endpointer import EndpointOptions

    assert 0 < 2 * LiveTranscriber.BOUNDARY_BACK_S <= EndpointOptions().piece_draft_pause_ms / 1000


def test_a_draft_that_holds_all_the_speech_of_the_last_piece_is_used_as_it_is() -> None:
    asr = FakeTranscriber()
    asr.enqueue(words(("all", 0.5, 1.0), ("said", 2.0, 2.4)))
    live = LiveTranscriber(asr)
    speech = audio(3.0, 1) + audio(0.5, 0)
    live.submit(Piece(1.0, Recording(speech[: 2 * 3 * SAMPLE_RATE_HZ]), PieceKind.DRAFT, speech_end_s=3.9))
    wait_until(lambda: live.early_done == 1)
    live.submit(Piece(1.0, Recording(speech), PieceKind.LAST, speech_end_s=3.9))  # only silence after the draft
    assert [w.text for w in live.result(4.5).words] == ["all", "said"]
    assert len(asr.calls) == 1 and live.drafts_used == 1


def test_the_last_piece_waits_for_a_draft_of_all_its_speech_already_under_way_instead_of_a_second_pass() -> None:
    asr = GatedTranscriber(hold_s=3.0)
    asr.enqueue(words(("all", 0.5, 1.0)))
    live = LiveTranscriber(asr)
    speech = audio(3.0, 1) + audio(0.4, 0)
    live.submit(Piece(0.0, Recording(speech[: 2 * 3 * SAMPLE_RATE_HZ]), PieceKind.DRAFT, speech_end_s=2.85))
    assert asr.held.wait(5.0)
    live.submit(Piece(0.0, Recording(speech), PieceKind.LAST, speech_end_s=2.85))
    threading.Timer(0.05, asr.gate.set).start()
    assert [w.text for w in live.result(3.4).words] == ["all"]
    assert len(asr.calls) == 1


def test_a_queued_draft_is_dropped_at_the_end_and_the_last_piece_done_beside_the_worker() -> None:
    asr = GatedTranscriber(hold_s=3.0)
    asr.enqueue(words(("older", 0.5, 1.0)))
    asr.enqueue(words(("older", 0.5, 1.0), ("newer", 3.1, 3.5)))
    live = LiveTranscriber(asr)
    speech = audio(3.0, 1) + audio(1.0, 2) + audio(0.4, 0)
    live.submit(Piece(0.0, Recording(speech[: 2 * 3 * SAMPLE_RATE_HZ]), PieceKind.DRAFT, speech_end_s=2.9))
    assert asr.held.wait(5.0)  # the worker is on an older draft that does not hold all the speech
    live.submit(Piece(0.0, Recording(speech[: 2 * 4 * SAMPLE_RATE_HZ]), PieceKind.DRAFT, speech_end_s=3.9))
    live.submit(Piece(0.0, Recording(speech), PieceKind.LAST, speech_end_s=3.9))
    try:
        assert [w.text for w in live.result(4.4).words] == ["older", "newer"]  # whole: no draft was done
    finally:
        asr.gate.set()
    wait_until(lambda: live.early_done == 1)
    assert len(asr.calls) == 2  # the older draft and the last piece; the queued draft was dropped



class LanguageFake(FakeTranscriber):
    """Tells the language when asked; its `without_language` twin shares the queue and records which
    calls skipped the check (as WhisperTranscriber's twin skips Whisper's extra encoder pass)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[bool] = []

    def transcribe(self, recording: Recording) -> Transcript:
        return self._heard(recording, asked=True)

    def _heard(self, recording: Recording, *, asked: bool) -> Transcript:
        self.asked.append(asked)
        t = super().transcribe(recording)
        return Transcript(t.words, t.duration_s, language="en" if asked else None)

    def without_language(self) -> FakeTranscriber:
        outer = self

        class Quick(FakeTranscriber):
            def transcribe(self, recording: Recording) -> Transcript:
                return outer._heard(recording, asked=False)

        return Quick()


def test_passes_after_a_closed_piece_has_told_the_language_skip_the_check() -> None:
    asr = LanguageFake()
    for text in ("early", "closed", "final"):
        asr.enqueue(words((text, 0.1, 0.5)))
    live = LiveTranscriber(asr)
    live.submit(Piece(0.0, Recording(audio(2.0, 1)), PieceKind.DRAFT))  # nothing has told it yet
    wait_until(lambda: live.early_done == 1)
    live.submit(Piece(0.0, Recording(audio(9.0, 2))))  # closed: always asked
    wait_until(lambda: bool(live.partial(9.0).words))
    live.submit(Piece(9.0, Recording(audio(2.0, 3)), PieceKind.LAST))
    result = live.result(11.0)
    assert asr.asked == [True, True, False]  # the draft, the closed piece, then the last without the check
    assert [(w.text, w.start_s) for w in result.words] == [("closed", 0.1), ("final", 9.1)]
    assert result.language == "en"


@pytest.mark.slow
def test_the_language_is_asked_on_closed_pieces_and_not_again_on_the_last(tmp_path: Path) -> None:
    """The pass after Enter skips Whisper's language check once a closed piece of the turn has told it."""
    from audio_helpers import need_espeak, synthesise

    from mockint.asr import WhisperTranscriber

    need_espeak()
    if not (MODEL_CACHE / "whisper-base" / "model.bin").exists():
        pytest.skip("needs the assembled model (make test sets it up)")
    first = synthesise(["I rewrote the slow query and added an index on the customer column."], tmp_path / "a.wav", tail_s=0.3)
    last = synthesise(["Timeouts fell from two percent to almost none."], tmp_path / "b.wav", tail_s=0.3)
    asr = WhisperTranscriber()
    live = LiveTranscriber(asr)
    live.submit(Piece(0.0, first))
    live.submit(Piece(first.duration_s, last, PieceKind.LAST))
    result = live.result(first.duration_s + last.duration_s)
    assert result.language == "en"  # told by the closed piece
    assert "index" in result.text and "none" in result.text.lower()
    assert asr.without_language().transcribe(last).language is None  # what the last pass ran as
    only_last = LiveTranscriber(asr)
    only_last.submit(Piece(0.0, last, PieceKind.LAST))
    assert only_last.result(last.duration_s).language == "en"  # no closed piece: the last one is asked
