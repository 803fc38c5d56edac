"""The recorder without a device: Capture (VAD, endpointing, WAV, pieces, meter), the file mic, live
transcription, and the errors a missing device gives."""

from __future__ import annotations

import math
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from array import array
from pathlib import Path

import pytest
from fakes import FakeTranscriber

from mockint.audio import SAMPLE_RATE_HZ, Recording, WavAppender, load_audio, read_wav, write_wav
from mockint.endpointer import Endpointer, EndpointOptions, EndReason
from mockint.errors import AudioError, DeviceError
from mockint.live import LiveTranscriber
from mockint.recorder import Capture, FileMic, Meter, Piece, PieceKind, SoundDeviceMic, level_of
from mockint.transcript import Transcript, Word


def tone(seconds: float, amplitude: float = 0.3, hz: float = 220.0) -> bytes:
    n = int(seconds * SAMPLE_RATE_HZ)
    return array("h", (int(amplitude * 32767 * math.sin(2 * math.pi * hz * i / SAMPLE_RATE_HZ)) for i in range(n))).tobytes()


def quiet(seconds: float) -> bytes:
    return b"\x00\x00" * int(seconds * SAMPLE_RATE_HZ)


def loud(frame: bytes) -> bool:
    """A stand-in voice-activity detector: anything above -20 dBFS is speech."""
    return level_of(frame) > 2 / 3


class ListView:
    def __init__(self) -> None:
        self.meters: list[Meter] = []
        self.events: list[str] = []

    def started(self, max_s: float) -> None:
        self.events.append(f"started {max_s}")

    def update(self, meter: Meter) -> None:
        self.meters.append(meter)

    def stopped(self, reason: EndReason, duration_s: float) -> None:
        self.events.append(f"stopped {reason}")


def run_capture(tmp_path: Path, pcm: bytes, options: EndpointOptions, block_bytes: int = 1234):
    pieces: list[Piece] = []
    view = ListView()
    with WavAppender(tmp_path / "turn.wav") as wav:
        capture = Capture(wav, Endpointer(options), loud, pieces.append, view)
        reason = None
        for i in range(0, len(pcm), block_bytes):
            reason = capture.feed(pcm[i : i + block_bytes])
            if reason:
                break
    return capture, reason, pieces, view


def test_capture_ends_on_silence_writes_the_wav_and_hands_over_pieces_as_they_close(tmp_path: Path) -> None:
    pcm = quiet(1.0) + tone(3.0) + quiet(0.9) + tone(2.5) + quiet(5.0)
    capture, reason, sent, view = run_capture(tmp_path, pcm, EndpointOptions(silence_s=2.0, piece_min_s=2.0))
    assert reason is EndReason.SILENCE
    pieces = [p for p in sent if p.kind in (PieceKind.CLOSED, PieceKind.LAST)]
    assert [p.kind for p in pieces] == [PieceKind.CLOSED, PieceKind.CLOSED]  # the last closed before the end
    take = capture.take()
    assert take.end_reason is EndReason.SILENCE
    assert take.first_speech_s == pytest.approx(1.0, abs=0.04)
    # The turn ends 2 s after the last speech; the WAV holds what was fed up to then (whole blocks).
    assert take.recording.duration_s == pytest.approx(1.0 + 3.0 + 0.9 + 2.5 + 2.0, abs=0.04)
    on_disk = read_wav(tmp_path / "turn.wav")
    assert on_disk.pcm.startswith(take.recording.pcm)
    assert on_disk.duration_s - take.recording.duration_s < 0.05
    # Two pieces, each cut at its pause, each starting a little before its speech; the audio is the turn's.
    # (the second piece starts where the first was cut, 0.6 s into the pause: no audio is left out)
    assert [round(p.offset_s, 2) for p in pieces] == [0.69, 4.62]
    assert pieces[0].offset_s + pieces[0].recording.duration_s == pytest.approx(pieces[1].offset_s)
    for p in pieces:
        start = round(p.offset_s * SAMPLE_RATE_HZ) * 2
        assert p.recording.pcm == take.recording.pcm[start : start + len(p.recording.pcm)]
    assert all(p.recording.duration_s >= 2.0 for p in pieces)
    # The meter rose while the tone played and stayed low in the silence.
    assert max(m.level for m in view.meters) > 0.7  # -13.5 dBFS
    assert min(m.level for m in view.meters) == 0.0
    assert [m.elapsed_s for m in view.meters] == sorted(m.elapsed_s for m in view.meters)
    assert not view.meters[0].has_speech and view.meters[-1].has_speech


