"""Measure STAR detection on labelled answers: synthesise speech, run the real pipeline, compare.

    .venv/bin/python scripts/eval_star.py scripts/data/star_dev.json [--text-only] [--jobs N]
        [--rates 140,175] [--model M] [--no-punctuation] [--per-answer] [--limit N] [--cache DIR]

Each labelled answer (PRODUCT.md "Evaluation data format") is spoken by espeak-ng one sentence at a
time at each rate, and the sentences are joined with silences chosen here (short between sentences;
at a section change sometimes none, sometimes short, sometimes long), so the true time of every
sentence is known. The audio goes through `load_audio` -> `WhisperTranscriber` -> `segment`, each
recognised word takes the label of the sentence it falls in (by time), and the detected sections are
compared with the labels. `--text-only` skips audio: the labelled words get estimated times instead.

Prints a table and, as its last line, `star-eval: word_accuracy=...% median_boundary_error=...s ...`.
A boundary error is |detected start - true start| of each section after the answer's first, when
both exist; a duration error compares a section's span (to the next section's first word) with the
truth. `--cache DIR` keeps each run's transcript so a detector change can be re-measured in seconds.

Data: scripts/data/star_dev.json is the development set the detector was tuned on;
star_holdout*.json are further answers of the same kind, kept back to check that it generalises.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import wave
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mockint.star import SECTION_ORDER, Section, Span, segment  # noqa: E402
from mockint.transcript import Transcript, Word  # noqa: E402

SENTENCE_PAUSE_S = (0.25, 0.6)  # uniform range between sentences of one section
LONG_PAUSE_S = (1.0, 2.0)  # uniform range of a long pause at a section change
LEAD_SILENCE_S = 0.5  # silence before the first word of the synthesised answer


@dataclass(frozen=True, slots=True)
class LabelledSection:
    section: Section
    text: str


@dataclass(frozen=True, slots=True)
class LabelledAnswer:
    id: str
    question: str
    sections: tuple[LabelledSection, ...]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One labelled sentence and where it sits in the (synthetic) answer."""

    section: Section
    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class RunResult:
    """One answer at one rate: the true label and the detected label of every recognised word."""

    answer_id: str
    rate_wpm: int
    truth: tuple[Section, ...]
    detected: tuple[Section, ...]
    true_starts: dict[Section, float]
    detected_starts: dict[Section, float]
    true_durations: dict[Section, float]
    detected_durations: dict[Section, float]

    @property
    def accuracy(self) -> float:
        return sum(a == b for a, b in zip(self.truth, self.detected)) / max(1, len(self.truth))


def load_answers(path: Path) -> list[LabelledAnswer]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    answers = []
    for item in raw:
        sections = tuple(LabelledSection(Section(s["label"]), str(s["text"])) for s in item["sections"])
        order = [SECTION_ORDER.index(s.section) for s in sections]
        if order != sorted(set(order)):
            raise SystemExit(f"{path}: answer {item['id']!r}: sections must be in STAR order, each once")
        answers.append(LabelledAnswer(str(item["id"]), str(item.get("question", "")), sections))
    return answers


