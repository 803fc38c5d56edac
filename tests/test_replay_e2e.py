"""`mockint replay` through the real PortAudio -> ALSA -> PulseAudio stack: the answer is heard on the virtual
speaker while the transcript follows in real time. Skipped without the virtual devices (see audio_helpers)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile
from audio_helpers import STAR_ANSWER, mockint_cmd, need_virtual_audio, stream_running, synthesise, wait_until
from sessiongen import timed_transcript

from mockint.bank import Level
from mockint.session import Session, Turn, TurnKind
from mockint.store import save

pytestmark = [pytest.mark.audio, pytest.mark.slow]


def test_replay_plays_the_answer_on_the_speaker_in_real_time_then_shows_the_debrief(tmp_path: Path) -> None:
    need_virtual_audio()
    folder = tmp_path / "recordings" / "20261125-120000-disagree-and-commit"
    folder.mkdir(parents=True)
    text = " ".join(line for _, line in STAR_ANSWER[:2])
    spoken = synthesise([text], folder / "answer.wav", lead_s=0.5, tail_s=0.5)
    transcript = timed_transcript(text, words_per_s=len(text.split()) / spoken.duration_s, lead_s=0.5)
    session = Session(
        "20261125-120000-disagree-and-commit", "2026-11-25T12:00:00+00:00", "disagree-and-commit", Level.SDE2, None,
        "base", (Turn(TurnKind.ANSWER, "Tell me about a disagreement.", "answer.wav", transcript),), (),
    )  # fmt: skip
    save(session, folder)
    captured = tmp_path / "speaker.wav"
    cap = subprocess.Popen(["parec", "-d", os.environ["VIRTUAL_SPEAKER_MONITOR"], "--rate=16000", "--channels=1",
                            "--latency-msec=100", "--file-format=wav", str(captured)])  # fmt: skip
    try:
        capture_at = wait_until(lambda: stream_running(cap.pid), 30, "parec to record the speaker")
        env = {**os.environ, "MOCKINT_RECORDINGS": str(folder.parent), "COLUMNS": "100"}
        started = time.monotonic()
        proc = subprocess.run(mockint_cmd("replay", "last", "--no-voice"), env=env, capture_output=True, text=True,
                              timeout=120, stdin=subprocess.DEVNULL)  # fmt: skip
        took_s = time.monotonic() - started
        # The answer's tail is in the capture once parec has written the time that has passed (a 44-byte header,
        # then 16 kHz 16-bit mono).
        wanted_bytes = 44 + int((time.monotonic() - capture_at + 0.3) * 16_000) * 2
        wait_until(lambda: captured.exists() and captured.stat().st_size >= wanted_bytes, 30, "the capture to catch up")
    finally:
        cap.send_signal(signal.SIGINT)
        cap.wait(timeout=10)
    assert proc.returncode == 0, proc.stderr
    assert took_s >= spoken.duration_s  # the transcript followed the audio in real time
    assert "Tell me about a disagreement." in proc.stdout  # the question, printed (--no-voice)
    assert "Bar Raiser thinks" in proc.stdout
    samples, rate = soundfile.read(captured)
    windows = [np.std(samples[i : i + rate // 10]) for i in range(0, len(samples) - rate // 10, rate // 10)]
    loud_s = sum(1 for w in windows if w > 0.01) / 10
    assert loud_s > 0.5 * spoken.duration_s, f"heard {loud_s:.1f} s of a {spoken.duration_s:.1f} s answer"