def test_capture_stopped_from_outside_emits_the_open_piece(tmp_path: Path) -> None:
    capture, reason, pieces, _ = run_capture(tmp_path, tone(4.0), EndpointOptions())
    assert reason is None and pieces == []
    capture.stop(EndReason.ENTER)
    assert capture.take().end_reason is EndReason.ENTER
    assert len(pieces) == 1 and pieces[0].offset_s == 0.0 and pieces[0].kind is PieceKind.LAST
    assert pieces[0].recording.duration_s == pytest.approx(4.0, abs=0.04)
    assert pieces[0].speech_end_s == pytest.approx(4.0, abs=0.04)


def test_capture_with_no_speech_ends_after_thinking_time_with_no_pieces(tmp_path: Path) -> None:
    capture, reason, pieces, _ = run_capture(tmp_path, quiet(10.0), EndpointOptions(thinking_s=3.0))
    assert reason is EndReason.NO_SPEECH and pieces == []
    assert capture.take().first_speech_s is None


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_webrtcvad_on_spoken_sentences_with_the_default_policy_keeps_context_and_guesses_in_long_pauses(tmp_path: Path) -> None:
    import webrtcvad

    sentences = [
        "I noticed that the nightly jobs were taking almost nine hours to finish.",
        "So I drew the whole pipeline on the whiteboard with every step timed.",
    ]
    pcm = b""
    for i, text in enumerate(sentences):
        wav = tmp_path / f"s{i}.wav"
        subprocess.run(["espeak-ng", "-s", "160", "-w", str(wav), text], check=True)
        pcm += load_audio(wav).pcm + quiet(1.6)
    vad = webrtcvad.Vad(2)
    pieces: list[Piece] = []
    with WavAppender(tmp_path / "turn.wav") as wav_out:
        capture = Capture(
            wav_out, Endpointer(EndpointOptions()), lambda f: vad.is_speech(f, SAMPLE_RATE_HZ), pieces.append, ListView()
        )
        ended = capture.feed(pcm + quiet(4.0))
    assert ended is EndReason.SILENCE
    # The first sentence is under the minimum piece: the long pause after it sends it as a guess but keeps
    # the piece open, so the second sentence joins it (context); that piece closes at the next pause, well
    # before the answer ends, so nothing is left to transcribe at the end.
    closed = [p for p in pieces if p.kind in (PieceKind.CLOSED, PieceKind.LAST)]
    guesses = [p for p in pieces if p.kind is PieceKind.GUESS]
    assert len(closed) == 1 and len(guesses) == 1
    assert closed[0].recording.duration_s > 8.0
    assert closed[0].recording.pcm.startswith(guesses[0].recording.pcm)
    assert closed[0].offset_s + closed[0].recording.duration_s < capture.take().recording.duration_s - 1.5


def test_file_mic_copies_each_file_into_the_session_and_hands_it_over_whole(tmp_path: Path) -> None:
    src = tmp_path / "answer.wav"
    from mockint.audio import write_wav

    write_wav(src, Recording(tone(1.5)))
    mic = FileMic([src])
    pieces: list[Piece] = []
    take = mic.record(tmp_path / "copy.wav", max_s=10.0, on_piece=pieces.append)
    assert take.end_reason is EndReason.END_OF_FILE
    assert read_wav(tmp_path / "copy.wav") == take.recording == pieces[0].recording
    with pytest.raises(DeviceError, match="--probe-file"):
        mic.record(tmp_path / "probe.wav", max_s=10.0, on_piece=pieces.append)


def test_live_transcriber_puts_piece_words_on_the_turn_clock_in_order() -> None:
    asr = FakeTranscriber()
    asr.enqueue(Transcript((Word("first", 0.3, 0.6),), 2.0))
    asr.enqueue(Transcript((Word("second", 0.1, 0.5), Word("piece", 0.6, 0.9)), 3.0))
    live = LiveTranscriber(asr)
    live.submit(Piece(1.0, Recording(quiet(2.0))))
    live.submit(Piece(5.5, Recording(quiet(3.0))))
    result = live.result(10.0)
    assert [(w.text, w.start_s) for w in result.words] == [("first", 1.3), ("second", 5.6), ("piece", 6.1)]
    assert result.duration_s == 10.0
    assert len(asr.calls) == 2 and live.pieces == 2


