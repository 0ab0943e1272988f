"""`zhibiao build` and `zhibiao evaluate`.

`build` materialises every Dagster asset of the code location in-process (no UI, no daemon), then prints a short
summary read back from the published warehouse.
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata
import contextlib
import errno
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import duckdb

from pipelines import warehouse
from pipelines.defs.resources import DEFAULT_WAREHOUSE, SAMPLE_CORPUS, BuildSettings


class _HelpWithDefaults(argparse.ArgumentDefaultsHelpFormatter):
    """--help gives each option's default, except where there is none to give (a flag, an optional file)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False, []) or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


def _at_least_one(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number} (leave it out for one per core)")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhibiao", description=__doc__.splitlines()[0],
                                     formatter_class=_HelpWithDefaults)
    parser.add_argument("--version", action="version", version=f"%(prog)s {importlib.metadata.version('zhibiao')}")
    commands = parser.add_subparsers(dest="command", required=True)
    command = functools.partial(commands.add_parser, formatter_class=_HelpWithDefaults)

    build = command("build", help="build the warehouse from a folder of reports")
    build.add_argument("--raw-dir", type=Path, default=SAMPLE_CORPUS, help="folder of reports (read recursively)")
    build.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="DuckDB file to publish")
    build.add_argument("--gdp", type=Path, help="CSV of GDP figures (region,year,gdp_100m_cny,...) to join")
    build.add_argument("--full", action="store_true", help="re-extract every document instead of reusing unchanged ones")
    build.add_argument("--max-file-mb", type=float, default=50, help="larger files are rejected")
    build.add_argument("--workers", type=_at_least_one, help="extraction processes (default: one per core)")
    build.add_argument("--verbose", action="store_true", help="also print Dagster's log lines")
    build.add_argument("--force", action="store_true",
                       help="replace the --warehouse file even if it is not a warehouse zhibiao wrote")

    evaluate = command("evaluate", help="precision, recall and F1 of a warehouse against gold facts")
    evaluate.add_argument("--gold", type=Path, required=True,
                          help="the seeds' gold CSV, or a corpus gold JSONL file or folder (scored as score.py)")
    evaluate.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)

    export = command("export", help="the facts (readable: Chinese names, units as written) and any "
                                 "table or view to .csv, .parquet or .xlsx")
    export.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="the warehouse to read")
    export.add_argument("--to", type=Path, required=True, help="file to write; its suffix names the format")
    export.add_argument("--table", action="append", default=[], metavar="T",
                        help="a further table or view to write (repeatable)")

    show = command("show", help="a report's text with every fact marked, beside its fact table, as one "
                               "self-contained HTML page")
    show.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="the warehouse to read")
    which = show.add_mutually_exclusive_group(required=True)
    which.add_argument("--doc", metavar="DOC_ID_OR_FILE", help="the report: its doc_id or its file name")
    which.add_argument("--all", action="store_true", help="every report: --out is then a folder (index.html)")
    show.add_argument("--out", type=Path, required=True, help="the page to write (a folder with --all)")

    args = parser.parse_args(argv)
    if args.command == "build":
        return run_build(args)
    if not args.warehouse.is_file():  # show, export and evaluate read a published warehouse
        return _fail(f"warehouse {args.warehouse} does not exist", 2)
    if args.command == "show":
        from pipelines.show import run as run_show

        return run_show(args.warehouse, args.out, None if args.all else args.doc)
    if args.command == "export":
        from pipelines.export import run as run_export

        return run_export(args.warehouse, args.to, args.table)
    return run_evaluate(args)


def _fail(message: str, code: int = 1) -> int:
    print(f"zhibiao: {message}", file=sys.stderr)
    return code


