"""How soon after a spoken turn ends is the debrief ready? Live (piece by piece) vs whole file, one run.

Replays a recorded answer and a probe answer in real time through the recorder, each ended once by the
end-of-answer silence and once by Enter (pressed --enter-after-s after the last word): by default through
the virtual microphone and the real SoundDeviceMic (PortAudio -> ALSA -> PulseAudio; start it first with
`eval "$(bash scripts/virtual-audio.sh start)"`), or with --via frames through recorder.Capture, the same
VAD / endpointer / WAV / piece path fed at real-time pace without a device. Pieces and drafts are
transcribed in the background while the turn plays, as in `mockint practice` (live.LIVE_ASR). When the turn
ends it measures how long the rest of the live transcript and the debrief take, then transcribes the same
recording as a whole file (the default AsrOptions, as `mockint analyze` does) and prints both times and the
word error rate between the two transcripts. --load N keeps N cores busy (`yes`) for the whole run.

    .venv/bin/python scripts/bench_latency.py            # ~3 min answer + ~40 s probe, both endings (~10 min)
    .venv/bin/python scripts/bench_latency.py --load 1   # the same with one core kept busy
    .venv/bin/python scripts/bench_latency.py --answer-wav my_answer.wav --probe-wav my_probe.wav --via frames
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT.parent / "shared" / "audio-samples"
DEFAULT_ANSWER = [SAMPLES / "synthetic_interview_answer.wav", SAMPLES / "silero_test_lecture.wav"]
# The probe answer: a real voice (jfk.flac, 11 s) and then a spoken reply (espeak-ng). multilingual.mp3 is
# not used: part of it is read in German.
JFK_TEXT = "And so, my fellow Americans: ask not what your country can do for you, ask what you can do for your country."
PROBE_TEXT = (
    "If I did it again, I would bring the other team in from the first day.",
    "We lost almost two weeks because their service owners only heard about the change in review.",
    "Now I write a one page plan and send it to every team the change touches, before any code is written.",
    "On the next migration that caught a conflict with the billing release early, and we shipped on the date we promised.",
)

from wordedits import wer  # noqa: E402  (scripts/ is on sys.path when a script runs)

from mockint.asr import WhisperTranscriber  # noqa: E402
from mockint.audio import SAMPLE_RATE_HZ, Recording, WavAppender, load_audio, write_wav  # noqa: E402
from mockint.endpointer import Endpointer, EndpointOptions, EndReason  # noqa: E402
from mockint.live import LIVE_ASR, LiveTranscriber  # noqa: E402
from mockint.recorder import Capture, NullView, SoundDeviceMic, Take  # noqa: E402
from mockint.transcript import Transcript  # noqa: E402


class TimedTranscriber:
    """Wraps a Transcriber and keeps (audio seconds, compute seconds, finished at) for each call."""

    def __init__(self, inner: WhisperTranscriber) -> None:
        self.inner = inner
        self.calls: list[tuple[float, float, float]] = []
        self.texts: list[str] = []
        self._lock = threading.Lock()

    def without_language(self) -> TimedTranscriber:
        """As practice's live transcriber does once a closed piece has told the language; the calls are
        kept in the same lists."""
        twin = copy.copy(self)
        twin.inner = self.inner.without_language()
        return twin

    def transcribe(self, recording: Recording) -> Transcript:
        t0 = time.monotonic()
        result = self.inner.transcribe(recording)
        t1 = time.monotonic()
        with self._lock:
            self.calls.append((recording.duration_s, t1 - t0, t1))
            self.texts.append(result.text)
        return result


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.casefold().replace("-", " "))


def spoken(sentences: tuple[str, ...], out: Path) -> list[Path]:
    """Each sentence spoken by espeak-ng into its own WAV beside `out`."""
    paths = []
    for i, text in enumerate(sentences):
        path = out.with_name(f"{out.stem}-{i}.wav")
        subprocess.run(["espeak-ng", "-s", "160", "-w", str(path), text], check=True)
        paths.append(path)
    return paths


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
    """Play `wav` into the virtual microphone while SoundDeviceMic records it."""
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


@dataclass(frozen=True, slots=True)
class Run:
    """One turn played and ended one way, with its live and whole-file figures."""

    turn: str
    ending: str
    duration_s: float
    live_transcript_s: float  # turn end -> live transcript complete
    live_debrief_s: float  # turn end -> debrief rendered from it
    whole_transcript_s: float
    whole_debrief_s: float
    wait_s: float  # last word -> turn end (the silence waited for, or the delay before Enter)
    wer: float  # live against whole file
    wer_no_fillers: float  # the same with filled pauses (um, uh) left out of both
    pieces: int
    drafts_used: int
    guesses_used: int
    calls: int
    compute_s: float
    live_words: tuple[str, ...]
    whole_words: tuple[str, ...]


def play_turn(name: str, ending: str, audio: Recording, wav: Path, args: argparse.Namespace,
              live_asr: TimedTranscriber, whole_asr: WhisperTranscriber, tmp: Path) -> Run:
    """Record one turn through the chosen path, end it by silence or Enter, and time both transcripts."""
    options = EndpointOptions(silence_s=args.silence_s, max_s=900.0)
    speech_end_s = last_speech_s(audio, options, 2)
    live = LiveTranscriber(live_asr)
    started: list[float] = []
    enter = EnterAt(started, speech_end_s + args.enter_after_s if ending == "enter" else None)
    out = tmp / f"{name}-{ending}.wav"
    first_call = len(live_asr.calls)
    take = (record_via_mic(wav, out, options, live, started, enter) if args.via == "mic"
            else record_via_frames(audio, out, options, live, started, enter))  # fmt: skip
    turn_end = time.monotonic()
    live_transcript = live.result(take.recording.duration_s)
    live_done = time.monotonic()
    debrief_text(live_transcript)
    live_debrief = time.monotonic()
    calls = live_asr.calls[first_call:]
    if args.pieces:
        for (a, c, done), text in zip(calls, live_asr.texts[first_call:], strict=True):
            print(f"  piece {a:5.1f} s  compute {c:5.2f} s  done {done - turn_end:+7.2f} s from turn end  {text[:60]!r}")
    time.sleep(1.0)  # let a draft still in progress finish, so it does not slow the whole-file pass
    whole_start = time.monotonic()
    whole = whole_asr.transcribe(take.recording)
    whole_done = time.monotonic()
    debrief_text(whole)
    whole_debrief = time.monotonic()
    live_words, whole_words = words_of(live_transcript.text), words_of(whole.text)
    if args.pieces:
        print_differences(whole_words, live_words)
    return Run(name, f"{take.end_reason}", take.recording.duration_s, live_done - turn_end, live_debrief - turn_end,
               whole_done - whole_start, whole_debrief - whole_start, turn_end - (started[0] + speech_end_s),
               wer(whole_words, live_words), wer(_plain(whole_words), _plain(live_words)), live.pieces, live.drafts_used, live.guesses_used, len(calls),
               sum(c for _, c, _ in calls), tuple(live_words), tuple(whole_words))  # fmt: skip


def _plain(words: list[str]) -> list[str]:
    """The words without filled pauses: Whisper keeps them only where it was given the filler prompt, and
    faster-whisper gives a whole file that prompt for its first 30 s window only (it drops an
    initial_prompt with the rest of the previous text when condition_on_previous_text is off)."""
    from mockint.fillers import is_filled_pause

    return [w for w in words if not is_filled_pause(w)]


def print_differences(whole: list[str], live: list[str]) -> None:
    """Where the live transcript differs from the whole-file one, with a word of context."""
    import difflib

    for op, a, b, c, d in difflib.SequenceMatcher(a=whole, b=live, autojunk=False).get_opcodes():
        if op != "equal":
            print(f"  {op:8} whole {' '.join(whole[max(a - 1, 0):b + 1])!r} -> live {' '.join(live[max(c - 1, 0):d + 1])!r}")


def report(runs: list[Run]) -> None:
    print("\n| turn | ended by | wait for the end | live: turn end → transcript / debrief | whole file: transcript / "
          "debrief | WER live vs whole file (without um/uh) | pieces (from a draft / guess) | transcriptions, compute |")
    print("|---|---|---|---|---|---|---|---|")
    for r in runs:
        print(f"| {r.turn} ({r.duration_s:.1f} s) | {r.ending} | {r.wait_s:.2f} s | **{r.live_transcript_s:.2f} s / "
              f"{r.live_debrief_s:.2f} s** | {r.whole_transcript_s:.2f} s / {r.whole_debrief_s:.2f} s | {r.wer:.1%} "
              f"({r.wer_no_fillers:.1%}) | "
              f"{r.pieces} ({r.drafts_used} / {r.guesses_used}) | {r.calls}, {r.compute_s:.1f} s |")  # fmt: skip


def reference_words(turn: str, args: argparse.Namespace) -> list[str]:
    """What was said, where it is known: the first answer sample's text, or the whole default probe."""
    if turn == "answer" and not args.answer_wav:
        return words_of((SAMPLES / "synthetic_interview_answer.txt").read_text())
    if turn == "probe" and not args.probe_wav:
        return words_of(" ".join((JFK_TEXT, *PROBE_TEXT)))
    return []


