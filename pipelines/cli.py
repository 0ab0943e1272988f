"""`zhibiao build` and `zhibiao evaluate`.

`build` materialises every Dagster asset of the code location in-process (no UI, no daemon), then prints a short
summary read back from the published warehouse.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb

from pipelines import warehouse
from pipelines.defs.resources import DEFAULT_WAREHOUSE, SAMPLE_CORPUS, BuildSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhibiao", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build the warehouse from a folder of reports")
    build.add_argument("--raw-dir", type=Path, default=SAMPLE_CORPUS, help="folder of reports (read recursively)")
    build.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="DuckDB file to publish")
    build.add_argument("--gdp", type=Path, help="CSV of GDP figures (region,year,gdp_100m_cny,...) to join")
    build.add_argument("--full", action="store_true", help="re-extract every document instead of reusing unchanged ones")
    build.add_argument("--max-file-mb", type=float, default=50, help="larger files are rejected (default 50)")
    build.add_argument("--workers", type=int, default=0, help="extraction processes (default: one per core)")

    evaluate = commands.add_parser("evaluate", help="precision, recall and F1 of a warehouse against gold facts")
    evaluate.add_argument("--gold", type=Path, required=True)
    evaluate.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)

    export = commands.add_parser("export", help="the facts (readable: Chinese names, units as written) and any "
                                 "table or view to .csv, .parquet or .xlsx")
    export.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help=f"default {DEFAULT_WAREHOUSE}")
    export.add_argument("--to", type=Path, required=True, help="file to write; its suffix names the format")
    export.add_argument("--table", action="append", default=[], metavar="T",
                        help="a further table or view to write (repeatable)")

    show = commands.add_parser("show", help="a report's text with every fact marked, beside its fact table, as one "
                               "self-contained HTML page")
    show.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help=f"default {DEFAULT_WAREHOUSE}")
    which = show.add_mutually_exclusive_group(required=True)
    which.add_argument("--doc", metavar="DOC_ID_OR_FILE", help="the report: its doc_id or its file name")
    which.add_argument("--all", action="store_true", help="every report: --out is then a folder (index.html)")
    show.add_argument("--out", type=Path, required=True, help="the page to write (a folder with --all)")

    args = parser.parse_args(argv)
    if args.command == "build":
        return run_build(args)
    if args.command == "show":
        from pipelines.show import run as run_show

        return run_show(args.warehouse, args.out, None if args.all else args.doc)
    if args.command == "export":
        from pipelines.export import run as run_export

        return run_export(args.warehouse, args.to, args.table)
    return run_evaluate(args)


def run_build(args: argparse.Namespace) -> int:
    if not args.raw_dir.is_dir():
        print(f"zhibiao: raw folder {args.raw_dir} does not exist or is not a folder", file=sys.stderr)
        return 2
    if args.gdp and not args.gdp.is_file():
        print(f"zhibiao: GDP file {args.gdp} does not exist", file=sys.stderr)
        return 2
    from pipelines.definitions import ASSETS
    from pipelines.defs.checks import warehouse_checks

    settings = BuildSettings(
        raw_dir=str(args.raw_dir.resolve()),
        warehouse=str(args.warehouse.resolve()),
        reference_gdp=str(args.gdp.resolve()) if args.gdp else "",
        full=args.full,
        max_file_bytes=int(args.max_file_mb * 1_000_000),
        workers=args.workers,
    )
    started = time.perf_counter()
    print(f"zhibiao: building {args.warehouse} from {args.raw_dir}", file=sys.stderr)
    try:
        with warehouse.single_writer(Path(settings.warehouse)):
            result = dg.materialize(
                [*ASSETS, *warehouse_checks],
                instance=dg.DagsterInstance.ephemeral(),
                resources={"settings": settings, "io_manager": dg.mem_io_manager},
                run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
                raise_on_error=False,
            )
    except (OSError, RuntimeError) as error:
        print(f"zhibiao: build failed, the previous warehouse is untouched: {error}", file=sys.stderr)
        return 1
    if not result.success:
        failure = next((e for e in result.all_events if e.is_step_failure), None)
        reason = failure.step_failure_data.error.message.strip() if failure else "see the log above"
        print(f"zhibiao: build failed, the previous warehouse is untouched: {reason}", file=sys.stderr)
        return 1
    checks = result.get_asset_check_evaluations()
    print(summary(Path(settings.warehouse), checks, time.perf_counter() - started))
    return 0


def summary(path: Path, checks: list, seconds: float) -> str:
    """What a build did, read back from the published file."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        count = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
        duplicates = count("SELECT count(*) FROM raw_files WHERE status = 'duplicate'")
        lines = [
            f"files read      {count('SELECT count(*) FROM raw_files')}  (duplicates {duplicates})",
            f"rejected        {count('SELECT count(*) FROM rejected_files')}",
        ]
        for file, reason, detail in con.execute(
            "SELECT source_file, reason, detail FROM rejected_files ORDER BY source_file"
        ).fetchall():
            lines.append(f"  - {file}: {reason} ({detail})")
        lines += [
            f"documents       {count('SELECT count(*) FROM documents')}",
            f"sentences       {count('SELECT count(*) FROM sentences')}",
            f"mentions        {count('SELECT count(*) FROM mentions')}",
            f"facts           {count('SELECT count(*) FROM facts')}",
            f"derived metrics {count('SELECT count(*) FROM derived_metrics')}",
        ]
    finally:
        con.close()
    failed = [c for c in checks if not c.passed]
    lines.append(f"checks          {len(checks) - len(failed)}/{len(checks)} passed" + (" FAILED: " if failed else ""))
    lines += [f"  - {c.check_name}: {c.description or 'failed'}" for c in failed]
    lines.append(f"warehouse       {path}  ({seconds:.1f} s)")
    return "\n".join(lines)


def run_evaluate(args: argparse.Namespace) -> int:
    from pipelines.evaluate import evaluate, format_report

    for path in (args.gold, args.warehouse):
        if not path.is_file():
            print(f"zhibiao: {path} does not exist", file=sys.stderr)
            return 2
    print(format_report(evaluate(args.gold, args.warehouse)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
