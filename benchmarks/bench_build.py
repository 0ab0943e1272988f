"""Scale of `zhibiao build`: wall time, peak memory and facts/s on synthetic corpora, and an incremental build.

    uv run --frozen python benchmarks/bench_build.py [--docs 1000 10000] [--workdir /tmp/zhibiao-bench]

For each size: writes that many synthetic reports (pipelines.synth), runs a full build as a child process (the way a
user runs it), then adds one new report and runs the default incremental build. Peak memory is the largest resident
set of the build process and its workers (getrusage of the children). Not a test.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from pipelines.synth import corpus_text, generate_corpus

SEED = 7


def run_build(raw: Path, target: Path, *extra: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `zhibiao build` in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "build", "--raw-dir", str(raw), "--warehouse", str(target), *extra],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def count(target: Path, table: str) -> int:
    con = duckdb.connect(str(target), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zhibiao-bench"))
    args = parser.parse_args()
    print(f"{'documents':>9} {'MB':>6} {'full build s':>12} {'peak MB':>8} {'facts':>8} {'facts/s':>8} "
          f"{'+1 file s':>9}")
    for n in args.docs:
        raw, target = args.workdir / f"raw_{n}", args.workdir / f"w_{n}.duckdb"
        shutil.rmtree(raw, ignore_errors=True)
        target.unlink(missing_ok=True)
        generate_corpus(n, SEED, raw)
        megabytes = sum(p.stat().st_size for p in raw.iterdir()) / 1e6
        wall, peak = run_build(raw, target, "--full")
        facts = count(target, "facts")
        (raw / "added_one.txt").write_text(corpus_text(SEED + 1, 0), encoding="utf-8")
        incremental, _ = run_build(raw, target)
        print(f"{n:>9} {megabytes:>6.1f} {wall:>12.1f} {peak:>8.0f} {facts:>8} {facts / wall:>8.0f} {incremental:>9.1f}")


if __name__ == "__main__":
    main()
