"""Prompt echoes and fillers, before and after hallucinations.py, on spoken answers: does the transcript hold
only what was said, and how many fillers does it still hear?

    .venv/bin/python scripts/bench_echo.py [--answers 40] [--pieces] [--data scripts/data/corpus/*.json] [--seed 3]

Each answer (from the labelled corpus, which our rules were not written from) is spoken twice by espeak-ng
at 150-175 words per minute: as written, and with filled pauses ("um", "uh", and long spliced "ummm"
vowels) inserted at random between words, about 5 per 100 words, at known times. Both recordings go through
  before: Whisper with the filler prompt, every word kept (mockint up to issue 10);
  after:  `asr.WhisperTranscriber` as shipped (doubtful segments, loops, improbable words and words over
          silence dropped; prompt echoes heard again without the prompt).
With --pieces each recording is cut, as live transcription cuts it, into pieces of 4-10 s at the
nearest pause (a piece boundary may clip a word), and each piece is transcribed on its own: short
pieces are where Whisper copies its prompt. A prompt echo is a run of the prompt's words (`hallucinations.prompt_echoes`) that the reference text does
not contain. A filler is found when the transcript has a filled pause within 0.7 s of one that was spoken.
Prints a table and, last, `echo-bench: ...`.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from wordedits import word_edits  # noqa: E402

from mockint.asr import FILLER_PROMPT, AsrOptions, WhisperTranscriber, _token_cap, words_of  # noqa: E402
from mockint.audio import SAMPLE_RATE_HZ, Recording, load_audio, to_float32  # noqa: E402
from mockint.hallucinations import prompt_echoes  # noqa: E402
from mockint.text import is_filled_pause  # noqa: E402
from mockint.transcript import Word  # noqa: E402

FILLERS_PER_100 = 5
MATCH_S = 0.7


@dataclass(frozen=True, slots=True)
class Spoken:
    recording: Recording
    text: str
    filler_times_s: tuple[float, ...]


def speak(words: list[str], fillers_at: set[int], wpm: int, workdir: Path, rng: random.Random) -> Spoken:
    """espeak-ng speaks the words in chunks between fillers; each filler is a spoken "um"/"uh" or a long
    low vowel, so its time in the recording is known."""
    pcm = b"\x00\x00" * int(0.5 * SAMPLE_RATE_HZ)
    times: list[float] = []
    chunk: list[str] = []
    said: list[str] = []

    def flush() -> None:
        nonlocal pcm
        if chunk:
            pcm += _espeak(" ".join(chunk), wpm, workdir).pcm
            chunk.clear()

    for i, w in enumerate(words):
        if i in fillers_at:
            flush()
            times.append(len(pcm) / 2 / SAMPLE_RATE_HZ)
            kind = rng.choice(("um", "uh", "long"))
            pcm += _long_vowel(rng) if kind == "long" else _espeak(kind, wpm - 40, workdir).pcm
            said.append("um" if kind != "uh" else "uh")
        chunk.append(w)
        said.append(w)
    flush()
    pcm += b"\x00\x00" * int(1.0 * SAMPLE_RATE_HZ)
    return Spoken(Recording(pcm), " ".join(said), tuple(times))


def _espeak(text: str, wpm: int, workdir: Path) -> Recording:
    out = workdir / "part.wav"
    subprocess.run(["espeak-ng", "-s", str(wpm), "-w", str(out), text], check=True, capture_output=True)
    return load_audio(out)


def _long_vowel(rng: random.Random) -> bytes:
    """A filled pause closer to a real one than espeak's "um": 0.5-0.9 s of a low, quiet, slightly wavering vowel."""
    import math

    n = int(rng.uniform(0.5, 0.9) * SAMPLE_RATE_HZ)
    f0 = rng.uniform(95, 130)
    out = bytearray()
    for k in range(n):
        t = k / SAMPLE_RATE_HZ
        env = min(1.0, k / 800, (n - k) / 800)
        s = sum(a * math.sin(2 * math.pi * f0 * h * t * (1 + 0.01 * math.sin(6 * t))) for h, a in ((1, 0.6), (2, 0.3), (3, 0.15)))
        out += int(2500 * env * s).to_bytes(2, "little", signed=True)
    return bytes(out)


def before(transcriber: WhisperTranscriber, recording: Recording) -> list[Word]:
    """The transcript as mockint made it before issue 10: the filler prompt, and every word kept."""
    segments, _ = transcriber._model.transcribe(  # noqa: SLF001 - the same loaded model, for a fair comparison
        to_float32(recording), language="en", beam_size=5, temperature=0.0, word_timestamps=True,
        condition_on_previous_text=False, initial_prompt=FILLER_PROMPT, vad_filter=False,
        max_new_tokens=_token_cap(recording.duration_s),
    )  # fmt: skip
    return words_of(w for s in segments for w in (s.words or []))


def pieces(recording: Recording, rng: random.Random) -> list[tuple[float, Recording]]:
    """The recording cut at pauses (or wherever, if none is near) into 4-10 s pieces, with their offsets."""
    from mockint.vad import voiced_regions

    gaps = [(a_end + b_start) / 2 for (_, a_end), (b_start, _) in zip(voiced_regions(recording), voiced_regions(recording)[1:])]
    out, start = [], 0.0
    while start < recording.duration_s - 1.0:
        want = start + rng.uniform(4.0, 10.0)
        near = [g for g in gaps if start + 3.0 <= g <= want + 2.0]
        end = min(near, key=lambda g: abs(g - want)) if near else min(want, recording.duration_s)
        out.append((start, recording.slice(start, end)))
        start = end
    return out


