"""How often the live view's STAR label is right while the answer is spoken (scripts/data/*.json answers).

    .venv/bin/python scripts/eval_live_label.py scripts/data/heldout/*.json [--every-s 2.5] [--behind-s 1.5]

Each labelled answer is timed at 150 words per minute (tests/answers.py), and its transcript so far is given to
the live view's SectionFollower every `--every-s` seconds, `--behind-s` behind the speaker, as the practice
screen gets it. What is shown is sampled every quarter second and scored as tests/test_livesection.py does
(tests/following.py): right if it is the true section or the one before within 3 s of a change; a false
"over" is red shown while the true section is within its target; a move back is a flip to an earlier section.
`--baseline` also scores the whole-answer segmenter's last span on the words so far, unsettled.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "tests"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from answers import build  # noqa: E402
from following import follow_score  # noqa: E402
from test_livesection import TARGETS, _naive, fed, stream  # noqa: E402

from mockint.star import Section  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, nargs="+")
    ap.add_argument("--every-s", type=float, default=2.5)
    ap.add_argument("--behind-s", type=float, default=1.5)
    ap.add_argument("--baseline", action="store_true")
    args = ap.parse_args(argv)
    answers = [build([(Section(s["label"]), s["text"]) for s in a["sections"]], wpm=150)
               for f in args.data for a in json.loads(f.read_text(encoding="utf-8"))]
    runs = {"live view": [follow_score(stream(a, every_s=args.every_s, behind_s=args.behind_s), fed(a), TARGETS) for a in answers]}
    if args.baseline:
        runs["whole-answer segmenter, last span"] = [follow_score(_naive(a), fed(a), TARGETS) for a in answers]
    for name, results in runs.items():
        moments = sum(r.moments for r in results)
        print(f"{name}: {len(results)} answers, right {sum(r.right_share for r in results) / len(results):.1%} of the time "
              f"(mean per answer), false 'over' {sum(len(r.false_overs) for r in results)} of {moments} moments, "
              f"moves back {sum(r.back_moves for r in results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
