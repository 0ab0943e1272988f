"""Throughput of pipelines.mentions: all seeds concatenated x300 (about 13 M characters), chars per second of
CPU time (process time, so other processes on the machine disturb it less). Sentences come from
pipelines.segment, outside the timing.

Run: uv run --frozen python benchmarks/bench_mentions.py [path/to/seeds]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pipelines.mentions import extract_mentions
from pipelines.segment import segment

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
REPEAT = 300


def main() -> None:
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else SEEDS
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.txt"))) * REPEAT
    _, sentences = segment("bench", text)
    best = float("inf")
    for _ in range(3):
        began = time.process_time()
        mentions = extract_mentions("bench", text, sentences)
        best = min(best, time.process_time() - began)
    print(f"{len(text):,} chars, {len(mentions):,} mentions, best of 3: {best:.2f} s, "
          f"{len(text) / best / 1e6:.2f} M chars/s")


if __name__ == "__main__":
    main()