def in_pieces(decode: object, recording: Recording, rng: random.Random) -> list[Word]:
    words: list[Word] = []
    for offset, piece in pieces(recording, rng):
        got = decode(piece)  # type: ignore[operator]
        words += [Word(w.text, w.start_s + offset, w.end_s + offset, w.probability) for w in got]
    return words


def echoes(words: list[Word], reference: str) -> int:
    ref_words = [Word(t, 0.0, 0.0) for t in reference.split()]
    return 0 if prompt_echoes(ref_words, FILLER_PROMPT) else len(prompt_echoes(words, FILLER_PROMPT))


def filler_match(words: list[Word], spoken: tuple[float, ...]) -> tuple[int, int]:
    """(fillers heard that match a spoken one, fillers heard in all)."""
    heard = [w for w in words if is_filled_pause(w.text)]
    free = list(spoken)
    hits = 0
    for w in heard:
        near = [t for t in free if abs(w.start_s - t) <= MATCH_S or w.start_s <= t <= w.end_s]
        if near:
            free.remove(near[0])
            hits += 1
    return hits, len(heard)


def _norm(token: str) -> str:
    from mockint.text import clean_word

    return clean_word(token).replace("-", " ").strip()


def answers(paths: list[Path], n: int, rng: random.Random) -> list[tuple[str, str]]:
    items = []
    for p in paths:
        for a in json.loads(p.read_text(encoding="utf-8")):
            text = " ".join(s["text"] for s in a["sections"])
            if 50 <= len(text.split()) <= 150:
                items.append((a["id"], text))
    rng.shuffle(items)
    return sorted(items[:n])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--answers", type=int, default=40)
    ap.add_argument("--data", nargs="*", type=Path, default=sorted((ROOT / "scripts/data/corpus").glob("*.json")))
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--pieces", action="store_true", help="transcribe 4-10 s pieces, as live transcription does")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    transcriber = WhisperTranscriber(options=AsrOptions(detect_language=False))
    totals = {k: [0, 0, 0, 0, 0, 0, 0] for k in ("before", "after")}  # echoes, words, spoken fillers, found, heard, edits, ref words
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for answer_id, text in answers(args.data, args.answers, rng):
            words = text.split()
            for with_fillers in (False, True):
                n = round(len(words) * FILLERS_PER_100 / 100) if with_fillers else 0
                at = set(rng.sample(range(1, len(words)), n)) if n else set()
                spoken = speak(words, at, rng.choice((150, 175)), Path(tmp), rng)
                if args.pieces:
                    seed = rng.random()  # both pipelines get the same cuts
                    runs = (("before", in_pieces(lambda r: before(transcriber, r), spoken.recording, random.Random(seed))),
                            ("after", in_pieces(lambda r: list(transcriber.transcribe(r).words), spoken.recording,
                                                random.Random(seed))))
                else:
                    runs = (("before", before(transcriber, spoken.recording)),
                            ("after", list(transcriber.transcribe(spoken.recording).words)))
                for name, hyp in runs:
                    e = echoes(hyp, spoken.text)
                    found, heard = filler_match(hyp, spoken.filler_times_s)
                    t = totals[name]
                    t[0] += e
                    t[1] += len(hyp)
                    t[2] += len(spoken.filler_times_s)
                    t[3] += found
                    t[4] += heard
                    ref = [clean for w in spoken.text.split() if (clean := _norm(w)) and not is_filled_pause(clean)]
                    got = [clean for w in hyp if (clean := _norm(w.text)) and not is_filled_pause(clean)]
                    t[5] += word_edits(ref, got)
                    t[6] += len(ref)
                    if e:
                        print(f"  {name} echo in {answer_id} (fillers={with_fillers}): "
                              + " ".join(w.text for w in hyp)[:200], flush=True)
            print(f"{answer_id}: done ({time.perf_counter() - t0:.0f} s)", flush=True)
    print(f"\n{'':8}{'echoes':>8}{'words':>8}{'filler recall':>15}{'filler precision':>18}{'WER (no fillers)':>18}")
    for name, (e, w, spoken_n, found, heard, edits, ref_n) in totals.items():
        print(f"{name:8}{e:>8}{w:>8}{found / max(spoken_n, 1):>14.1%} {found / max(heard, 1):>17.1%} {edits / max(ref_n, 1):>17.1%}")
    b, a = totals["before"], totals["after"]
    print(f"echo-bench: mode={'pieces' if args.pieces else 'whole'} answers={args.answers} recordings={2 * args.answers} echoes_before={b[0]} echoes_after={a[0]} "
          f"filler_recall_before={b[3] / max(b[2], 1):.3f} filler_recall_after={a[3] / max(a[2], 1):.3f} "
          f"filler_precision_before={b[3] / max(b[4], 1):.3f} filler_precision_after={a[3] / max(a[4], 1):.3f} "
          f"wer_before={b[5] / max(b[6], 1):.3f} wer_after={a[5] / max(a[6], 1):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