def test_live_transcriber_reports_the_answer_so_far_with_the_open_piece_but_keeps_only_what_closed() -> None:
    asr = FakeTranscriber()
    asr.enqueue(Transcript((Word("first", 0.3, 0.6),), 2.0))
    asr.enqueue(Transcript((Word("guessed", 0.1, 0.5),), 3.0))
    asr.enqueue(Transcript((Word("second", 0.1, 0.5), Word("piece", 0.6, 0.9)), 4.0))
    updates: list[Transcript] = []
    live = LiveTranscriber(asr, updates.append)
    live.submit(Piece(1.0, Recording(quiet(2.0))))
    wait_until(lambda: len(updates) == 1)  # (a guess is only transcribed when nothing newer waits)
    live.submit(Piece(5.5, Recording(quiet(3.0)), PieceKind.GUESS))  # a long pause: the open piece so far
    wait_until(lambda: len(updates) == 2)
    live.submit(Piece(5.5, Recording(quiet(4.0))))  # speech went on: the piece closes longer
    result = live.result(10.0)
    assert [[w.text for w in u.words] for u in updates] == [["first"], ["first", "guessed"], ["first", "second", "piece"]]
    assert [w.text for w in result.words] == ["first", "second", "piece"]


def test_live_transcriber_with_no_pieces_gives_an_empty_transcript() -> None:
    assert LiveTranscriber(FakeTranscriber()).result(4.0) == Transcript((), 4.0)


def test_live_transcriber_reraises_a_transcriber_error_when_the_result_is_asked_for() -> None:
    class Broken:
        def transcribe(self, recording: Recording) -> Transcript:
            raise RuntimeError("model exploded")

    live = LiveTranscriber(Broken())
    live.submit(Piece(0.0, Recording(quiet(1.0))))
    with pytest.raises(RuntimeError, match="exploded"):
        live.result(1.0)


def test_live_transcriber_works_while_the_recording_goes_on() -> None:
    """The first piece is transcribed before the second is submitted (no waiting for the end)."""
    gate = threading.Event()

    class Signalling:
        def transcribe(self, recording: Recording) -> Transcript:
            gate.set()
            return Transcript((Word("x", 0.0, 0.1),), recording.duration_s)

    live = LiveTranscriber(Signalling())
    live.submit(Piece(0.0, Recording(quiet(1.0))))
    assert gate.wait(timeout=10)
    assert len(live.partial(1.0).words) in (0, 1)
    assert len(live.result(1.0).words) == 1


def test_partial_waits_a_moment_for_the_piece_being_transcribed_then_gives_what_is_done() -> None:
    """Ctrl-C just after a pause: the piece that pause closed is kept if it is done within the wait."""
    started, release = threading.Event(), threading.Event()

    class Slow:
        def transcribe(self, recording: Recording) -> Transcript:
            started.set()
            release.wait(timeout=10)
            return Transcript((Word("kept", 0.0, 0.1),), recording.duration_s)

    live = LiveTranscriber(Slow())
    live.submit(Piece(0.0, Recording(quiet(1.0))))
    assert started.wait(timeout=10)
    assert live.partial(1.0, wait_s=0.05).words == ()  # still being transcribed: nothing yet, no hang
    threading.Timer(0.05, release.set).start()
    assert [w.text for w in live.partial(1.0, wait_s=10).words] == ["kept"]


def test_file_mic_reads_every_file_before_the_first_turn_and_cuts_at_the_cap(tmp_path: Path) -> None:
    long_answer, short_probe = tmp_path / "answer.wav", tmp_path / "probe.wav"
    write_wav(long_answer, Recording(tone(12.0, amplitude=0.1)))
    write_wav(short_probe, Recording(tone(2.0, amplitude=0.1)))
    with pytest.raises(AudioError, match="missing.wav' does not exist"):
        FileMic([long_answer, tmp_path / "missing.wav"], [10.0, 5.0])  # the probe's file fails before anything
    mic = FileMic([long_answer, short_probe], [10.0, 5.0])
    assert mic.cut == [(long_answer, 10.0)]
    pieces: list[Piece] = []
    take = mic.record(tmp_path / "a.wav", max_s=10.0, on_piece=pieces.append)
    assert take.recording.duration_s == 10.0 and take.end_reason is EndReason.MAX_LENGTH
    assert read_wav(tmp_path / "a.wav").duration_s == 10.0 and pieces[0].recording == take.recording
    assert mic.record(tmp_path / "p.wav", max_s=5.0, on_piece=pieces.append).end_reason is EndReason.END_OF_FILE


def test_a_missing_input_device_is_a_device_error_that_suggests_answer_file(tmp_path: Path) -> None:
    mic = SoundDeviceMic(device="no-such-microphone-anywhere")
    with pytest.raises(DeviceError, match="--answer-file"):
        mic.record(tmp_path / "a.wav", max_s=5.0, on_piece=lambda p: None)
    assert not (tmp_path / "a.wav").exists()


