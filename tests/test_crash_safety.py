"""A recording survives its process: SIGKILL mid-answer loses under a second; Ctrl-C saves a partial session.

The first test needs no device (the recorder's frame path at real-time pace); the others run
`mockint practice` on the virtual microphone (skipped without it unless MOCKINT_REQUIRE_AUDIO=1).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from array import array
from pathlib import Path

from audio_helpers import STAR_ANSWER, MicFeeder, mockint_cmd, need_espeak, need_virtual_audio, synthesise, wait_until

from mockint import store
from mockint.audio import SAMPLE_RATE_HZ, Recording, read_wav
from mockint.session import to_dict

# Feeds a WAV through recorder.Capture into a WavAppender at real-time pace, printing how much it has fed.
RECORDING_CHILD = r"""
import sys, time
from pathlib import Path
from mockint.audio import WavAppender, read_wav
from mockint.recorder import Capture, NullView
from mockint.endpointer import Endpointer, EndpointOptions

source = read_wav(Path(sys.argv[1]))
block = 480 * 2  # 30 ms, as sounddevice delivers it
with WavAppender(Path(sys.argv[2])) as wav:
    capture = Capture(wav, Endpointer(EndpointOptions(max_s=600, silence_s=600, thinking_s=600)),
                      lambda frame: True, lambda piece: None, NullView())
    t0 = time.monotonic()
    for i in range(0, len(source.pcm), block):
        capture.feed(source.pcm[i:i + block])
        fed_s = (i + block) / (2 * source.sample_rate_hz)
        print(f"{fed_s:.3f}", flush=True)
        time.sleep(max(0.0, t0 + fed_s - time.monotonic()))
"""


def _samples(recording: Recording) -> array[int]:
    return array("h", recording.pcm)


def _correlation(a: array[int], b: array[int]) -> float:
    n = min(len(a), len(b))
    dot = sum(x * y for x, y in zip(a[:n], b[:n], strict=True))
    norm = (sum(x * x for x in a[:n]) * sum(y * y for y in b[:n])) ** 0.5
    return dot / norm if norm else 0.0


def test_sigkill_while_recording_loses_under_a_second_of_audio(tmp_path: Path) -> None:
    need_espeak()
    source = synthesise([text for _, text in STAR_ANSWER[:2]], tmp_path / "source.wav", lead_s=0.2, tail_s=0.5)
    out = tmp_path / "answer.wav"
    child = subprocess.Popen(
        [sys.executable, "-c", RECORDING_CHILD, str(tmp_path / "source.wav"), str(out)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout is not None
    fed_s = 0.0
    for line in child.stdout:
        fed_s = float(line)
        if fed_s >= 4.0:
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert fed_s < source.duration_s - 1.0, "the child finished before it was killed"

    recovered = read_wav(out)  # the header's sizes are stale: read_wav repairs them
    assert fed_s - 1.0 < recovered.duration_s <= fed_s + 0.1
    assert source.pcm.startswith(recovered.pcm)  # nothing garbled, just cut


def _practice(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[str], MicFeeder, Recording, Path]:
    need_virtual_audio()
    fed = synthesise([text for _, text in STAR_ANSWER], tmp_path / "spoken.wav", lead_s=0.5, tail_s=1.0)
    recordings = tmp_path / "recordings"
    # Long silence and thinking limits: the answer ends only by the signal the test sends, however slow the
    # machine is to start feeding it.
    proc = subprocess.Popen(
        mockint_cmd("practice", "--question", "refused-to-ship", "--no-voice", "--probes", "0", "--json",
                    "--silence-s", "60", "--thinking-s", "60", *extra),
        env={**os.environ, "MOCKINT_RECORDINGS": str(recordings)},
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    return proc, MicFeeder(tmp_path / "spoken.wav", pid=proc.pid), fed, recordings


def _recorded_s(recordings: Path) -> float:
    """Seconds of audio in the answer WAV being written (0 before it exists): what the recorder has heard."""
    wavs = list(recordings.glob("*/answer.wav"))
    return max(0, wavs[0].stat().st_size - 44) / (2 * SAMPLE_RATE_HZ) if wavs else 0.0


def _recorded_matches_fed(recorded: Recording, fed: Recording) -> None:
    """The virtual mic is bit-exact: past the leading silence, the recording is the fed speech."""
    rec, src = _samples(recorded), _samples(fed)
    first = next(i for i, x in enumerate(rec) if abs(x) > 200)
    first_src = next(i for i, x in enumerate(src) if abs(x) > 200)
    n = min(len(rec) - first, 3 * SAMPLE_RATE_HZ)
    assert _correlation(rec[first : first + n], src[first_src : first_src + n]) > 0.95


def test_sigkill_during_practice_leaves_the_answer_wav_with_all_but_a_second(tmp_path: Path) -> None:
    proc, feeder, fed, recordings = _practice(tmp_path)
    try:
        feeder.wait_until_feeding(timeout_s=90)
        assert feeder.recording_at is not None
        wait_until(lambda: _recorded_s(recordings) >= 8.0 or proc.poll() is not None, 60, "8 s of the answer recorded")
        assert proc.poll() is None, proc.communicate()[1]
        written_s = _recorded_s(recordings)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        feeder.stop()
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    folders = list(recordings.iterdir())
    assert len(folders) == 1 and not (folders[0] / "session.json").exists()
    recorded = read_wav(folders[0] / "answer.wav")
    # What was written to the WAV before the kill, less at most the half second its header's sizes lag behind.
    assert written_s - 1.0 < recorded.duration_s < written_s + 1.0, (recorded.duration_s, written_s)
    _recorded_matches_fed(recorded, fed)


def test_ctrl_c_during_practice_saves_the_partial_session_prints_its_path_and_exits_130(tmp_path: Path) -> None:
    proc, feeder, fed, recordings = _practice(tmp_path)
    try:
        feeder.wait_until_feeding(timeout_s=90)
        wait_until(lambda: _recorded_s(recordings) >= 20.0 or proc.poll() is not None, 90, "20 s of the answer recorded")
        assert proc.poll() is None, proc.communicate()[1]
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        feeder.stop()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    folder = next(recordings.iterdir())
    assert f"partial session is saved in {folder}" in " ".join(stderr.split())
    saved = store.load(folder)
    assert not saved.is_complete and saved.scores == ()
    answer = saved.answer
    assert answer is not None and answer.audio_file == "answer.wav"
    recorded = read_wav(folder / "answer.wav")
    assert recorded.duration_s >= 20.0
    _recorded_matches_fed(recorded, fed)
    # Pieces closed before Ctrl-C were already transcribed: the first sentence is in the partial transcript.
    # (Whisper writes "payments team" / "payment steam", "checkout" / "check out" from run to run.)
    heard = answer.transcript.text.casefold()
    assert "payment" in heard or "check" in heard, heard
    assert json.dumps(to_dict(saved))  # the partial session is a normal, loadable session
