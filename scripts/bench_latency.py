"""How soon after a long spoken answer is the debrief ready? Live (piece by piece) vs whole file, same run.

Replays a recorded answer in real time through the recorder: by default through the virtual microphone and
the real SoundDeviceMic (PortAudio -> ALSA -> PulseAudio; start it first with
`eval "$(bash scripts/virtual-audio.sh start)"`), or with --via frames through recorder.Capture, the same
VAD / endpointer / WAV / piece path fed at real-time pace without a device. Pieces are transcribed in the
background while the answer plays. When the turn ends (after the end-of-answer silence) it measures how
long the rest of the live transcript and the debrief take, then transcribes the whole recording after the
fact with the same model, and prints both times and the word error rate between the two transcripts.

    .venv/bin/python scripts/bench_latency.py                      # ~3 min answer (two shared samples)
    .venv/bin/python scripts/bench_latency.py --wav my_answer.wav --via frames
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT.parent / "shared" / "audio-samples"
DEFAULT_WAVS = [SAMPLES / "synthetic_interview_answer.wav", SAMPLES / "silero_test_lecture.wav"]

from wordedits import wer  # noqa: E402  (scripts/ is on sys.path when a script runs)

from mockint.asr import AsrOptions, WhisperTranscriber  # noqa: E402
from mockint.audio import SAMPLE_RATE_HZ, Recording, WavAppender, load_audio, write_wav  # noqa: E402
from mockint.endpointer import Endpointer, EndpointOptions, EndReason  # noqa: E402
from mockint.live import LiveTranscriber  # noqa: E402
from mockint.recorder import Capture, NullView, SoundDeviceMic, Take  # noqa: E402
from mockint.transcript import Transcript  # noqa: E402


class TimedTranscriber:
    """Wraps a Transcriber and keeps (audio seconds, compute seconds, finished at) for each call."""

    def __init__(self, inner: WhisperTranscriber) -> None:
        self.inner = inner
        self.calls: list[tuple[float, float, float]] = []
        self.texts: list[str] = []

    def transcribe(self, recording: Recording) -> Transcript:
        t0 = time.monotonic()
        result = self.inner.transcribe(recording)
        t1 = time.monotonic()
        self.calls.append((recording.duration_s, t1 - t0, t1))
        self.texts.append(result.text)
        return result


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.casefold().replace("-", " "))


def build_answer(paths: list[Path], gap_s: float, tail_s: float, out: Path) -> Recording:
    pcm = b""
    for i, p in enumerate(paths):
        pcm += load_audio(p).pcm + (b"\x00\x00" * int(gap_s * SAMPLE_RATE_HZ) if i < len(paths) - 1 else b"")
    recording = Recording(pcm + b"\x00\x00" * int(tail_s * SAMPLE_RATE_HZ))
    write_wav(out, recording)
    return recording


def last_speech_s(recording: Recording, options: EndpointOptions, aggressiveness: int) -> float:
    """When the last speech frame ends, by the same VAD the recorder uses."""
    import webrtcvad

    vad = webrtcvad.Vad(aggressiveness)
    frame = SAMPLE_RATE_HZ * options.frame_ms // 1000 * 2
    last = 0
    for i in range(0, len(recording.pcm) - frame + 1, frame):
        if vad.is_speech(recording.pcm[i : i + frame], SAMPLE_RATE_HZ):
            last = i + frame
    return last / (2 * SAMPLE_RATE_HZ)


def _mic_is_recording() -> bool:
    sources = subprocess.check_output(["pactl", "list", "short", "sources"], text=True).splitlines()
    vmic = next(line.split("\t")[0] for line in sources if line.split("\t")[1] == "vmic")
    blocks = subprocess.check_output(["pactl", "list", "source-outputs"], text=True).split("Source Output #")[1:]
    return any(f"Source: {vmic}\n" in b and "Corked: no" in b for b in blocks)


class EnterAt:
    """Presses Enter (for the recorder's stop signal) `after_s` seconds after the feed started."""

    def __init__(self, started: list[float], after_s: float | None) -> None:
        self._started, self._after_s = started, after_s

    def clear(self) -> None:
        pass

    def is_set(self) -> bool:
        return self._after_s is not None and bool(self._started) and time.monotonic() >= self._started[0] + self._after_s


def record_via_mic(
    wav: Path, out: Path, options: EndpointOptions, live: LiveTranscriber, started: list[float], enter: EnterAt
) -> Take:
    def feed() -> None:
        while not _mic_is_recording():
            time.sleep(0.02)
        time.sleep(0.1)
        started.append(time.monotonic())
        subprocess.run(["paplay", "--device", os.environ.get("VIRTUAL_MIC_FEED", "vmic_feed"), str(wav)], check=True)

    threading.Thread(target=feed, daemon=True).start()
    return SoundDeviceMic(options, stop=enter).record(out, max_s=options.max_s, on_piece=live.submit)


def record_via_frames(
    answer: Recording, out: Path, options: EndpointOptions, live: LiveTranscriber, started: list[float], enter: EnterAt
) -> Take:
    import webrtcvad

    vad = webrtcvad.Vad(2)
    block = SAMPLE_RATE_HZ * options.frame_ms // 1000 * 2
    with WavAppender(out) as wav:
        capture = Capture(wav, Endpointer(options), lambda f: vad.is_speech(f, SAMPLE_RATE_HZ), live.submit, NullView())
        t0 = time.monotonic()
        started.append(t0)
        for i in range(0, len(answer.pcm), block):
            if capture.feed(answer.pcm[i : i + block]):
                break
            if enter.is_set():
                capture.stop(EndReason.ENTER)
                break
            time.sleep(max(0.0, t0 + (i + block) / (2 * SAMPLE_RATE_HZ) - time.monotonic()))
    return capture.take()


def debrief_text(transcript: Transcript) -> str:
    from rich.console import Console

    from mockint import debrief
    from mockint.analysis import analyse
    from mockint.bank import Level, find_question, load_bank
    from mockint.paths import bank_dir
    from mockint.scoring import score

    question = find_question(load_bank(bank_dir()), "wrong-call-recovery")
    card = score(analyse(transcript, question, Level.SDE2), question)
    console = Console(file=io.StringIO(), width=100)
    console.print(debrief.render(card, question))
    return console.file.getvalue()  # type: ignore[attr-defined]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wav", type=Path, action="append", help="answer audio (repeat to join files); default: two shared samples, ~3 min")
    ap.add_argument("--via", choices=["mic", "frames"], default=None, help="mic (virtual mic, default when PULSE_SERVER is set) or frames")
    ap.add_argument("--model", default=None, help="speech model (default: the bundled base)")
    ap.add_argument("--cpu-threads", type=int, default=0, help="ctranslate2 threads (0: its default)")
    ap.add_argument("--beam", type=int, default=5)
    ap.add_argument("--silence-s", type=float, default=EndpointOptions().silence_s)
    ap.add_argument("--pieces", action="store_true", help="list each piece: length, compute time, when done, text")
    ap.add_argument("--enter-after-s", type=float, default=None,
                    help="press Enter this long after the last speech instead of waiting for the silence")
    args = ap.parse_args()

    via = args.via or ("mic" if os.environ.get("PULSE_SERVER") else "frames")
    options = EndpointOptions(silence_s=args.silence_s, max_s=900.0)
    load_before = os.getloadavg()
    asr = TimedTranscriber(WhisperTranscriber(args.model, AsrOptions(beam_size=args.beam, cpu_threads=args.cpu_threads)))
    with tempfile.TemporaryDirectory() as tmp:
        answer_wav = Path(tmp) / "answer-in.wav"
        answer = build_answer(args.wav or DEFAULT_WAVS, gap_s=1.0, tail_s=args.silence_s + 2.0, out=answer_wav)
        speech_end_s = last_speech_s(answer, options, 2)
        print(f"answer: {answer.duration_s:.1f} s ({speech_end_s:.1f} s to the last speech), via {via}; "
              f"model {asr.inner.model_name}, beam {args.beam}, cpu_threads {args.cpu_threads or 'default'}; "
              f"{os.cpu_count()} cpus, load average {load_before[0]:.2f} {load_before[1]:.2f}", flush=True)  # fmt: skip

        live = LiveTranscriber(asr)
        started: list[float] = []
        out = Path(tmp) / "answer.wav"
        enter = EnterAt(started, None if args.enter_after_s is None else speech_end_s + args.enter_after_s)
        take = (record_via_mic(answer_wav, out, options, live, started, enter) if via == "mic"
                else record_via_frames(answer, out, options, live, started, enter))  # fmt: skip
        turn_end = time.monotonic()
        live_transcript = live.result(take.recording.duration_s)
        live_done = time.monotonic()
        debrief_text(live_transcript)
        live_debrief = time.monotonic()
        speech_end = started[0] + speech_end_s  # wall time the last word ended, as it was played

        pieces = [(a, c) for a, c, _ in asr.calls]
        if args.pieces:
            for (a, c, done), text in zip(asr.calls, asr.texts, strict=True):
                print(f"  piece {a:5.1f} s  compute {c:5.2f} s  done {done - turn_end:+7.2f} s from turn end  {text[:70]!r}")
        whole_start = time.monotonic()
        whole = asr.inner.transcribe(take.recording)
        whole_done = time.monotonic()
        debrief_text(whole)
        whole_debrief = time.monotonic()
    load_after = os.getloadavg()

    lengths = [a for a, _ in pieces]
    live_words, whole_words = words_of(live_transcript.text), words_of(whole.text)
    guesses = len(pieces) - (live.pieces - live.guesses_used)
    print(f"recorded {take.recording.duration_s:.1f} s, ended by {take.end_reason}; {live.pieces} pieces, "
          f"{guesses} guesses made in long pauses ({live.guesses_used} used as the last piece); "
          f"{len(pieces)} transcriptions "
          f"(min {min(lengths):.1f} s, median {statistics.median(lengths):.1f} s, max {max(lengths):.1f} s); "
          f"piece compute {sum(c for _, c in pieces):.1f} s in total, real-time factor "
          f"{sum(c for _, c in pieces) / max(sum(lengths), 1e-9):.2f}")  # fmt: skip
    print(f"{'':32} {'live (pieces)':>14} {'whole file':>12}")
    print(f"{'turn end -> transcript':32} {live_done - turn_end:13.2f}s {whole_done - whole_start:11.2f}s")
    print(f"{'turn end -> debrief':32} {live_debrief - turn_end:13.2f}s {whole_debrief - whole_start:11.2f}s")
    print(f"{'last word -> debrief':32} {live_debrief - speech_end:13.2f}s "
          f"{whole_debrief - whole_start + turn_end - speech_end:11.2f}s  (includes the wait for the end: "
          f"{turn_end - speech_end:.2f} s)")  # fmt: skip
    print(f"words: live {len(live_words)}, whole file {len(whole_words)}; WER live vs whole file: "
          f"{wer(whole_words, live_words):.1%}")  # fmt: skip
    reference = None
    if not args.wav:
        reference = words_of((SAMPLES / "synthetic_interview_answer.txt").read_text())
        n = len(reference)
        # The first sample has a reference text; compare the words that come from it (the first n or so).
        print(f"WER against the reference text of the first sample ({n} words): live "
              f"{wer(reference, live_words[:n]):.1%}, whole file {wer(reference, whole_words[:n]):.1%}")  # fmt: skip
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (machine shared with other jobs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