def busy_cores(n: int) -> list[subprocess.Popen[bytes]]:
    """n processes that each keep one core busy (`yes > /dev/null`) until they are ended."""
    return [subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) for _ in range(n)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--answer-wav", type=Path, action="append", help="answer audio (repeat to join files); default: two shared samples, ~3 min")
    ap.add_argument("--probe-wav", type=Path, action="append", help="probe answer audio (repeat to join); default: jfk + a spoken reply, ~40 s")
    ap.add_argument("--via", choices=["mic", "frames"], default=None, help="mic (virtual mic, default when PULSE_SERVER is set) or frames")
    ap.add_argument("--model", default=None, help="speech model (default: the bundled base)")
    ap.add_argument("--cpu-threads", type=int, default=LIVE_ASR.cpu_threads, help="live ctranslate2 threads per call")
    ap.add_argument("--workers", type=int, default=LIVE_ASR.num_workers, help="live calls that may run at once")
    ap.add_argument("--silence-s", type=float, default=EndpointOptions().silence_s)
    ap.add_argument("--enter-after-s", type=float, default=0.5, help="Enter this long after the last word")
    ap.add_argument("--endings", default="silence,enter", help="comma-separated: silence, enter")
    ap.add_argument("--turns", default="answer,probe", help="comma-separated: answer, probe")
    ap.add_argument("--load", type=int, default=0, help="keep this many cores busy during the run")
    ap.add_argument("--pieces", action="store_true", help="list each transcription: length, compute time, when done, text")
    args = ap.parse_args()
    args.via = args.via or ("mic" if os.environ.get("PULSE_SERVER") else "frames")

    hogs = busy_cores(args.load)
    try:
        return _run(args)
    finally:
        for hog in hogs:
            hog.terminate()
            hog.wait()


