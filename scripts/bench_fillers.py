"""Benchmark: can mockint hear filler words? Plain Whisper vs filler prompts vs the unheard-speech estimate.

Run: .venv/bin/python scripts/bench_fillers.py [--quick]   (a few minutes of CPU; --quick: about a third)

Clips (generated at run time into a temporary folder; nothing is downloaded):
- inline:  espeak-ng reads a sentence with "um"/"uh" written into it (the easy case: Whisper keeps
  synthetic fillers). Ground truth: the number of fillers written.
- spliced: the sentence fragments and the fillers are synthesised separately and joined; each filler is
  a long, low, flat vowel (espeak-ng phonemes such as [[V:m]] / [[@:]] with a lower pitch, stretched
  by sox tempo, quieter), closer to a real filled pause. Ground truth: count and time of each filler.
- clean:   the same sentences with no fillers (false fillers; word error on the words).
- short:   2-3 word phrases with no fillers, the length of a short live piece (prompts leak out there).
- interview: synthetic_interview_answer.wav, 2 min of espeak-ng with 0.4-2.8 s pauses and no fillers
  (hallucinated fillers and dropped sentences over a whole answer); skipped by --quick.
- jfk.flac (real speech, no fillers, reference text known) and silero_test_lecture.wav (a real
  lecture, no reference: modes are compared with each other and with plain mode's unheard speech).

Modes: plain (no prompt), the product's `FILLER_PROMPT` (AsrOptions(keep_fillers=True)), two other
prompt variants, and "plain+unheard" (plain transcript's fillers plus one filler per unheard span).
Filler precision/recall are counted per clip (true positives = min(found, truth)); WER is over
non-filler words against the reference without fillers; time is CPU time relative to plain mode in
this run. "unheard/min" is voiced time no word covers, per minute of audio; "reliable(exact)" is how
many clips the report called reliable (and, of those, how many had exactly the true count).
Voice activity: webrtcvad, aggressiveness 3, 30 ms frames (what the recorder has at record time).

"prompt>=4s" uses the product's prompt only for audio of at least PROMPT_MIN_S (a guess between the
1-2.5 s pieces that loop and the 8 s clips that don't). Whisper int8 on a busy CPU is not bit-for-bit
repeatable: plain-mode filler counts moved by about 2 between runs, short-piece loops 0-2 of 6.

Results and recommendation: the module docstring of `mockint/fillers.py`. The script prints a table
and a last line starting `fillers-bench:`.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wordedits import word_edits  # noqa: E402  (scripts/ is on sys.path when a script runs)

from mockint.asr import FILLER_PROMPT, AsrOptions, WhisperTranscriber  # noqa: E402
from mockint.audio import SAMPLE_RATE_HZ, Recording, load_audio, read_wav, to_float32  # noqa: E402
from mockint.fillers import (  # noqa: E402
    FillerOptions,
    find_fillers,
    report,
    unheard_spans,
)
from mockint.transcript import Transcript, Word  # noqa: E402
from mockint.vad import speech_regions  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "fillers" / "texts.json"
SHARED = ROOT.parent / "shared" / "audio-samples"
JFK_TEXT = "And so, my fellow Americans, ask not what your country can do for you, ask what you can do for your country."

PROMPTS: dict[str, str | None] = {
    "plain": None,
    "prompt": FILLER_PROMPT,  # the product's prompt, through WhisperTranscriber(keep_fillers=True)
    "p-short": "Um, uh, hmm.",
    "p-story": "So, um, I was, uh, leading the, um, the migration, and, uh, we hit, like, a problem.",
    "prompt>=4s": FILLER_PROMPT,  # the product's prompt, but plain decoding for audio shorter than 4 s
}
PROMPT_MIN_S = 4.0
VOICES = ("en-us", "en-gb", "en-us+f3", "en+m3", "en-gb-x-rp", "en-us+m7")
FILLER_SOUNDS = ("[[V:m]]", "[[@:]]", "[[3:m]]", "[[V:]]", "[[@:m]]", "um", "uh")


@dataclass
class Clip:
    name: str
    kind: str  # inline | spliced | clean | short | real
    recording: Recording
    reference: str | None  # words without fillers; None when unknown
    n_fillers: int | None  # None when unknown
    filler_times: tuple[tuple[float, float], ...] = ()  # spliced only


@dataclass
class Run:
    transcript: Transcript
    seconds: float


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


def _spliced(marked: str, voice: str, stem: Path, rng: random.Random) -> tuple[Recording, tuple[tuple[float, float], ...]]:
    """Fragments and filled pauses synthesised apart and joined; a filler is a long, low, quiet vowel."""
    pcm = bytearray(_silence(0.3))
    times: list[tuple[float, float]] = []
    for j, part in enumerate(re.split(r"\s*\{(?:um|uh)\}\s*", marked)):
        if j > 0:
            fr, fw = stem.with_name(f"{stem.name}_{j}.f.raw.wav"), stem.with_name(f"{stem.name}_{j}.f.wav")
            _espeak(rng.choice(FILLER_SOUNDS), voice, fr, speed_wpm=140, pitch=rng.randint(15, 35))
            tempo = rng.uniform(0.35, 0.6)  # stretch a ~0.2 s vowel to a 0.4-0.8 s filled pause
            _sox(fr, fw, *_TRIM, "tempo", "-s", f"{tempo:.2f}", "vol", f"{rng.uniform(-8, -3):.1f}dB")
            pcm += _silence(rng.uniform(0.05, 0.3))
            start = len(pcm) / 2 / SAMPLE_RATE_HZ
            pcm += read_wav(fw).pcm
            times.append((start, len(pcm) / 2 / SAMPLE_RATE_HZ))
            pcm += _silence(rng.uniform(0.05, 0.3))
        pr, pw = stem.with_name(f"{stem.name}_{j}.raw.wav"), stem.with_name(f"{stem.name}_{j}.wav")
        _espeak(part, voice, pr)
        _sox(pr, pw, *_TRIM)
        pcm += read_wav(pw).pcm
    pcm += _silence(0.3)
    return Recording(bytes(pcm), SAMPLE_RATE_HZ), tuple(times)


def make_clips(work: Path, n_texts: int, rng: random.Random, long_clips: bool = True) -> list[Clip]:
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
        for variant, v in (("a", voice), ("b", VOICES[(k + 3) % len(VOICES)])):
            rec, times = _spliced(marked, v, work / f"sp{k}{variant}", rng)
            clips.append(Clip(f"spliced{k}{variant}", "spliced", rec, reference, n, times))
    for k, phrase in enumerate(SHORT_PHRASES[: 2 * n_texts]):  # short pieces are where prompts leak out
        raw, wav = work / f"sh{k}.raw.wav", work / f"sh{k}.wav"
        _espeak(phrase, VOICES[k % len(VOICES)], raw)
        _sox(raw, wav)
        clips.append(Clip(f"short{k}", "short", read_wav(wav), phrase, 0))
    if (SHARED / "jfk.flac").exists():
        clips.append(Clip("jfk", "real", load_audio(SHARED / "jfk.flac"), JFK_TEXT, 0))
    interview = SHARED / "synthetic_interview_answer.wav"
    if long_clips and interview.exists():  # 2 min of espeak-ng with 0.4-2.8 s pauses: room to hallucinate
        reference = interview.with_suffix(".txt").read_text()
        clips.append(Clip("interview", "real", load_audio(interview), reference, 0))
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


class LongOnly:
    """The filler prompt only for audio of at least `min_s`; shorter pieces are decoded plainly."""

    def __init__(self, plain: Any, prompted: Any, min_s: float) -> None:
        self._plain, self._prompted, self._min_s = plain, prompted, min_s

    def transcribe(self, recording: Recording) -> Transcript:
        chosen = self._prompted if recording.duration_s >= self._min_s else self._plain
        return chosen.transcribe(recording)  # type: ignore[no-any-return]


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


def _overlaps(a: tuple[float, float], b: tuple[float, float], slack_s: float = 0.0) -> bool:
    return a[0] < b[1] + slack_s and b[0] < a[1] + slack_s


@dataclass
class Tally:
    """One (clip set, mode) cell of the table."""

    found: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    edits: int = 0
    ref_words: int = 0
    seconds: float = 0.0
    unheard_s: float = 0.0
    audio_s: float = 0.0
    reliable: int = 0  # clips the report called reliable
    reliable_exact: int = 0  # ... whose count was exactly right (truth known)
    clips: int = 0
    loops: int = 0  # clips where Whisper looped (`fillers.repetition_loop`)

    def add(self, clip: Clip, found: int, run: Run, unheard_s: float, is_reliable: bool) -> None:
        self.clips += 1
        self.found += found
        self.seconds += run.seconds
        self.unheard_s += unheard_s
        self.audio_s += clip.recording.duration_s
        if clip.n_fillers is not None:
            self.tp += min(found, clip.n_fillers)
            self.fp += max(0, found - clip.n_fillers)
            self.fn += max(0, clip.n_fillers - found)
            self.reliable += is_reliable
            self.reliable_exact += is_reliable and found == clip.n_fillers
        if clip.reference is not None:
            ref = _words(clip.reference)
            self.edits += word_edits(ref, _non_filler_words(run.transcript))
            self.ref_words += len(ref)

    @property
    def precision(self) -> float | None:
        return None if self.tp + self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return None if self.tp + self.fn == 0 else self.tp / (self.tp + self.fn)

    @property
    def wer(self) -> float | None:
        return None if self.ref_words == 0 else self.edits / self.ref_words


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


SETS = ("inline", "spliced", "clean", "short", "jfk", "interview", "lecture")
SHORT_PHRASES = (
    "I fixed the bug.", "We shipped it on time.", "The team was happy.",
    "Then I called the vendor.", "It worked.", "Looking back, I would test earlier.",
)  # fmt: skip


def _set_of(clip: Clip) -> str:
    return clip.kind if clip.kind != "real" else clip.name


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="two texts, two modes, no long clips")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, help="also write the per-clip rows here")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    modes = ["plain", "prompt"] if args.quick else list(PROMPTS)
    derived = ["plain+unheard", "prompt+unheard"]
    opts = FillerOptions()

    with tempfile.TemporaryDirectory(prefix="bench_fillers_") as tmp:
        clips = make_clips(Path(tmp), 2 if args.quick else 6, rng, long_clips=not args.quick)
    plain = WhisperTranscriber()
    transcribers: dict[str, Any] = {"plain": plain, "prompt": WhisperTranscriber(options=AsrOptions(keep_fillers=True))}
    for m in modes[2:]:
        transcribers[m] = PromptTranscriber(plain, str(PROMPTS[m]))
    if "prompt>=4s" in transcribers:
        transcribers["prompt>=4s"] = LongOnly(plain, transcribers["prompt"], PROMPT_MIN_S)
    plain.transcribe(clips[0].recording)  # warm-up, not timed

    cells: dict[tuple[str, str], Tally] = {}
    rows: list[dict[str, Any]] = []
    dropped = caught = 0
    notes: list[str] = []
    for clip in clips:
        speech = vad_regions(clip.recording)
        runs: dict[str, Run] = {}
        for m in modes:  # modes interleaved per clip, so a busy machine slows them alike
            t0 = time.process_time()  # CPU time of all threads: steadier than wall time on a shared machine
            tr = transcribers[m].transcribe(clip.recording)
            runs[m] = Run(tr, time.process_time() - t0)
        spans = {m: unheard_spans(speech, runs[m].transcript.words, opts) for m in modes}
        for m in [*modes, *derived]:
            base = m.split("+")[0]
            run = runs[base]
            prompted = base != "plain" and not (base == "prompt>=4s" and clip.recording.duration_s < PROMPT_MIN_S)
            rep = report(run.transcript, heard_with_prompt=prompted, speech=speech, options=opts)
            found = rep.count + (len(spans[base]) if m in derived else 0)  # the product's count (loops left out)
            unheard = sum(sp.duration_s for sp in spans[base])
            cell = cells.setdefault((_set_of(clip), m), Tally())
            cell.add(clip, found, run, unheard, rep.is_reliable)
            cell.loops += rep.looped_words > 0
            rows.append({"clip": clip.name, "mode": m, "found": found, "truth": clip.n_fillers,
                         "unheard_s": round(unheard, 2), "seconds": round(run.seconds, 2),
                         "reliable": rep.is_reliable, "note": rep.note, "text": run.transcript.text})  # fmt: skip
        if clip.kind == "spliced":
            # fillers plain mode dropped: does an unheard span of the plain transcript sit on them?
            heard = [(h.start_s, h.end_s) for h in find_fillers(runs["plain"].transcript)]
            for ft in clip.filler_times:
                if not any(_overlaps(ft, h, 0.3) for h in heard):
                    dropped += 1
                    caught += any(_overlaps(ft, (sp.start_s, sp.end_s)) for sp in spans["plain"])
        if clip.name == "lecture":
            p_hits = find_fillers(runs["prompt"].transcript)
            located = sum(any(_overlaps((h.start_s, h.end_s), (sp.start_s, sp.end_s), 0.1) for sp in spans["plain"])
                          for h in p_hits)  # fmt: skip
            ref = _non_filler_words(runs["plain"].transcript)
            for m in modes[1:]:
                e = word_edits(ref, _non_filler_words(runs[m].transcript))
                notes.append(f"lecture, {m}: {len(find_fillers(runs[m].transcript))} fillers "
                             f"({', '.join(repr(h.text) + f'@{h.start_s:.1f}s' for h in find_fillers(runs[m].transcript))}); "
                             f"{e}/{len(ref)} non-filler words differ from plain")  # fmt: skip
            notes.append(f"lecture: prompt-mode fillers lying in plain-mode unheard speech: {located}/{len(p_hits)} "
                         f"(plain unheard spans: {len(spans['plain'])}, {sum(sp.duration_s for sp in spans['plain']):.1f} s)")  # fmt: skip

    print(f"{'set':10} {'mode':15} {'found':>5} {'truth':>5} {'prec':>5} {'recall':>6} {'WER':>5} "
          f"{'unheard/min':>11} {'reliable(exact)':>15} {'loops':>5} {'time':>6}")  # fmt: skip
    for k in SETS:
        base_s = cells[(k, "plain")].seconds if (k, "plain") in cells else 0.0
        for m in [*modes, *derived]:
            t = cells.get((k, m))
            if t is None:
                continue
            known = k != "lecture"
            rel = "" if m in derived or not base_s else f"{t.seconds / base_s:.2f}x"
            per_min = t.unheard_s / t.audio_s * 60 if t.audio_s else 0.0
            reliable = f"{t.reliable}({t.reliable_exact})/{t.clips}" if known else "-"
            print(f"{k:10} {m:15} {t.found:>5} {t.tp + t.fn if known else '?':>5} "
                  f"{_pct(t.precision) if known else '-':>5} {_pct(t.recall) if known else '-':>6} {_pct(t.wer):>5} "
                  f"{per_min:>9.2f} s {reliable:>15} {t.loops:>5} {rel:>6}")  # fmt: skip
    print()
    print(f"spliced fillers plain mode dropped: {dropped}; an unheard span of the plain transcript covers {caught}")
    for line in notes:
        print(line)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))

    def total(m: str, sets: tuple[str, ...]) -> Tally:
        agg = Tally()
        for k in sets:
            t = cells.get((k, m))
            if t is not None:
                for f in ("found", "tp", "fp", "fn", "edits", "ref_words", "seconds"):
                    setattr(agg, f, getattr(agg, f) + getattr(t, f))
        return agg

    long_sets = ("inline", "spliced", "clean", "jfk", "interview")  # clips of 8 s and more, with a reference
    no_fillers = ("clean", "short", "jfk", "interview")
    sp_p, sp_q = cells[("spliced", "plain")], cells[("spliced", "prompt")]
    long_p, long_q = total("plain", (*long_sets, "lecture")), total("prompt", (*long_sets, "lecture"))
    wer_p, wer_q = total("plain", long_sets), total("prompt", long_sets)
    false_q = total("prompt", no_fillers).found
    short_p, short_q, short_l = (cells.get(("short", m)) for m in ("plain", "prompt", "prompt>=4s"))
    short = ""
    if short_p and short_q:
        short = (f"short pieces with prompt: loops {short_q.loops}/{short_q.clips}, WER {_pct(short_p.wer)} -> "
                 f"{_pct(short_q.wer)}, CPU {short_q.seconds / short_p.seconds:.1f}x")  # fmt: skip
    if short_l:
        short += f" (prompt>=4s: loops {short_l.loops}, WER {_pct(short_l.wer)})"
    print(
        f"fillers-bench: spliced (closer to real) recall plain {_pct(sp_p.recall)} -> prompt {_pct(sp_q.recall)} "
        f"(precision {_pct(sp_q.precision)}); inline recall {_pct(cells[('inline', 'plain')].recall)} -> "
        f"{_pct(cells[('inline', 'prompt')].recall)}; false fillers with prompt on filler-free speech {false_q}; "
        f"clips >= 8 s: non-filler WER {_pct(wer_p.wer)} -> {_pct(wer_q.wer)}, CPU {long_q.seconds / long_p.seconds:.2f}x; "
        f"{short}; unheard speech covers {caught}/{dropped} dropped fillers"
    )


if __name__ == "__main__":
    main()
