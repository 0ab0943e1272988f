"""Scale of `zhibiao build`: full-build wall time and peak memory, and the cost of adding, changing and deleting one
file, on synthetic corpora.

    uv run --frozen python benchmarks/bench_build.py [--docs 1000 30000 100000] [--workdir /tmp/zhibiao-bench]

For each size: writes that many synthetic reports (pipelines.synth), runs a full build as a child process (the way a
user runs it), then three default incremental builds: one new report added, one report changed, one deleted. Peak
memory is the largest sum of resident sets of the build process and all its descendants (the extraction workers),
sampled every 50 ms from /proc. Not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from pipelines.synth import corpus_text, generate_corpus

SEED = 7
SAMPLE_SECONDS = 0.05


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid], rss[pid] = int(fields[1]), int(fields[21])  # ppid, rss in pages
    tree, frontier = {root}, [root]
    while frontier:
        children = [pid for pid, ppid in parents.items() if ppid in frontier and pid not in tree]
        tree.update(children)
        frontier = children
    return sum(rss.get(pid, 0) for pid in tree) * os.sysconf("SC_PAGE_SIZE") / 1e6


def run_build(raw: Path, target: Path, *extra: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, build and workers together) of one `zhibiao build` in a child process."""
    started = time.perf_counter()
    build = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "build", "--raw-dir", str(raw), "--warehouse", str(target), *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    peak = 0.0
    while build.poll() is None:
        peak = max(peak, _tree_rss_mb(build.pid))
        time.sleep(SAMPLE_SECONDS)
    wall = time.perf_counter() - started
    if build.returncode:
        raise SystemExit(f"build failed: {build.stderr.read()[-2000:]}")
    return wall, peak


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
    print(f"{'documents':>9} {'MB':>6} {'full s':>7} {'peak MB':>8} {'facts':>9} {'facts/s':>8} {'file MB':>8} "
          f"{'+1 s':>6} {'change s':>8} {'delete s':>8} {'incr. peak MB':>13}", flush=True)
    for n in args.docs:
        raw, target = args.workdir / f"raw_{n}", args.workdir / f"w_{n}.duckdb"
        shutil.rmtree(raw, ignore_errors=True)
        target.unlink(missing_ok=True)
        generate_corpus(n, SEED, raw)
        files = sorted(raw.iterdir())
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        wall, peak = run_build(raw, target, "--full")
        facts = count(target, "facts")
        (raw / "added_one.txt").write_text(corpus_text(SEED + 1, 0), encoding="utf-8")
        added, peak_add = run_build(raw, target)
        files[0].write_text(corpus_text(SEED + 2, 0), encoding="utf-8")
        changed, peak_change = run_build(raw, target)
        files[1].unlink()
        deleted, peak_delete = run_build(raw, target)
        print(f"{n:>9} {megabytes:>6.1f} {wall:>7.1f} {peak:>8.0f} {facts:>9} {facts / wall:>8.0f} "
              f"{target.stat().st_size / 1e6:>8.0f} {added:>6.1f} {changed:>8.1f} {deleted:>8.1f} "
              f"{max(peak_add, peak_change, peak_delete):>13.0f}", flush=True)


if __name__ == "__main__":
    main()