def run_build(args: argparse.Namespace) -> int:
    # What can be checked is checked before the slow work: a bad argument fails in a second.
    if not args.raw_dir.is_dir():
        return _fail(f"raw folder {args.raw_dir} does not exist or is not a folder", 2)
    if args.gdp:
        from pipelines import derive

        try:
            derive.load_reference_gdp(args.gdp)
        except (OSError, ValueError) as error:
            return _fail(f"cannot use the GDP file: {_plain(error)}", 2)
    target = args.warehouse.absolute()
    try:
        warehouse.check_target(target, force=args.force)
    except warehouse.TargetRefused as error:
        return _fail(f"refused: {error}", 2)
    from pipelines.definitions import ASSETS
    from pipelines.defs.checks import warehouse_checks

    settings = BuildSettings(
        raw_dir=str(args.raw_dir.resolve()),
        warehouse=str(target.resolve()),
        reference_gdp=str(args.gdp.resolve()) if args.gdp else "",
        full=args.full,
        max_file_bytes=int(args.max_file_mb * 1_000_000),
        workers=args.workers or 0,  # 0: one per core
        force=args.force,
    )
    target = settings.warehouse_path
    existed = target.exists()
    started = time.perf_counter()
    print(f"zhibiao: building {args.warehouse} from {args.raw_dir}", file=sys.stderr)

    def build() -> dg.ExecuteInProcessResult:
        # Made, used and closed in the build's thread: its SQLite connections belong to that thread.
        with dg.DagsterInstance.ephemeral() as instance:
            return dg.materialize(
                [*ASSETS, *warehouse_checks],
                instance=instance,
                resources={"settings": settings, "io_manager": dg.mem_io_manager},
                # Quiet unless asked: the build prints its own start line and summary; errors always show.
                run_config={"loggers": {"console": {"config": {"log_level": "INFO" if args.verbose else "ERROR"}}}},
            )

    with _signals_stop_the_build(target, existed):
        try:
            with warehouse.single_writer(target):
                warehouse.remove_stale_staging(target.parent)
                warehouse.PUBLISHED.discard(target)
                outcome = _in_a_thread(build)
        except warehouse.TargetRefused as error:
            return _fail(f"refused: {error}")
        if isinstance(outcome, BaseException):
            cause = getattr(outcome, "user_exception", None) or outcome
            if isinstance(cause, warehouse.TargetRefused):
                return _fail(f"refused: {cause}")
            state = ("the new warehouse was published" if target in warehouse.PUBLISHED
                     else "the previous warehouse is as it was" if existed else "no warehouse was written")
            return _fail(f"build failed ({state}): {_plain(cause)}")
        checks = outcome.get_asset_check_evaluations()
        print(summary(target, checks, time.perf_counter() - started, Path(settings.raw_dir)))
    return 0