def _run(args: argparse.Namespace) -> int:
    load_before = os.getloadavg()
    live_options = replace(LIVE_ASR, cpu_threads=args.cpu_threads, num_workers=args.workers)
    live_asr = TimedTranscriber(WhisperTranscriber(args.model, live_options))
    whole_asr = WhisperTranscriber(args.model)
    print(f"via {args.via}; model {whole_asr.model_name}; live: {live_options.cpu_threads} thread(s) per call, "
          f"{live_options.num_workers} workers; whole file: default threads; {os.cpu_count()} cpus, "
          f"{args.load} kept busy; load average {load_before[0]:.2f}", flush=True)  # fmt: skip
    runs: list[Run] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for name in args.turns.split(","):
            wavs = (args.answer_wav or DEFAULT_ANSWER) if name == "answer" else \
                (args.probe_wav or [SAMPLES / "jfk.flac", *spoken(PROBE_TEXT, tmp / "probe.wav")])
            audio = build_answer(wavs, gap_s=1.0, tail_s=args.silence_s + 2.0, out=tmp / f"{name}-in.wav")
            for ending in args.endings.split(","):
                run = play_turn(name, ending, audio, tmp / f"{name}-in.wav", args, live_asr, whole_asr, tmp)
                runs.append(run)
                print(f"{name} ended by {run.ending}: debrief {run.live_debrief_s:.2f} s after the end "
                      f"(whole file {run.whole_debrief_s:.2f} s); WER live vs whole {run.wer:.1%}; load "
                      f"{os.getloadavg()[0]:.2f}", flush=True)  # fmt: skip
                reference = reference_words(name, args)
                if reference:
                    n = len(reference)  # the answer's reference covers its first sample: its first n words or so
                    print(f"  WER against the reference text ({n} words): live "
                          f"{wer(reference, list(run.live_words[:n])):.1%}, whole file "
                          f"{wer(reference, list(run.whole_words[:n])):.1%}")  # fmt: skip
    report(runs)
    load_after = os.getloadavg()
    print(f"\nload average before {load_before[0]:.2f}, after {load_after[0]:.2f} (machine shared with other jobs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
