"""Measure STAR detection on labelled answers: synthesise speech, run the real pipeline, compare.

    .venv/bin/python scripts/eval_star.py DATA.json [DATA.json ...] [--text-only] [--messy] [--jobs N]
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

`--messy` speaks each answer the way people do: fillers ("um", "uh"), false starts and self-repairs ("I
went- I went", "we- I mean I"), repeated words, 1-3 s thinking pauses in mid-sentence and an uneven pace; the
inserted words belong to the section they were said in. A labelled section that ends without a full stop
continues the sentence, so no pause is put at that boundary.

Figures are broken down by writer (the id's first part: `wa-…`) and by style (its second part: `wa-terse-…`).

Data (scripts/data/LABELLING.md): corpus/*.json, answers by four writers who saw only the labelling guide;
star_dev.json and star_holdout*.json, our own earlier answers (writer "lead"); the final held-out part,
written after all tuning, is in holdout/ and is scored once (see README).
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

    @property
    def writer(self) -> str:
        first = self.id.split("-")[0]
        return first if re.fullmatch(r"[wz][a-z]", first) and self.id.count("-") >= 3 else "lead"

    @property
    def style(self) -> str:
        parts = self.id.split("-")
        return parts[1] if self.writer != "lead" else "lead"


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


def load_answers(*paths: Path) -> list[LabelledAnswer]:
    answers = []
    for path in paths:
        for item in json.loads(path.read_text(encoding="utf-8")):
            try:
                sections = tuple(LabelledSection(Section(s["label"]), str(s["text"])) for s in item["sections"])
            except (KeyError, ValueError) as e:
                raise SystemExit(f"{path}: answer {item.get('id')!r}: {e}") from None
            # Any order is scored word by word (a headline Result first, or a writer's second Situation);
            # the segmenter itself only ever answers in STAR order, after an optional headline.
            answers.append(LabelledAnswer(str(item["id"]), str(item.get("question", "")), sections))
    return answers


def sentences_of(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _pauses(answer: LabelledAnswer, rng: random.Random, messy: bool = False) -> list[tuple[Section, str, float]]:
    """Each sentence (or part of one) with the silence before it: a section change draws none, short or long,
    and none where the section ends mid-sentence. With `messy`, spoken-style noise is added (`_messy`)."""
    out = []
    for k, labelled in enumerate(answer.sections):
        for j, sentence in enumerate(sentences_of(labelled.text)):
            if k == 0 and j == 0:
                pause = LEAD_SILENCE_S
            elif j == 0 and not re.search(r"[.!?][\"')\]]*$", answer.sections[k - 1].text.strip()):
                pause = 0.0  # the sentence runs on into the next section
            elif j == 0:
                kind = rng.choice(("none", "short", "long"))
                pause = 0.0 if kind == "none" else rng.uniform(*(SENTENCE_PAUSE_S if kind == "short" else LONG_PAUSE_S))
            else:
                pause = rng.uniform(*SENTENCE_PAUSE_S)
            if messy:
                for n, (part, extra) in enumerate(_messy(sentence, rng)):
                    out.append((labelled.section, part, pause if n == 0 else extra))
            else:
                out.append((labelled.section, sentence, pause))
    return out


_FILLER_WORDS = ("um,", "uh,", "um", "uh", "like,", "you know,")


def _messy(sentence: str, rng: random.Random) -> list[tuple[str, float]]:
    """The sentence as people say it: fillers, a false start or self-repair, a repeated word, and sometimes
    a 1-3 s thinking pause that splits it in two. Returns its parts and the pause before each (the first's
    pause is the caller's)."""
    words = sentence.split()
    out: list[str] = []
    for i, w in enumerate(words):
        roll = rng.random()
        if roll < 0.05:
            out.append(rng.choice(_FILLER_WORDS))
        elif roll < 0.07 and i + 1 < len(words):
            out += [f"{w}-"]  # false start: the word begun, then said again
        elif roll < 0.09:
            out.append(w.strip(".,;:!?"))  # a repeated word
        elif roll < 0.10 and w.lower() in ("we", "i", "they"):
            out += [f"{w}-", "I mean"]  # self-repair
        out.append(w)
    if len(out) > 8 and rng.random() < 0.25:
        cut = rng.randrange(3, len(out) - 3)
        return [(" ".join(out[:cut]), 0.0), (" ".join(out[cut:]), rng.uniform(1.0, 3.0))]
    return [(" ".join(out), 0.0)]


def text_transcript(
    answer: LabelledAnswer, rate_wpm: int, rng: random.Random, *, strip_punctuation: bool = False, messy: bool = False
) -> tuple[Transcript, list[Sentence]]:
    """The labelled words with estimated times: longer words take longer, pauses as in the audio."""
    words: list[Word] = []
    sentences: list[Sentence] = []
    t = 0.0
    for section, text, pause in _pauses(answer, rng, messy):
        t += pause
        start = t
        mean_s = 60.0 / (rate_wpm * (rng.uniform(0.8, 1.25) if messy else 1.0))
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


def synthesise(
    answer: LabelledAnswer, rate_wpm: int, rng: random.Random, workdir: Path, messy: bool = False
) -> tuple[Path, list[Sentence]]:
    """Speak each sentence with espeak-ng and join them with chosen silences; returns the WAV and truth."""
    chunks: list[bytes] = []
    sentences: list[Sentence] = []
    sample_rate = 0
    t = 0.0
    for k, (section, text, pause) in enumerate(_pauses(answer, rng, messy)):
        clip = workdir / f"s{k}.wav"
        rate = int(rate_wpm * rng.uniform(0.8, 1.25)) if messy else rate_wpm
        try:
            subprocess.run(["espeak-ng", "-s", str(rate), "-w", str(clip)], input=text.encode(), check=True,
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
    detected_starts: dict[Section, float] = {}
    detected_durations: dict[Section, float] = {}
    for span in spans:
        detected_starts.setdefault(span.section, span.start_s)
        detected_durations[span.section] = detected_durations.get(span.section, 0.0) + span.duration_s
    return RunResult(
        answer_id, rate_wpm, tuple(truth), tuple(detected), true_starts, detected_starts,
        _section_times(true_starts, sentences[-1].end_s), detected_durations,
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


def _recognise(
    answer: LabelledAnswer, rate_wpm: int, rng: random.Random, cache: Path | None, messy: bool = False
) -> tuple[Transcript, list[Sentence]]:
    """Synthesise and transcribe, or reuse a cached transcript of the same answer at the same rate."""
    cached = cache / f"{answer.id}@{rate_wpm}{'-messy' if messy else ''}.json" if cache else None
    if cached and cached.is_file():
        data = json.loads(cached.read_text(encoding="utf-8"))
        sentences = [Sentence(Section(s["section"]), s["text"], s["start_s"], s["end_s"]) for s in data["sentences"]]
        return Transcript.from_dict(data["transcript"]), sentences
    from mockint.audio import load_audio

    with tempfile.TemporaryDirectory(prefix="star-eval-") as tmp:
        wav, sentences = synthesise(answer, rate_wpm, rng, Path(tmp), messy)
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


def run_one(
    answer: LabelledAnswer, rate_wpm: int, text_only: bool, strip_punctuation: bool, cache: Path | None = None,
    messy: bool = False,
) -> RunResult:
    rng = random.Random(f"{answer.id}:{rate_wpm}")
    if text_only:
        transcript, sentences = text_transcript(answer, rate_wpm, rng, strip_punctuation=strip_punctuation, messy=messy)
    else:
        transcript, sentences = _recognise(answer, rate_wpm, rng, cache, messy)
        if strip_punctuation:
            transcript = Transcript(
                tuple(Word(re.sub(r"[.,!?;:]+$", "", w.text) or w.text, w.start_s, w.end_s, w.probability) for w in transcript.words),
                transcript.duration_s,
            )
    return score_run(answer.id, rate_wpm, transcript, sentences, segment(transcript))


@dataclass
class Report:
    runs: list[RunResult] = field(default_factory=list)

    def _by(self, key: Any) -> dict[str, float]:
        groups: dict[str, list[RunResult]] = {}
        for r in self.runs:
            groups.setdefault(key(r), []).append(r)
        return {k: round(_group_accuracy(v), 4) for k, v in sorted(groups.items())}

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
            "by_writer": self._by(lambda r: LabelledAnswer(r.answer_id, "", ()).writer),
            "by_style": self._by(lambda r: LabelledAnswer(r.answer_id, "", ()).style),
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


def _group_accuracy(runs: Sequence[RunResult]) -> float:
    words = sum(len(r.truth) for r in runs)
    return sum(sum(a == b for a, b in zip(r.truth, r.detected)) for r in runs) / words if words else 0.0


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
    for name in ("by_writer", "by_style"):
        if len(fig[name]) > 1:
            console.print(f"word accuracy {name.replace('_', ' ')}: " + ", ".join(f"{k} {v:.1%}" for k, v in fig[name].items()))
    print(
        f"star-eval: word_accuracy={fig['word_accuracy']:.1%} median_boundary_error={fig['median_boundary_error_s']:.2f}s "
        f"p90_boundary_error={fig['p90_boundary_error_s']:.2f}s missing={fig['missing']} spurious={fig['spurious']} "
        f"answers={fig['answers']} runs={fig['runs']}"
    )


def main(argv: Sequence[str] | None = None) -> Report:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, nargs="+", help="labelled answers (JSON, PRODUCT.md evaluation format)")
    parser.add_argument("--messy", action="store_true", help="speak the way people do: fillers, restarts, mid-sentence pauses")
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

    answers = load_answers(*args.data)[: args.limit]
    rates = [int(r) for r in args.rates.split(",") if r.strip()]
    jobs = [(a, r) for a in answers for r in rates]
    report = Report()
    if args.jobs <= 1:
        _init_worker(args.model, args.text_only, lazy=args.cache is not None)
        report.runs = [run_one(a, r, args.text_only, args.no_punctuation, args.cache, args.messy) for a, r in jobs]
    else:
        with ProcessPoolExecutor(args.jobs, initializer=_init_worker,
                                 initargs=(args.model, args.text_only, args.cache is not None)) as pool:
            futures = [pool.submit(run_one, a, r, args.text_only, args.no_punctuation, args.cache, args.messy) for a, r in jobs]
            report.runs = [f.result() for f in futures]
    print_report(report, args.per_answer)
    return report


if __name__ == "__main__":
    main()
