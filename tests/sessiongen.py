"""Generated sessions for tests and benchmarks: realistic answers with word timings, no audio model.

Answers are built from a few spoken texts (a strong STAR answer, a weak "we" answer, a middling one)
at a speaking rate with pauses between sentences, so the STAR detector and the rubric have real words to work on.
"""

from __future__ import annotations

import random
import struct
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mockint.bank import Level
from mockint.session import ScoreRecord, Session, Turn, TurnKind
from mockint.store import new_session_id, save
from mockint.transcript import Transcript, Word

STRONG = (
    "At Amazon, I observed a 0.3% webhook drop rate in the Platform team's payment notification service "
    "causing delayed payment confirmations. This was outside my team's scope and had no existing ticket or alert. "
    "This service belonged to the Platform team, not my team. No ticket existed and nobody had asked me to "
    "investigate the webhook drop issue, but I decided to take ownership and fix it. "
    "I pulled the webhook delivery logs to analyze failure patterns. I traced the root cause to intermittent "
    "network timeouts in the Platform team's service. I reproduced the failure locally to confirm the issue. "
    "I wrote a minimal fix adding retry logic with exponential backoff. I added a dead letter queue alert to catch "
    "future drops. I submitted a ready-to-merge PR to the Platform team and coordinated the rollout. "
    "The webhook drop rate dropped from 0.3% to zero. The post-mortem estimated this recovered $8K in weekly "
    "revenue by preventing delayed payments. The Platform team adopted my dead letter queue alert pattern as a "
    "standard in their webhook templates, improving overall reliability. "
    "Looking back, the root cause was an organizational gap: no shared webhook reliability SLO across teams. "
    "That lack of shared visibility created systemic risk beyond the code."
)
WEAK = (
    "So our team had a payments service and there were some webhook issues. My manager suggested I look into "
    "this since I had bandwidth. We figured out the root cause together and we fixed it. I escalated it and "
    "sent them a Slack message and they handled it. Things got better and the team was happy. "
    "I learned communication is important."
)
MIDDLING = (
    "In my last role I worked on the checkout service, and we had a latency problem during the holiday sale. "
    "Nobody owned the cache layer, so I took it on myself. I measured the p99 latency and found the cache "
    "misses. We rolled out a new cache key scheme and I wrote the load test. Latency went from 900 milliseconds "
    "to 300 milliseconds. I learned to measure before changing anything."
)
PROBE_ANSWER = (
    "I reproduced the drop rate in staging, showed them the numbers, and offered to write the fix myself. "
    "They disagreed at first, but once they made the call I committed fully and shipped their version."
)
ANSWERS = (STRONG, WEAK, MIDDLING)


def timed_transcript(text: str, *, words_per_s: float = 2.5, pause_s: float = 0.6, lead_s: float = 1.0) -> Transcript:
    """Words of `text` spoken at `words_per_s`, with `pause_s` of silence after each sentence."""
    words: list[Word] = []
    t = lead_s
    step = 1.0 / words_per_s
    for token in text.split():
        words.append(Word(token, round(t, 3), round(t + step * 0.85, 3), 0.9))
        t += step
        if token.endswith((".", "?", "!")):
            t += pause_s
    return Transcript(tuple(words), round(t + 0.5, 3))


def make_session(
    question_id: str,
    *,
    now: datetime,
    text: str = STRONG,
    level: Level = Level.SDE2,
    with_probe: bool = True,
    taken: frozenset[str] | set[str] = frozenset(),
    words_per_s: float = 2.5,
    old_score: int | None = None,
) -> Session:
    """A session as the practice loop saves it; `old_score` adds a score from an older rubric version."""
    turns = [Turn(TurnKind.ANSWER, f"Question {question_id}", "answer.wav", timed_transcript(text, words_per_s=words_per_s))]
    if with_probe:
        turns.append(Turn(TurnKind.PROBE, "How did you get them to agree?", "probe-1.wav", timed_transcript(PROBE_ANSWER), 0))
    return Session(
        id=new_session_id(now, question_id, taken),
        created_at=now.isoformat(timespec="seconds"),
        question_id=question_id,
        level=level,
        lp=None,
        model="base",
        turns=tuple(turns),
        scores=() if old_score is None else (old_score_record(now, old_score),),
    )


def old_score_record(now: datetime, overall: int) -> ScoreRecord:
    return ScoreRecord(now.isoformat(timespec="seconds"), "2025.01.0", "base", overall, "Lean Hire", None, (),
                       raw_scorecard={"overall": overall}, raw_judgements=())


def save_history(root: Path, start: datetime = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)) -> Path:
    """Four saved sessions under `root`: a weak, a middling and a strong attempt at one question (old scores
    40, 60, 80), then a strong Senior answer to another, unscored."""
    taken: set[str] = set()
    for i, text in enumerate((WEAK, MIDDLING, STRONG)):
        s = make_session("disagree-and-commit", now=start + timedelta(days=i), text=text, taken=taken, old_score=40 + 20 * i)
        save(s, root / s.id)
        taken.add(s.id)
    s = make_session("refused-to-ship", now=start + timedelta(days=4), text=STRONG, level=Level.SENIOR)
    save(s, root / s.id)
    return root


def write_silence_wav(path: Path, duration_s: float, rate_hz: int = 16_000) -> None:
    """A small valid 16-bit mono WAV (quiet noise so it is not all zeros)."""
    rng = random.Random(len(path.name))
    n = int(duration_s * rate_hz)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate_hz)
        w.writeframes(struct.pack(f"<{n}h", *(rng.randint(-30, 30) for _ in range(n))))


def make_session_folders(
    root: Path,
    count: int,
    question_ids: tuple[str, ...],
    *,
    start: datetime = datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
    wav_s: float = 0.05,
    seed: int = 7,
) -> list[Path]:
    """`count` saved sessions under `root`, cycling over questions, answer styles and levels, with small WAVs."""
    rng = random.Random(seed)
    folders = []
    taken: set[str] = set()
    for i in range(count):
        now = start + timedelta(hours=7 * i, minutes=rng.randint(0, 59))
        s = make_session(
            question_ids[i % len(question_ids)],
            now=now,
            text=ANSWERS[rng.randrange(len(ANSWERS))],
            level=tuple(Level)[i % 3],
            taken=taken,
            words_per_s=rng.uniform(2.0, 3.0),
            old_score=rng.randint(20, 90),
        )
        taken.add(s.id)
        folder = root / s.id
        save(s, folder)
        write_silence_wav(folder / "answer.wav", wav_s)
        write_silence_wav(folder / "probe-1.wav", wav_s)
        folders.append(folder)
    return folders
