"""Whisper base against small on the same recordings: word error, STAR accuracy, speed, and live keeping up.

    .venv/bin/python scripts/compare_models.py                      # base and small, ~10 min per model
    .venv/bin/python scripts/compare_models.py --models base --star-limit 4

For each bundled model (mockint.model.BUNDLED) that loads, on this machine (default ctranslate2 threads):
- word error against the known text of real speech: jfk.flac (11 s) and the English first 29.6 s of
  multilingual.mp3 (the MIT licence read aloud; the rest is German), both from ../shared/audio-samples;
- word error on espeak-ng answers: the shared synthetic interview answer (123 s) and the STAR answers that
  eval_star.py speaks (the first --star-limit of star_dev.json, at 140 and 175 words per minute);
- STAR word accuracy from eval_star.py on those answers;
- real-time factor of whole-file transcription (compute seconds per audio second);
- live: the synthetic answer replayed at real-time pace through recorder.Capture and the live transcriber
  (as bench_latency.py --via frames, ended by silence): compute per audio second and how long after the
  end the transcript was complete (it keeps up if that stays near zero).
A model that does not load is listed with the reason. Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_latency  # noqa: E402  (scripts/ is on sys.path)
import eval_star  # noqa: E402
from wordedits import word_edits  # noqa: E402

from mockint.asr import WhisperTranscriber  # noqa: E402
from mockint.audio import SAMPLE_RATE_HZ, Recording, load_audio  # noqa: E402
from mockint.errors import ModelNotAvailable  # noqa: E402
from mockint.live import LIVE_ASR  # noqa: E402
from mockint.model import BUNDLED  # noqa: E402

SAMPLES = bench_latency.SAMPLES
MIT_TEXT = (
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated "
    "documentation files to deal in the Software without restriction, including without limitation "
    "the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and "
    "to permit persons to whom the Software is furnished to do so, subject to the following conditions: The above "
    "copyright notice and this permission notice shall be included in all copies or substantial portions of the Software."
)
MIT_END_S = 29.6  # the English part of multilingual.mp3 ends here, in a pause


@dataclass(frozen=True, slots=True)
class Figures:
    model: str
    real_wer: float
    real_words: int
    espeak_wer: float
    espeak_words: int
    star_accuracy: float
    star_runs: int
    rtf: float
    live_compute_per_s: float
    live_ready_s: float


class Counter:
    """Word edits against reference words, and compute time against audio time."""

    def __init__(self) -> None:
        self.edits = self.words = 0
        self.compute_s = self.audio_s = 0.0

    def add(self, reference: str, hypothesis: str) -> None:
        ref = bench_latency.words_of(reference)
        self.edits += word_edits(ref, bench_latency.words_of(hypothesis))
        self.words += len(ref)

    @property
    def wer(self) -> float:
        return self.edits / max(self.words, 1)


def transcribe_timed(asr: WhisperTranscriber, recording: Recording, speed: Counter) -> str:
    t0 = time.monotonic()
    text = asr.transcribe(recording).text
    speed.compute_s += time.monotonic() - t0
    speed.audio_s += recording.duration_s
    return text


def star_figures(name: str, limit: int, cache: Path, espeak: Counter) -> tuple[float, int]:
    """eval_star.py on the first `limit` dev answers; its cached transcripts give the word error too."""
    report = eval_star.main([str(ROOT / "scripts" / "data" / "star_dev.json"), "--limit", str(limit), "--model", name,
                             "--cache", str(cache)])  # fmt: skip
    for path in sorted(cache.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        said = " ".join(s["text"] for s in data["sentences"])
        heard = " ".join(w["text"] for w in data["transcript"]["words"])
        espeak.add(said, heard)
    figures = report.figures()
    return float(figures["word_accuracy"]), int(figures["runs"])


def live_figures(name: str, whole: WhisperTranscriber, tmp: Path) -> tuple[float, float]:
    """(live compute per audio second, transcript complete this long after the end) on the synthetic answer."""
    live_asr = bench_latency.TimedTranscriber(WhisperTranscriber(name, LIVE_ASR))
    wav = tmp / "answer-in.wav"
    audio = bench_latency.build_answer([SAMPLES / "synthetic_interview_answer.wav"], 1.0, 5.5, wav)
    args = argparse.Namespace(silence_s=3.5, enter_after_s=0.5, via="frames", pieces=False)
    run = bench_latency.play_turn("answer", "silence", audio, wav, args, live_asr, whole, tmp)
    return run.compute_s / run.duration_s, run.live_transcript_s


def measure(name: str, star_limit: int) -> Figures | str:
    """The figures for one model, or why it could not be measured."""
    try:
        asr = WhisperTranscriber(name)
    except ModelNotAvailable as e:
        return str(e)
    real, espeak, speed = Counter(), Counter(), Counter()
    jfk = load_audio(SAMPLES / "jfk.flac")
    mit = load_audio(SAMPLES / "multilingual.mp3")
    mit = Recording(mit.pcm[: int(MIT_END_S * SAMPLE_RATE_HZ) * 2], mit.sample_rate_hz)
    for recording, text in ((jfk, bench_latency.JFK_TEXT), (mit, MIT_TEXT)):
        real.add(text, transcribe_timed(asr, recording, speed))
    synthetic = load_audio(SAMPLES / "synthetic_interview_answer.wav")
    espeak.add((SAMPLES / "synthetic_interview_answer.txt").read_text(), transcribe_timed(asr, synthetic, speed))
    with tempfile.TemporaryDirectory(prefix=f"compare-{name}-") as tmp_name:
        tmp = Path(tmp_name)
        star_accuracy, star_runs = star_figures(name, star_limit, tmp / "star", espeak)
        live_per_s, live_ready_s = live_figures(name, asr, tmp)
    return Figures(name, real.wer, real.words, espeak.wer, espeak.words, star_accuracy, star_runs,
                   speed.compute_s / speed.audio_s, live_per_s, live_ready_s)  # fmt: skip


def table(rows: dict[str, Figures | str]) -> str:
    lines = [
        "| model | word error, real speech | word error, espeak-ng answers | STAR word accuracy | real-time factor "
        "(whole file) | live: compute per audio second / transcript ready after the end |",
        "|---|---|---|---|---|---|",
    ]
    for name, f in rows.items():
        if isinstance(f, str):
            lines.append(f"| {name} | not measurable: {f} | | | | |")
            continue
        lines.append(f"| {name} | {f.real_wer:.1%} ({f.real_words} words) | {f.espeak_wer:.1%} ({f.espeak_words} words) | "
                     f"{f.star_accuracy:.1%} ({f.star_runs} runs) | {f.rtf:.3f} | {f.live_compute_per_s:.2f} / "
                     f"{f.live_ready_s:.2f} s |")  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default=",".join(BUNDLED), help="comma-separated bundled model names")
    ap.add_argument("--star-limit", type=int, default=10, help="STAR dev answers to speak (each at two rates)")
    args = ap.parse_args()
    load_before = os.getloadavg()[0]
    rows = {name: measure(name, args.star_limit) for name in args.models.split(",")}
    print(f"\n{os.cpu_count()} cpus, load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