def test_level_meter_spans_minus_60_to_0_dbfs() -> None:
    assert level_of(quiet(0.03)) == 0.0
    assert level_of(tone(0.03, amplitude=1.0)) == pytest.approx(1 + 20 * math.log10(1 / math.sqrt(2)) / 60, abs=0.01)
    assert level_of(tone(0.03, amplitude=0.0005)) == 0.0


def _pump_capture(tmp_path: Path, pieces: list[Piece]) -> tuple[Capture, WavAppender]:
    wav = WavAppender(tmp_path / "pump.wav")
    return Capture(wav, Endpointer(EndpointOptions()), loud, pieces.append, ListView()), wav


def test_enter_ends_the_turn_at_once_and_hands_over_the_open_piece(tmp_path: Path) -> None:
    import queue

    class EnterAfter:
        """Enter is pressed once the recorder has looked `n` times (after n blocks of 30 ms)."""

        def __init__(self, n: int) -> None:
            self.n, self.looks = n, 0

        def clear(self) -> None:
            self.looks = 0

        def is_set(self) -> bool:
            self.looks += 1
            return self.looks > self.n

    mic = SoundDeviceMic(stop=EnterAfter(50))
    blocks: queue.Queue[bytes] = queue.Queue()
    pcm = tone(3.0)
    for i in range(0, len(pcm), 960):
        blocks.put(pcm[i : i + 960])
    pieces: list[Piece] = []
    capture, wav = _pump_capture(tmp_path, pieces)
    with wav:
        assert mic._pump(blocks, capture) is EndReason.ENTER
    take = capture.take()
    assert take.end_reason is EndReason.ENTER and take.recording.duration_s == pytest.approx(1.5, abs=0.04)
    assert len(pieces) == 1 and pieces[0].recording.duration_s == pytest.approx(1.5, abs=0.04)


def test_a_stream_that_stops_delivering_audio_is_a_device_error_not_a_hang(tmp_path: Path) -> None:
    import queue

    mic = SoundDeviceMic()
    mic.STALL_S = 0.3
    capture, wav = _pump_capture(tmp_path, [])
    with wav, pytest.raises(DeviceError, match="stopped delivering audio"):
        mic._pump(queue.Queue(), capture)


def wait_until(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_a_right_guess_is_used_for_the_last_piece_without_transcribing_it_again() -> None:
    asr = FakeTranscriber()
    asr.enqueue(Transcript((Word("guessed", 0.1, 0.4),), 2.0))
    live = LiveTranscriber(asr)
    audio = Recording(quiet(2.0))
    live.submit(Piece(3.0, audio, PieceKind.GUESS))
    wait_until(lambda: live.early_done == 1)
    live.submit(Piece(3.0, audio, PieceKind.LAST))
    result = live.result(6.0)
    assert [(w.text, w.start_s) for w in result.words] == [("guessed", 3.1)]
    assert len(asr.calls) == 1 and live.guesses_used == 1 and live.pieces == 1


def test_a_wrong_guess_is_dropped() -> None:
    asr = FakeTranscriber()
    asr.enqueue(Transcript((Word("half", 0.1, 0.4),), 2.0))
    asr.enqueue(Transcript((Word("whole", 0.1, 0.4), Word("sentence", 2.5, 2.9)), 5.0))
    live = LiveTranscriber(asr)
    live.submit(Piece(0.0, Recording(quiet(2.0)), PieceKind.GUESS))
    wait_until(lambda: live.early_done == 1)  # the worker was idle, so it took the guess
    live.submit(Piece(0.0, Recording(quiet(5.0)), PieceKind.LAST))
    assert [w.text for w in live.result(5.0).words] == ["whole", "sentence"]
    assert len(asr.calls) == 2 and live.guesses_used == 0


def test_a_short_last_sentence_is_transcribed_during_the_closing_silence_not_after_it(tmp_path: Path) -> None:
    asr = FakeTranscriber()
    asr.enqueue(Transcript((Word("thanks", 0.3, 0.8),), 3.6))
    live = LiveTranscriber(asr)
    with WavAppender(tmp_path / "turn.wav") as wav:
        capture = Capture(wav, Endpointer(EndpointOptions()), loud, live.submit, ListView())
        # A draft (at a short pause) and a guess (in the long pause) go out; whichever the worker takes
        # holds all the speech, so the other is dropped, and the last piece needs no pass of its own.
        assert capture.feed(quiet(0.5) + tone(3.0) + quiet(2.0)) is None
        wait_until(lambda: live.early_done == 1)
        assert capture.feed(quiet(2.0)) is EndReason.SILENCE
    result = live.result(capture.take().recording.duration_s)
    assert [w.text for w in result.words] == ["thanks"]
    assert len(asr.calls) == 1 and live.guesses_used + live.drafts_used == 1
