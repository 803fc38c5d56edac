"""Check labelled STAR answer files against scripts/data/LABELLING.md: format, ids, labels, and a summary.

    python3 scripts/check_star_data.py scripts/data/corpus/*.json

Exits 1 on a format error (prints every one); prints per-file and overall counts of styles, fields,
sections present, word shares per label and answer lengths.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

LABELS = ("situation", "task", "action", "result", "reflection")
STYLES = {"terse", "long", "spoken", "rambling", "nonnative", "we", "unmarked", "pastperfect", "list", "sar",
          "tar", "car", "soar", "headline", "reflection", "lesson", "weak"}
ID_RE = re.compile(r"^([a-z0-9]+)-([a-z]+)-([a-z]+)-(\d{2,3})$")


def check(paths: list[Path]) -> int:
    errors: list[str] = []
    ids: set[str] = set()
    styles: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    present: Counter[str] = Counter()
    words: Counter[str] = Counter()
    lengths: list[int] = []
    n = 0
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            errors.append(f"{path}: {e}")
            continue
        if not isinstance(data, list):
            errors.append(f"{path}: not a JSON list")
            continue
        for k, a in enumerate(data):
            where = f"{path}[{k}]"
            if not isinstance(a, dict) or set(a) != {"id", "question", "sections"}:
                errors.append(f"{where}: keys must be id, question, sections")
                continue
            m = ID_RE.match(str(a["id"]))
            if not m:
                errors.append(f"{where}: id {a['id']!r} is not <writer>-<style>-<field>-<nn>")
            elif m.group(2) not in STYLES:
                errors.append(f"{where}: unknown style {m.group(2)!r}")
            else:
                styles[m.group(2)] += 1
                fields[m.group(3)] += 1
            if a["id"] in ids:
                errors.append(f"{where}: duplicate id {a['id']}")
            ids.add(a["id"])
            secs = a["sections"]
            if not isinstance(secs, list) or not secs:
                errors.append(f"{where}: no sections")
                continue
            prev = None
            total = 0
            for s in secs:
                if not isinstance(s, dict) or set(s) != {"label", "text"} or s["label"] not in LABELS:
                    errors.append(f"{where}: bad section {s!r:.80}")
                    continue
                if s["label"] == prev:
                    errors.append(f"{where}: two neighbouring {prev} sections; merge them")
                if not str(s["text"]).strip():
                    errors.append(f"{where}: empty {s['label']} text")
                prev = s["label"]
                c = len(str(s["text"]).split())
                words[s["label"]] += c
                total += c
            for label in {s.get("label") for s in secs if isinstance(s, dict)}:
                present[str(label)] += 1
            lengths.append(total)
            n += 1
    for e in errors:
        print("ERROR", e)
    all_words = sum(words.values()) or 1
    print(f"{n} answers, {len(fields)} fields, words per answer {min(lengths, default=0)}-{max(lengths, default=0)} "
          f"(median {sorted(lengths)[len(lengths) // 2] if lengths else 0})")
    print("sections present:", ", ".join(f"{l} {present[l]}/{n}" for l in LABELS))
    print("share of words:", ", ".join(f"{l} {100 * words[l] / all_words:.0f}%" for l in LABELS))
    print("styles:", dict(styles.most_common()))
    print("fields:", dict(fields.most_common()))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(check([Path(p) for p in sys.argv[1:]]))
