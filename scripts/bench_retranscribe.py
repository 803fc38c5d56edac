"""Re-transcription speed: plain sequential `WhisperModel.transcribe` against mockint's batched path
(`batch.BatchedWhisperTranscriber`, as `mockint rescore --retranscribe` uses it), in the same run, on the
same model files and decoding settings, over the same answers. Prints both times, the ratio, and how
well the two transcripts agree word for word.

    .venv/bin/python scripts/bench_retranscribe.py [--answers 20] [--batch-size 8] [--group 10]

The answers are cut from the English speech in ../shared/audio-samples (a synthetic STAR answer, a lecture,
a news clip, a speech), 20-45 s each. Heavy: about a minute or two of CPU on 2 cores.
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from mockint.asr import AsrOptions
from mockint.audio import Recording, load_audio, to_float32
from mockint.batch import BatchedWhisperTranscriber
from mockint.model import resolve_model
from mockint.transcript import Transcript, Word

SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "audio-samples"
# multilingual.mp3 is left out: it switches language, and with English forced both paths turn the
# non-English part into different nonsense, which says nothing about batching.
SOURCES = (
    "synthetic_interview_answer.wav",
    "silero_test_lecture.wav",
    "voxconverse_aepyx_8k.wav",
    "jfk.flac",
)


def answers(count: int, seed: int = 11) -> list[Recording]:
    """`count` clips of 20-45 s (shorter sources used whole), cycling over the sources."""
    rng = random.Random(seed)
    recordings = [load_audio(SAMPLES / name) for name in SOURCES]
    out = []
    for i in range(count):
        rec = recordings[i % len(recordings)]
        length = rng.uniform(20.0, 45.0)
        if rec.duration_s <= length:
            out.append(rec)
            continue
        start = rng.uniform(0.0, rec.duration_s - length)
        out.append(rec.slice(start, start + length))
    return out


def _norm(text: str) -> list[str]:
    return [w for w in re.sub(r"[^a-z0-9' ]+", " ", text.casefold()).split() if w]


def agreement(a: Transcript, b: Transcript) -> float:
    """Share of words the two transcripts have in common, in order (1.0 = identical words)."""
    wa, wb = _norm(a.text), _norm(b.text)
    if not wa and not wb:
        return 1.0
    matched = sum(block.size for block in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_matching_blocks())
    return 2.0 * matched / (len(wa) + len(wb))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=8, help="windows decoded together")
    parser.add_argument("--group", type=int, default=10, help="recordings per transcribe_many call (as rescore groups them)")
    args = parser.parse_args()

    options = AsrOptions()
    recs = answers(args.answers)
    total_audio_s = sum(r.duration_s for r in recs)
    print(f"{len(recs)} answers, {total_audio_s / 60:.1f} min of audio; beam {options.beam_size}, temperature "
          f"{options.temperature}, word timestamps, language {options.language}")
    batched = BatchedWhisperTranscriber(options=options, batch_size=args.batch_size)
    # The baseline is faster-whisper used plainly: one WhisperModel with its default threads, same model files,
    # same compute type (int8) and decoding settings as mockint's.
    from faster_whisper import WhisperModel

    model = WhisperModel(resolve_model(None)[0], device="cpu", compute_type="int8", local_files_only=True)

    def sequential(rec: Recording) -> Transcript:
        segments, _ = model.transcribe(
            to_float32(rec), language=options.language, beam_size=options.beam_size, temperature=options.temperature,
            word_timestamps=True, condition_on_previous_text=False, vad_filter=False,
        )
        words = [w for s in segments for w in (s.words or []) if w.word.strip()]
        return Transcript(tuple(Word(w.word.strip(), w.start, w.end, w.probability) for w in words), rec.duration_s)

    sequential(recs[-1].slice(0, 5))  # warm-up: first-call costs are paid by neither measurement
    batched.transcribe_many([recs[-1].slice(0, 5)])

    # The two paths take turns group by group, in the order A B B A, so a change in the load of this shared
    # machine during the run falls on both alike. CPU seconds are counted too: they barely depend on the load.
    plain: list[Transcript] = []
    fast: list[Transcript] = []
    wall = {"plain": 0.0, "fast": 0.0}
    cpu = {"plain": 0.0, "fast": 0.0}

    def timed(path: str, work: Callable[[], list[Transcript]]) -> list[Transcript]:
        t, c = time.perf_counter(), time.process_time()
        result = work()
        wall[path] += time.perf_counter() - t
        cpu[path] += time.process_time() - c
        return result

    for n, k in enumerate(range(0, len(recs), args.group)):
        group = recs[k : k + args.group]
        order = ("plain", "fast") if n % 2 == 0 else ("fast", "plain")
        for path in order:
            if path == "plain":
                plain += timed(path, lambda g=group: [sequential(r) for r in g])  # type: ignore[misc]
            else:
                fast += timed(path, lambda g=group: batched.transcribe_many(g))  # type: ignore[misc]
    plain_s, fast_s = wall["plain"], wall["fast"]
    scores = [agreement(a, b) for a, b in zip(plain, fast, strict=True)]
    words = sum(len(p.words) for p in plain)
    print(f"sequential WhisperModel.transcribe: {plain_s:6.1f} s wall, {cpu['plain']:6.1f} s CPU")
    print(f"batched (mockint.batch):            {fast_s:6.1f} s wall, {cpu['fast']:6.1f} s CPU")
    print(f"speed-up: {plain_s / fast_s:.2f}x wall, {cpu['plain'] / cpu['fast']:.2f}x CPU (load average "
          f"{os.getloadavg()[0]:.1f})   word agreement: {sum(scores) / len(scores):.3f} mean, "
          f"{min(scores):.3f} worst answer ({words} words sequential, {sum(len(f.words) for f in fast)} batched)")


if __name__ == "__main__":
    main()