def sentences_of(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _pauses(answer: LabelledAnswer, rng: random.Random) -> list[tuple[Section, str, float]]:
    """Each sentence with the silence before it (a section change draws none, short or long)."""
    out = []
    for k, labelled in enumerate(answer.sections):
        for j, sentence in enumerate(sentences_of(labelled.text)):
            if k == 0 and j == 0:
                pause = LEAD_SILENCE_S
            elif j == 0:
                kind = rng.choice(("none", "short", "long"))
                pause = 0.0 if kind == "none" else rng.uniform(*(SENTENCE_PAUSE_S if kind == "short" else LONG_PAUSE_S))
            else:
                pause = rng.uniform(*SENTENCE_PAUSE_S)
            out.append((labelled.section, sentence, pause))
    return out


def text_transcript(answer: LabelledAnswer, rate_wpm: int, rng: random.Random, *, strip_punctuation: bool = False) -> tuple[Transcript, list[Sentence]]:
    """The labelled words with estimated times: longer words take longer, pauses as in the audio."""
    words: list[Word] = []
    sentences: list[Sentence] = []
    t = 0.0
    mean_s = 60.0 / rate_wpm
    for section, text, pause in _pauses(answer, rng):
        t += pause
        start = t
        for w in text.split():
            d = mean_s * (0.55 + 0.1 * min(len(w), 9))
            shown = re.sub(r"[.,!?;:]+$", "", w) if strip_punctuation else w
            if shown:
                words.append(Word(shown, t, t + d * 0.9))
            t += d
        sentences.append(Sentence(section, text, start, t))
    return Transcript(tuple(words), t), sentences


def _read_pcm(path: Path) -> tuple[bytes, int]:
    with wave.open(str(path), "rb") as f:
        if f.getsampwidth() != 2 or f.getnchannels() != 1:
            raise SystemExit(f"espeak-ng wrote an unexpected WAV format: {path}")
        return f.readframes(f.getnframes()), f.getframerate()


def _trim(pcm: bytes, threshold: int = 200) -> bytes:
    """Drop espeak-ng's leading and trailing silence so a sentence's true start is its first sound."""
    import array

    samples = array.array("h")
    samples.frombytes(pcm)
    first = next((i for i, v in enumerate(samples) if abs(v) > threshold), 0)
    last = next((i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > threshold), len(samples) - 1)
    return samples[first : last + 1].tobytes()


def synthesise(answer: LabelledAnswer, rate_wpm: int, rng: random.Random, workdir: Path) -> tuple[Path, list[Sentence]]:
    """Speak each sentence with espeak-ng and join them with chosen silences; returns the WAV and truth."""
    chunks: list[bytes] = []
    sentences: list[Sentence] = []
    sample_rate = 0
    t = 0.0
    for k, (section, text, pause) in enumerate(_pauses(answer, rng)):
        clip = workdir / f"s{k}.wav"
        try:
            subprocess.run(["espeak-ng", "-s", str(rate_wpm), "-w", str(clip)], input=text.encode(), check=True,
                           capture_output=True)
        except FileNotFoundError:
            raise SystemExit("espeak-ng is not installed: apt-get install -y espeak-ng (or run with --text-only)") from None
        pcm, sample_rate = _read_pcm(clip)
        speech = _trim(pcm)
        chunks.append(b"\x00\x00" * int(round(pause * sample_rate)))
        t += pause
        duration = len(speech) / 2 / sample_rate
        chunks.append(speech)
        sentences.append(Sentence(section, text, t, t + duration))
        t += duration
    chunks.append(b"\x00\x00" * int(0.5 * sample_rate))
    out = workdir / "answer.wav"
    with wave.open(str(out), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(sample_rate)
        f.writeframes(b"".join(chunks))
    return out, sentences


def _true_label(word: Word, sentences: Sequence[Sentence]) -> Section:
    mid = (word.start_s + word.end_s) / 2
    return min(sentences, key=lambda s: 0.0 if s.start_s <= mid <= s.end_s else min(abs(mid - s.start_s), abs(mid - s.end_s))).section


def _section_times(starts: dict[Section, float], last_end_s: float) -> dict[Section, float]:
    ordered = sorted(starts.items(), key=lambda kv: kv[1])
    return {s: (ordered[i + 1][1] if i + 1 < len(ordered) else last_end_s) - t for i, (s, t) in enumerate(ordered)}


def score_run(answer_id: str, rate_wpm: int, transcript: Transcript, sentences: Sequence[Sentence], spans: Sequence[Span]) -> RunResult:
    detected = [s.section for s in spans for _ in s.words]
    truth = [_true_label(w, sentences) for w in transcript.words]
    true_starts: dict[Section, float] = {}
    for s in sentences:
        true_starts.setdefault(s.section, s.start_s)
    detected_starts = {s.section: s.start_s for s in spans}
    return RunResult(
        answer_id, rate_wpm, tuple(truth), tuple(detected), true_starts, detected_starts,
        _section_times(true_starts, sentences[-1].end_s),
        {s.section: s.duration_s for s in spans},
    )


# --- running ------------------------------------------------------------------------------------------

_transcriber: Any = None
_model: str | None = None


def _init_worker(model: str | None, text_only: bool, lazy: bool = False) -> None:
    """Load the model once per process (lazily with --cache: cached runs need none)."""
    global _transcriber, _model
    _model = model
    if not text_only and not lazy:
        from mockint.asr import WhisperTranscriber

        _transcriber = WhisperTranscriber(model)


def _recognise(answer: LabelledAnswer, rate_wpm: int, rng: random.Random, cache: Path | None) -> tuple[Transcript, list[Sentence]]:
    """Synthesise and transcribe, or reuse a cached transcript of the same answer at the same rate."""
    cached = cache / f"{answer.id}@{rate_wpm}.json" if cache else None
    if cached and cached.is_file():
        data = json.loads(cached.read_text(encoding="utf-8"))
        sentences = [Sentence(Section(s["section"]), s["text"], s["start_s"], s["end_s"]) for s in data["sentences"]]
        return Transcript.from_dict(data["transcript"]), sentences
    from mockint.audio import load_audio

    with tempfile.TemporaryDirectory(prefix="star-eval-") as tmp:
        wav, sentences = synthesise(answer, rate_wpm, rng, Path(tmp))
        recording = load_audio(wav)
    if _transcriber is None:
        _init_worker(_model, False)
    transcript = _transcriber.transcribe(recording)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        data = {"transcript": transcript.to_dict(), "sentences": [
            {"section": s.section.value, "text": s.text, "start_s": s.start_s, "end_s": s.end_s} for s in sentences]}
        cached.write_text(json.dumps(data), encoding="utf-8")
    return transcript, sentences


def run_one(answer: LabelledAnswer, rate_wpm: int, text_only: bool, strip_punctuation: bool, cache: Path | None = None) -> RunResult:
    rng = random.Random(f"{answer.id}:{rate_wpm}")
    if text_only:
        transcript, sentences = text_transcript(answer, rate_wpm, rng, strip_punctuation=strip_punctuation)
    else:
        transcript, sentences = _recognise(answer, rate_wpm, rng, cache)
        if strip_punctuation:
            transcript = Transcript(
                tuple(Word(re.sub(r"[.,!?;:]+$", "", w.text) or w.text, w.start_s, w.end_s, w.probability) for w in transcript.words),
                transcript.duration_s,
            )
    return score_run(answer.id, rate_wpm, transcript, sentences, segment(transcript))


@dataclass
class Report:
    runs: list[RunResult] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        words = sum(len(r.truth) for r in self.runs)
        correct = sum(sum(a == b for a, b in zip(r.truth, r.detected)) for r in self.runs)
        boundary = [
            abs(r.detected_starts[s] - t)
            for r in self.runs
            for s, t in r.true_starts.items()
            if s in r.detected_starts and t > min(r.true_starts.values())
        ]
        per_section: dict[str, dict[str, Any]] = {}
        for s in SECTION_ORDER:
            tp = sum(sum(a == s and b == s for a, b in zip(r.truth, r.detected)) for r in self.runs)
            n_true = sum(r.truth.count(s) for r in self.runs)
            n_det = sum(r.detected.count(s) for r in self.runs)
            dur = [abs(r.detected_durations[s] - r.true_durations[s]) for r in self.runs
                   if s in r.detected_durations and s in r.true_durations]
            per_section[s.value] = {
                "precision": tp / n_det if n_det else None,
                "recall": tp / n_true if n_true else None,
                "median_duration_error_s": statistics.median(dur) if dur else None,
                "missing": sum(s in r.true_starts and s not in r.detected_starts for r in self.runs),
                "spurious": sum(s in r.detected_starts and s not in r.true_starts for r in self.runs),
            }
        return {
            "runs": len(self.runs),
            "answers": len({r.answer_id for r in self.runs}),
            "word_accuracy": correct / words if words else 0.0,
            "median_boundary_error_s": statistics.median(boundary) if boundary else 0.0,
            "p90_boundary_error_s": _percentile(boundary, 0.9),
            "missing": sum(v["missing"] for v in per_section.values()),
            "spurious": sum(v["spurious"] for v in per_section.values()),
            "runs_with_spurious": sum(any(s not in r.true_starts for s in r.detected_starts) for r in self.runs),
            "sections": per_section,
        }


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _fmt(v: float | None, spec: str) -> str:
    return "-" if v is None else format(v, spec)


_LETTER = dict(zip(SECTION_ORDER, "STARX"))  # X: reflection


def print_report(report: Report, per_answer: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    fig = report.figures()
    if per_answer:
        for r in sorted(report.runs, key=lambda r: (r.accuracy, r.answer_id)):
            true_order = "".join(_LETTER[s] for s in SECTION_ORDER if s in r.true_starts)
            got_order = "".join(_LETTER[s] for s in SECTION_ORDER if s in r.detected_starts)
            console.print(f"{r.accuracy:6.1%}  {r.rate_wpm:>3}  {r.answer_id:<34} truth={true_order:<5} got={got_order}")
    table = Table(title=f"STAR detection: {fig['answers']} answers, {fig['runs']} runs")
    for col in ("section", "precision", "recall", "median duration error", "missing", "spurious"):
        table.add_column(col, justify="left" if col == "section" else "right")
    for name, v in fig["sections"].items():
        table.add_row(name, _fmt(v["precision"], ".1%"), _fmt(v["recall"], ".1%"),
                      _fmt(v["median_duration_error_s"], ".2f") + " s", str(v["missing"]), str(v["spurious"]))
    console.print(table)
    console.print(f"runs with a spurious section: {fig['runs_with_spurious']} of {fig['runs']}")
    print(
        f"star-eval: word_accuracy={fig['word_accuracy']:.1%} median_boundary_error={fig['median_boundary_error_s']:.2f}s "
        f"p90_boundary_error={fig['p90_boundary_error_s']:.2f}s missing={fig['missing']} spurious={fig['spurious']} "
        f"answers={fig['answers']} runs={fig['runs']}"
    )


def main(argv: Sequence[str] | None = None) -> Report:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="labelled answers (JSON, PRODUCT.md evaluation format)")
    parser.add_argument("--text-only", action="store_true", help="skip audio: estimated word times from the text")
    parser.add_argument("--jobs", type=int, default=1, help="answers evaluated in parallel (processes)")
    parser.add_argument("--rates", default="140,175", help="espeak-ng speaking rates, words per minute")
    parser.add_argument("--model", default=None, help="faster-whisper model (default: the bundled one)")
    parser.add_argument("--no-punctuation", action="store_true", help="strip punctuation from the transcript")
    parser.add_argument("--per-answer", action="store_true", help="print each run's accuracy, worst first")
    parser.add_argument("--limit", type=int, default=None, help="only the first N answers")
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep each run's transcript here and reuse it (for re-scoring after a detector change)")
    args = parser.parse_args(argv)

    answers = load_answers(args.data)[: args.limit]
    rates = [int(r) for r in args.rates.split(",") if r.strip()]
    jobs = [(a, r) for a in answers for r in rates]
    report = Report()
    if args.jobs <= 1:
        _init_worker(args.model, args.text_only, lazy=args.cache is not None)
        report.runs = [run_one(a, r, args.text_only, args.no_punctuation, args.cache) for a, r in jobs]
    else:
        with ProcessPoolExecutor(args.jobs, initializer=_init_worker,
                                 initargs=(args.model, args.text_only, args.cache is not None)) as pool:
            futures = [pool.submit(run_one, a, r, args.text_only, args.no_punctuation, args.cache) for a, r in jobs]
            report.runs = [f.result() for f in futures]
    print_report(report, args.per_answer)
    return report


if __name__ == "__main__":
    main()
