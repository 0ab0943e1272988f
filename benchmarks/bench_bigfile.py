"""One big file of each awkward shape through `zhibiao build`: wall time and peak memory.

    uv run --frozen python benchmarks/bench_bigfile.py [--mb 5 50] [--shapes report table ...] [--cap-gb 8]

Each shape is one UTF-8 file of about `--mb` MB, written with varied figures (its own generator per shape):
- report: synthetic reports (pipelines.synth) one after another, one document with many sections and sentences;
- endless_sentence: clauses joined by , and ; on one line, no 。 anywhere;
- no_punctuation: one line of clauses with no punctuation at all;
- pipe_table: one markdown table of a million rows under a short heading;
- tiny_sections: numbered headings each over one short sentence.

Each build runs as a child process (the way a user runs it). Peak memory is the largest resident set of the build
and its workers, polled every 0.1 s; a build passing `--cap-gb` is killed and reported as over the cap, so that a
shape the code cannot bear does not take the machine down. Not a test.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import psutil

from pipelines.synth import corpus_text

INDICATORS = ("高新技术企业", "科技型中小企业", "技术合同成交额", "发明专利授权量", "研发投入", "省级研发平台")
UNITS = ("家", "亿元", "件", "项", "个")


def _figure(rng: random.Random) -> str:
    return f"{rng.randint(1, 9999)}.{rng.randint(0, 9)}{rng.choice(UNITS)}"


def _report(rng: random.Random) -> Iterator[str]:
    seed = rng.randint(0, 10**6)
    for i in range(10**9):
        yield corpus_text(seed, i) + "\n"


def _clauses(rng: random.Random, separators: tuple[str, ...]) -> Iterator[str]:
    yield "某市科技局工作总结\n"
    while True:
        yield (f"全市{rng.choice(INDICATORS)}达到{_figure(rng)}同比增长{rng.randint(1, 40)}.{rng.randint(0, 9)}%"
               f"{rng.choice(separators)}")


def _endless_sentence(rng: random.Random) -> Iterator[str]:
    return _clauses(rng, (",", ";", "，", "；"))


def _no_punctuation(rng: random.Random) -> Iterator[str]:
    return _clauses(rng, ("",))


def _pipe_table(rng: random.Random) -> Iterator[str]:
    yield "某市科技局工作总结\n一、主要指标完成情况\n| 指标 | 2022年 | 2023年 | 增长 |\n| --- | --- | --- | --- |\n"
    while True:
        yield (f"| {rng.choice(INDICATORS)}({rng.choice(UNITS)}) | {rng.randint(1, 9999)} | {rng.randint(1, 9999)} "
               f"| {rng.randint(1, 40)}.{rng.randint(0, 9)}% |\n")


def _tiny_sections(rng: random.Random) -> Iterator[str]:
    yield "某市科技局2023年工作总结\n"
    number = 0
    while True:
        number = number % 99 + 1
        yield f"{number}.{rng.choice(INDICATORS)}\n全市{rng.choice(INDICATORS)}达到{_figure(rng)}。\n"


SHAPES: dict[str, Callable[[random.Random], Iterator[str]]] = {
    "report": _report,
    "endless_sentence": _endless_sentence,
    "no_punctuation": _no_punctuation,
    "pipe_table": _pipe_table,
    "tiny_sections": _tiny_sections,
}


def write_shape(shape: str, megabytes: float, path: Path) -> int:
    """Write about `megabytes` MB of the shape to `path`, never more; returns the bytes written."""
    limit, written = int(megabytes * 1_000_000), 0
    with open(path, "w", encoding="utf-8") as f:
        for piece in SHAPES[shape](random.Random(shape)):
            size = len(piece.encode("utf-8"))
            if written + size > limit:
                break
            f.write(piece)
            written += size
    return written


def run_build(raw: Path, target: Path, cap_bytes: int, *extra: str) -> tuple[float, float, bool]:
    """Wall seconds, peak RSS in MB of the build and its workers, and whether it finished under the cap."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "build", "--raw-dir", str(raw), "--warehouse", str(target), *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    process, peak = psutil.Process(child.pid), 0
    while child.poll() is None:
        try:
            rss = sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])
        except psutil.NoSuchProcess:
            rss = 0
        peak = max(peak, rss)
        if rss > cap_bytes:
            for p in [*process.children(recursive=True), process]:
                p.kill()
            child.wait()
            return time.perf_counter() - started, peak / 2**20, False
        time.sleep(0.1)
    wall = time.perf_counter() - started
    if child.returncode != 0:
        sys.exit(f"build failed on {raw}:\n{child.stderr.read().decode()[-2000:]}")
    return wall, peak / 2**20, True


def counts(target: Path) -> tuple[int, int]:
    con = duckdb.connect(str(target), read_only=True)
    try:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("sentences", "facts"))
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[5, 50])
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
    parser.add_argument("--cap-gb", type=float, default=8)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zhibiao-bigfile"))
    args = parser.parse_args()
    print(f"{'shape':>16} {'MB':>5} {'build s':>8} {'peak MB':>8} {'sentences':>9} {'facts':>8}", flush=True)
    for megabytes in args.mb:
        for shape in args.shapes:
            raw, target = args.workdir / f"{shape}_{megabytes:g}", args.workdir / f"{shape}_{megabytes:g}.duckdb"
            shutil.rmtree(raw, ignore_errors=True)
            raw.mkdir(parents=True)
            target.unlink(missing_ok=True)
            size = write_shape(shape, megabytes, raw / f"{shape}.txt")
            wall, peak, finished = run_build(raw, target, int(args.cap_gb * 2**30), "--full",
                                             "--max-file-mb", str(megabytes + 1))
            if finished:
                sentences, facts = counts(target)
                print(f"{shape:>16} {size / 1e6:>5.1f} {wall:>8.1f} {peak:>8.0f} {sentences:>9} {facts:>8}", flush=True)
            else:
                print(f"{shape:>16} {size / 1e6:>5.1f} {wall:>8.1f} {'>' + str(round(peak)):>8} killed over the cap",
                      flush=True)
            shutil.rmtree(raw, ignore_errors=True)
            target.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