@contextlib.contextmanager
def _signals_stop_the_build(target: Path, existed: bool) -> Iterator[None]:
    """While inside, SIGINT (Ctrl-C), SIGTERM and SIGHUP stop the build the same way at every moment: workers
    killed, staging files removed, a plain message, exit 128 + the signal's number. Dagster turns a signal into an
    error of its own only when it runs on the main thread, and may hold one back at the wrong moment: the build runs
    in a thread of its own (`_in_a_thread`) and the main thread owns the signals."""
    if threading.current_thread() is not threading.main_thread():  # signals belong to the main thread only
        yield
        return
    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, lambda signum, _frame: _interrupted(signum, target, existed)) for s in handled}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _in_a_thread(work: Callable[[], object]) -> object:
    """The result of `work`, or the exception it raised, run in a thread while the main thread waits in short
    steps (between which a signal handler runs)."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # noqa: BLE001 - handed to the main thread, which reports it
            outcome.append(error)

    worker = threading.Thread(target=run, name="zhibiao-build", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
    return outcome[0]


def _interrupted(signum: int, target: Path, existed: bool) -> None:
    """Stops the build now. The publishing lock is taken first, so the warehouse was either replaced already or
    never will be; what the message says is what happened."""
    name = signal.Signals(signum).name
    if not warehouse.PUBLISHING.acquire(timeout=10):
        print(f"zhibiao: interrupted ({name}) while publishing took too long; check {target}", file=sys.stderr)
    _stop_workers()
    warehouse.discard_staging(warehouse.staging_path(target))
    if target in warehouse.PUBLISHED:
        state = f"the new warehouse had been published already: {target} is complete (no summary printed)"
    elif existed:
        state = f"nothing was published; {target} is as it was"
    else:
        state = "nothing was published"
    print(f"zhibiao: interrupted ({name}): the build stopped, its workers were stopped and its staging files "
          f"removed; {state}", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(128 + signum)  # now: the build thread may be deep inside DuckDB or a worker pool


def _stop_workers() -> None:
    """Kills the build's worker processes and waits until they are gone. The build thread may be spawning one at this
    moment: a child is listed only once its start data is written, and a child left reading it when this process
    exits prints `EOFError` to the shared stderr after the message. So: kill and wait until a look finds none."""
    while children := multiprocessing.active_children():
        for child in children:
            child.kill()
        for child in children:
            child.join(5)
        time.sleep(0.05)  # a spawn under way finishes writing and lists its child


def _plain(error: BaseException) -> str:
    """The cause of a failure in words a user acts on."""
    text = str(error).strip() or type(error).__name__
    if isinstance(error, OSError) and error.errno == errno.ENOSPC or "No space left on device" in text:
        return f"the disk is full (No space left on device): {text}"
    if isinstance(error, (OSError, ValueError, duckdb.Error, warehouse.TargetRefused)):
        return text
    return f"{type(error).__name__}: {text}"


def _printable(text: str) -> str:
    """A file name as one line of the summary: control characters and line breaks escaped, so none forges a line."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def summary(path: Path, checks: list, seconds: float, raw_dir: Path | None = None) -> str:
    """What a build did, read back from the published file."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        count = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
        statuses = dict(con.execute("SELECT status, count(*) FROM raw_files GROUP BY status").fetchall())
        documents = count("SELECT count(*) FROM documents")
        lines = [
            f"files read      {statuses.get('read', 0)}  (duplicates {statuses.get('duplicate', 0)})",
            f"rejected        {count('SELECT count(*) FROM rejected_files')}",
        ]
        for file, reason, detail in con.execute(
            "SELECT source_file, reason, detail FROM rejected_files ORDER BY source_file"
        ).fetchall():
            lines.append(f"  - {_printable(file)}: {reason} ({_printable(detail)})")
        lines += [
            f"documents       {documents}",
            f"sentences       {count('SELECT count(*) FROM sentences')}",
            f"mentions        {count('SELECT count(*) FROM mentions')}",
            f"facts           {count('SELECT count(*) FROM facts')}",
            f"derived metrics {count('SELECT count(*) FROM derived_metrics')}",
        ]
    finally:
        con.close()
    if raw_dir is not None and path.parent.resolve().is_relative_to(raw_dir.resolve()):
        lines.append("note            the warehouse is inside the raw folder: its own files (the warehouse, its lock "
                     "and staging files) were not read as reports")
    failed = [c for c in checks if not c.passed]
    if documents == 0:
        lines.append("WARNING         no document was found in the raw folder: the warehouse is empty and its "
                     "checks prove nothing")
    else:
        lines.append(f"checks          {len(checks) - len(failed)}/{len(checks)} passed"
                     + (" FAILED: " if failed else ""))
        lines += [f"  - {c.check_name}: {c.description or 'failed'}" for c in failed]
    lines.append(f"warehouse       {_printable(str(path))}  ({seconds:.1f} s)")
    return "\n".join(lines)


def run_evaluate(args: argparse.Namespace) -> int:
    from pipelines.evaluate import evaluate, format_report

    if not args.gold.exists():
        return _fail(f"{args.gold} does not exist", 2)
    print(format_report(evaluate(args.gold, args.warehouse)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
