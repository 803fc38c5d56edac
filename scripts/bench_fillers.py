"""Benchmark: can mockint hear filler words? Plain Whisper vs filler prompts vs the unheard-speech estimate.

Run: .venv/bin/python scripts/bench_fillers.py [--quick]   (a few minutes of CPU; --quick: about a third)

Clips (generated at run time into a temporary folder; nothing is downloaded):
- inline:  espeak-ng reads a sentence with "um"/"uh" written into it (the easy case: Whisper keeps
  synthetic fillers). Ground truth: the number of fillers written.
- spliced: the sentence fragments and the fillers are synthesised separately and joined; each filler is
  a long, low, flat vowel (espeak-ng phonemes such as [[V:m]] / [[@:]] with a lower pitch, stretched
  by sox tempo, quieter), closer to a real filled pause. Ground truth: count and time of each filler.
- clean:   the same sentences with no fillers (false fillers; word error on the words).
- jfk.flac (real speech, no fillers, reference text known) and silero_test_lecture.wav (a real
  lecture, no reference: modes are compared with each other and with plain mode's unheard speech).

Modes: plain (no prompt), the product's `FILLER_PROMPT` (AsrOptions(keep_fillers=True)), two other
prompt variants, and "plain+unheard" (plain transcript's fillers plus one filler per unheard span).
Filler precision/recall are counted per clip (true positives = min(found, truth)); WER is over
non-filler words against the reference without fillers; time is relative to plain mode in this run.
Voice activity: webrtcvad, aggressiveness 3, 30 ms frames (what the recorder has at record time).

Results and recommendation: see the module docstring of `mockint/fillers.py` and the final report;
this script prints its table and a last line starting `fillers-bench:`.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockint.asr import FILLER_PROMPT, AsrOptions, WhisperTranscriber  # noqa: E402
from mockint.audio import SAMPLE_RATE_HZ, Recording, load_audio, read_wav, to_float32  # noqa: E402
from mockint.fillers import (  # noqa: E402
    FillerOptions,
    find_fillers,
    report,
    speech_regions,
    unheard_spans,
)
from mockint.transcript import Transcript, Word  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "fillers" / "texts.json"
SHARED = ROOT.parent / "shared" / "audio-samples"
JFK_TEXT = "And so, my fellow Americans, ask not what your country can do for you, ask what you can do for your country."

PROMPTS: dict[str, str | None] = {
    "plain": None,
    "prompt": FILLER_PROMPT,  # the product's prompt, through WhisperTranscriber(keep_fillers=True)
    "p-short": "Um, uh, hmm.",
    "p-story": "So, um, I was, uh, leading the, um, the migration, and, uh, we hit, like, a problem.",
}
VOICES = ("en-us", "en-gb", "en-us+f3", "en+m3", "en-gb-x-rp", "en-us+m7")
FILLER_SOUNDS = ("[[V:m]]", "[[@:]]", "[[3:m]]", "[[V:]]", "[[@:m]]", "um", "uh")


@dataclass
class Clip:
    name: str
    kind: str  # inline | spliced | clean | real
    recording: Recording
    reference: str | None  # words without fillers; None when unknown
    n_fillers: int | None  # None when unknown
    filler_times: tuple[tuple[float, float], ...] = ()  # spliced only


@dataclass
class Run:
    transcript: Transcript
    seconds: float
    hits: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


# --- clip generation -----------------------------------------------------------------------------


def _espeak(text: str, voice: str, out: Path, speed_wpm: int = 160, pitch: int = 50) -> None:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed_wpm), "-p", str(pitch), "-w", str(out), text],
                   check=True, capture_output=True)  # fmt: skip


def _sox(src: Path, dst: Path, *effects: str) -> None:
    subprocess.run(["sox", str(src), "-r", str(SAMPLE_RATE_HZ), "-c", "1", "-b", "16", str(dst), *effects],
                   check=True, capture_output=True)  # fmt: skip


_TRIM = ("silence", "1", "0.01", "0.5%", "reverse", "silence", "1", "0.01", "0.5%", "reverse")


def _silence(seconds: float) -> bytes:
    return bytes(2 * int(seconds * SAMPLE_RATE_HZ))


def make_clips(work: Path, n_texts: int, rng: random.Random) -> list[Clip]:
    texts: list[str] = json.loads(DATA.read_text())["texts"][:n_texts]
    clips: list[Clip] = []
    for k, marked in enumerate(texts):
        voice = VOICES[k % len(VOICES)]
        reference = re.sub(r"\s*\{(um|uh)\}", "", marked)
        n = len(re.findall(r"\{(?:um|uh)\}", marked))
        # inline: espeak reads the fillers as words
        raw, wav = work / f"in{k}.raw.wav", work / f"in{k}.wav"
        _espeak(re.sub(r"\{(um|uh)\}", r"\1,", marked), voice, raw)
        _sox(raw, wav)
        clips.append(Clip(f"inline{k}", "inline", read_wav(wav), reference, n))
        # clean
        raw, wav = work / f"cl{k}.raw.wav", work / f"cl{k}.wav"
        _espeak(reference, voice, raw)
        _sox(raw, wav)
        clips.append(Clip(f"clean{k}", "clean", read_wav(wav), reference, 0))
        # spliced: fragments + stretched, lowered, quieter filled pauses
        pcm = bytearray(_silence(0.3))
        times: list[tuple[float, float]] = []
        for j, part in enumerate(re.split(r"\s*\{(?:um|uh)\}\s*", marked)):
            if j > 0:
                sound = rng.choice(FILLER_SOUNDS)
                fr, fw = work / f"sp{k}_{j}.raw.wav", work / f"sp{k}_{j}.f.wav"
                _espeak(sound, voice, fr, speed_wpm=140, pitch=rng.randint(15, 35))
                tempo = rng.uniform(0.35, 0.6)  # stretch a 0.2 s vowel to a 0.4-0.8 s filled pause
                _sox(fr, fw, *_TRIM, "tempo", "-s", f"{tempo:.2f}", "vol", f"{rng.uniform(-8, -3):.1f}dB")
                pcm += _silence(rng.uniform(0.05, 0.3))
                start = len(pcm) / 2 / SAMPLE_RATE_HZ
                pcm += read_wav(fw).pcm
                times.append((start, len(pcm) / 2 / SAMPLE_RATE_HZ))
                pcm += _silence(rng.uniform(0.05, 0.3))
            pr, pw = work / f"sp{k}_{j}.raw.wav", work / f"sp{k}_{j}.wav"
            _espeak(part, voice, pr)
            _sox(pr, pw, *_TRIM)
            pcm += read_wav(pw).pcm
        pcm += _silence(0.3)
        clips.append(Clip(f"spliced{k}", "spliced", Recording(bytes(pcm), SAMPLE_RATE_HZ), reference, n,
                          tuple(times)))  # fmt: skip
    if (SHARED / "jfk.flac").exists():
        clips.append(Clip("jfk", "real", load_audio(SHARED / "jfk.flac"), JFK_TEXT, 0))
    if (SHARED / "silero_test_lecture.wav").exists():
        clips.append(Clip("lecture", "real", load_audio(SHARED / "silero_test_lecture.wav"), None, None))
    return clips


# --- transcription -------------------------------------------------------------------------------


class PromptTranscriber:
    """The same decoding as `WhisperTranscriber` with another initial prompt (the bench's prompt variants)."""

    def __init__(self, base: WhisperTranscriber, prompt: str) -> None:
        self._model = base._model  # one loaded model for all variants
        self._options = base.options
        self._prompt = prompt

    def transcribe(self, recording: Recording) -> Transcript:
        segments, _ = self._model.transcribe(
            to_float32(recording), language=self._options.language, beam_size=self._options.beam_size,
            temperature=self._options.temperature, word_timestamps=True, condition_on_previous_text=False,
            initial_prompt=self._prompt, vad_filter=False,
        )  # fmt: skip
        words = [Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
                 for s in segments for w in (s.words or []) if w.word.strip()]  # fmt: skip
        return Transcript(tuple(words), recording.duration_s)


def vad_regions(recording: Recording, aggressiveness: int = 3, frame_ms: int = 30) -> tuple[tuple[float, float], ...]:
    import webrtcvad

    vad = webrtcvad.Vad(aggressiveness)
    n = SAMPLE_RATE_HZ * frame_ms // 1000 * 2
    pcm = recording.pcm
    flags = [vad.is_speech(pcm[i : i + n], SAMPLE_RATE_HZ) for i in range(0, len(pcm) - n + 1, n)]
    return speech_regions(flags, frame_ms / 1000)


# --- scoring -------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return [t for t in (re.sub(r"[^\w']", "", w.lower()) for w in text.replace("-", " ").split()) if t]


def _non_filler_words(t: Transcript) -> list[str]:
    hits = find_fillers(t)
    kept: list[str] = []
    for w in t.words:
        if not any(h.start_s <= w.start_s <= h.end_s and w.end_s <= h.end_s for h in hits):
            kept.extend(_words(w.text))
    return kept


def _edits(ref: list[str], hyp: list[str]) -> int:
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def _overlaps(a: tuple[float, float], b: tuple[float, float], slack_s: float = 0.3) -> bool:
    return a[0] < b[1] + slack_s and b[0] < a[1] + slack_s


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    edits: int = 0
    ref_words: int = 0
    seconds: float = 0.0

    def add_count(self, found: int, truth: int) -> None:
        self.tp += min(found, truth)
        self.fp += max(0, found - truth)
        self.fn += max(0, truth - found)

    @property
    def precision(self) -> float | None:
        return None if self.tp + self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return None if self.tp + self.fn == 0 else self.tp / (self.tp + self.fn)


def _pct(x: float | None) -> str:
    return "  -  " if x is None else f"{100 * x:4.0f}%"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="two texts and two modes only")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, help="also write the per-clip results here")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    modes = ["plain", "prompt"] if args.quick else list(PROMPTS)
    opts = FillerOptions()

    with tempfile.TemporaryDirectory(prefix="bench_fillers_") as tmp:
        clips = make_clips(Path(tmp), 2 if args.quick else 6, rng)
    plain = WhisperTranscriber()
    transcribers: dict[str, Any] = {"plain": plain, "prompt": WhisperTranscriber(options=AsrOptions(keep_fillers=True))}
    for m in modes[2:]:
        transcribers[m] = PromptTranscriber(plain, str(PROMPTS[m]))
    transcribers["plain"].transcribe(clips[0].recording)  # warm-up, not timed

    by_kind: dict[tuple[str, str], Tally] = {}
    rows: list[dict[str, Any]] = []
    unheard_stats: dict[str, list[float]] = {}
    dropped_total = dropped_caught = 0
    lecture_notes: list[str] = []
    for clip in clips:
        speech = vad_regions(clip.recording)
        runs: dict[str, Run] = {}
        for m in modes:
            t0 = time.perf_counter()
            tr = transcribers[m].transcribe(clip.recording)
            runs[m] = Run(tr, time.perf_counter() - t0)
        est_spans = unheard_spans(speech, runs["plain"].transcript.words, opts)
        for m in [*modes, "plain+unheard"]:
            run = runs["plain"] if m == "plain+unheard" else runs[m]
            hits = find_fillers(run.transcript)
            found = len(hits) + (len(est_spans) if m == "plain+unheard" else 0)
            unheard = sum(s.duration_s for s in unheard_spans(speech, run.transcript.words, opts))
            rep = report(run.transcript, heard_with_prompt=m != "plain", speech=speech, options=opts)
            row: dict[str, Any] = {"clip": clip.name, "kind": clip.kind, "mode": m, "found": found,
                                   "truth": clip.n_fillers, "unheard_s": round(unheard, 2),
                                   "seconds": round(run.seconds, 2), "reliable": rep.is_reliable,
                                   "note": rep.note, "text": run.transcript.text}  # fmt: skip
            kind = "synthetic" if clip.kind in ("inline", "spliced", "clean") else clip.name
            for k in (clip.kind, kind) if kind != clip.kind else (clip.kind,):
                tally = by_kind.setdefault((k, m), Tally())
                if clip.n_fillers is not None:
                    tally.add_count(found, clip.n_fillers)
                if clip.reference is not None:
                    ref = _words(clip.reference)
                    e = _edits(ref, _non_filler_words(run.transcript))
                    tally.edits += e
                    tally.ref_words += len(ref)
                    row["wer"] = round(e / len(ref), 3)
                if m != "plain+unheard":
                    tally.seconds += run.seconds
            if clip.kind in ("clean", "real") and m in ("plain", "prompt"):
                unheard_stats.setdefault(f"{m}:{clip.name}", []).append(unheard / clip.recording.duration_s * 60)
            rows.append(row)
        if clip.kind == "spliced":
            # dropped fillers (not transcribed by plain mode): does an unheard span sit on them?
            heard = [(h.start_s, h.end_s) for h in find_fillers(runs["plain"].transcript)]
            for ft in clip.filler_times:
                if not any(_overlaps(ft, h) for h in heard):
                    dropped_total += 1
                    dropped_caught += any(_overlaps(ft, (s.start_s, s.end_s), 0.0) for s in est_spans)
        if clip.name == "lecture" and "prompt" in runs:
            p_hits = find_fillers(runs["prompt"].transcript)
            in_gap = sum(any(_overlaps((h.start_s, h.end_s), (s.start_s, s.end_s), 0.1) for s in est_spans)
                         for h in p_hits)  # fmt: skip
            ref = _non_filler_words(runs["plain"].transcript)
            for m in modes[1:]:
                e = _edits(ref, _non_filler_words(runs[m].transcript))
                lecture_notes.append(f"lecture {m}: {len(find_fillers(runs[m].transcript))} fillers, "
                                     f"{e}/{len(ref)} non-filler words differ from plain ({100 * e / len(ref):.1f}%)")  # fmt: skip
            lecture_notes.append(f"lecture: prompt-mode fillers inside plain-mode unheard speech: {in_gap}/{len(p_hits)}; "
                                 f"plain unheard spans: {len(est_spans)} ({sum(s.duration_s for s in est_spans):.1f} s)")  # fmt: skip

    # --- table ---
    kinds = [k for k in ("inline", "spliced", "synthetic", "clean", "jfk", "lecture") if any(kk == k for kk, _ in by_kind)]
    print(f"{'set':10} {'mode':14} {'found':>5} {'truth':>5} {'prec':>5} {'recall':>6} {'WER':>6} {'time':>6}")
    base_s = {k: by_kind[(k, "plain")].seconds for k in kinds}
    for k in kinds:
        for m in [*modes, "plain+unheard"]:
            t = by_kind.get((k, m))
            if t is None:
                continue
            found = t.tp + t.fp
            truth = t.tp + t.fn
            wer = None if t.ref_words == 0 else t.edits / t.ref_words
            rel = "" if m == "plain+unheard" or not base_s[k] else f"{t.seconds / base_s[k]:5.2f}x"
            truth_s = "?" if k == "lecture" else str(truth)
            found_s = str(sum(r["found"] for r in rows if r["mode"] == m and (r["kind"] == k or r["clip"] == k)))
            print(f"{k:10} {m:14} {found_s:>5} {truth_s:>5} {_pct(t.precision) if k != 'lecture' else '  -  ':>5} "
                  f"{_pct(t.recall) if k != 'lecture' else '  -  ':>6} {_pct(wer):>6} {rel:>6}")  # fmt: skip
    print()
    for key, vals in sorted(unheard_stats.items()):
        print(f"unheard speech {key}: {sum(vals) / len(vals):.2f} s per minute of audio")
    if dropped_total:
        print(f"spliced fillers plain mode dropped: {dropped_total}; covered by an unheard span: {dropped_caught}")
    for line in lecture_notes:
        print(line)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))

    def rec(k: str, m: str) -> str:
        t = by_kind.get((k, m))
        return _pct(t.recall if t else None).strip()

    def prec(k: str, m: str) -> str:
        t = by_kind.get((k, m))
        return _pct(t.precision if t else None).strip()

    syn_p, syn_pr = by_kind[("synthetic", "plain")], by_kind[("synthetic", "prompt")]
    wer_p = syn_p.edits / syn_p.ref_words
    wer_pr = syn_pr.edits / syn_pr.ref_words
    false_fillers = sum(r["found"] for r in rows if r["mode"] == "prompt" and r["truth"] == 0)
    print(
        f"fillers-bench: spliced recall plain {rec('spliced', 'plain')} / prompt {rec('spliced', 'prompt')} "
        f"(precision {prec('spliced', 'prompt')}), inline recall plain {rec('inline', 'plain')} / prompt "
        f"{rec('inline', 'prompt')}; false fillers with prompt on filler-free speech: {false_fillers}; "
        f"WER non-filler plain {100 * wer_p:.1f}% -> prompt {100 * wer_pr:.1f}%; "
        f"prompt time {syn_pr.seconds / syn_p.seconds:.2f}x plain; "
        f"dropped fillers under an unheard span {dropped_caught}/{dropped_total}"
    )


if __name__ == "__main__":
    main()
