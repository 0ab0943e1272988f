"""Reconcile figures stated more than once, and compute the metrics that follow from them.

facts ─► facts_resolved (one row per region, indicator, measure, year, period, kind of an aggregate code; one row per
         distinct value of such a key of a broad code) and fact_sources (its statements)
      ─► derived_metrics (ratios, GDP shares, year-on-year growth, implied prior-year levels, target attainment,
         the R&D statistical-lag check), every row naming the documents, facts and resolved rows it came from.

Everything is a polars join over whole frames, so the cost grows with the number of facts, not with Python loops.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl

# The warehouse writer applies the views and comments over derive's tables once they exist.
from pipelines import schema
from pipelines.sql import INDICATOR_CODES, apply_comments, apply_views

__all__ = ["EXAMPLE_GDP", "apply_comments", "apply_views", "derive", "load_reference_gdp", "resolve_facts"]

RESOLUTION_KEY = ["region", "indicator", "measure", "year", "period", "kind"]

# An aggregate code has one value per region, year and period, so two values of one key disagree. A broad code
# (st_projects, key_laboratories ...) is reported as several sub-counts in one report (3 key projects, 18 tackling
# projects): each distinct value is a figure of its own. A code missing from the table counts as aggregate, so a
# disagreement is shown rather than hidden.
AGGREGATE_CODES = {row["code"]: row["aggregate"] == "true" for row in INDICATOR_CODES}

# Made-up figures in the reference GDP file's shape; `load_reference_gdp(EXAMPLE_GDP).clear()` is an empty table.
EXAMPLE_GDP = Path(__file__).parent / "rules" / "example_gdp.csv"

# Which statement of a figure wins: the more specific bound first (lower is more specific), then the later
# document, then the later place in the document (a section restates its summary paragraph with more care).
BOUND_PREFERENCE = {"exact": 0, "range": 1, "at_least": 2, "at_most": 2, "about": 3}
UNKNOWN_BOUND_RANK = 9

# Two statements hold the same value when they agree to this many significant figures (50.61亿元 and
# 506100万元 differ only in float noise).
SAME_VALUE_SIG_FIGS = 9

# A GDP implied by R&D expenditure / intensity "fits" a reference year within this relative gap.
YEAR_FIT_TOLERANCE_PCT = 0.5

YUAN_PER_100M = 100_000_000

LINEAGE = ["doc_ids", "fact_ids", "resolved_ids"]
TEXT_LIST = pl.List(pl.String)

DERIVED_SCHEMA: dict[str, pl.DataType] = schema.polars("derived_metrics")

REFERENCE_GDP_COLUMNS = ["region", "year", "gdp_100m_cny", "source_kind", "source_url"]


def load_reference_gdp(path: Path | str) -> pl.DataFrame:
    """A user's GDP file (region, year, gdp_100m_cny, source_kind, source_url; lines starting with # are notes),
    with the GDP also in yuan (`gdp_cny`).

    Read as users' files come: UTF-8 with or without a byte-order mark, or GB18030 (Excel on Chinese Windows saves
    "CSV" in the ANSI code page); commas or tabs; figures with thousands separators (1,250.5). What cannot be read
    is a ValueError naming the line and the column."""
    path = Path(path)
    text = _decode_gdp_file(path)
    rows = [(number, cells) for number, cells in _csv_rows(text) if not cells[0].lstrip().startswith("#")]
    if not rows:
        raise ValueError(f"{path}: the reference GDP file holds no header line")
    (_, header), body = rows[0], rows[1:]
    header = [name.strip().lstrip("\ufeff") for name in header]
    missing = [c for c in REFERENCE_GDP_COLUMNS if c not in header]
    if missing:
        raise ValueError(f"{path}: the reference GDP file lacks the column(s) {', '.join(missing)} "
                         f"(its header is: {', '.join(header)})")
    records = []
    for number, cells in body:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise ValueError(f"{path}, line {number}: {len(cells)} fields where the header has {len(header)} "
                             "(a figure written 1,250.5 must be in quotes in a comma-separated file)")
        row = dict(zip(header, (cell.strip() for cell in cells)))
        records.append({
            "region": row["region"] or None,
            "year": _gdp_cell(row["year"], int, path, number, "year"),
            "gdp_100m_cny": _gdp_cell(row["gdp_100m_cny"], float, path, number, "gdp_100m_cny"),
            "source_kind": row["source_kind"] or None,
            "source_url": row["source_url"] or None,
        })
    frame = pl.DataFrame(records, schema=schema.polars("reference_gdp"))
    return frame.with_columns(gdp_cny=pl.col("gdp_100m_cny") * YUAN_PER_100M).filter(pl.col("region").is_not_null() & pl.col("year").is_not_null() & pl.col("gdp_cny").is_not_null())


def _decode_gdp_file(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{path}: the reference GDP file is neither UTF-8 nor GB18030 text")


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every non-empty line, comma- or tab-separated as the header line is."""
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    reader = csv.reader(io.StringIO(text), delimiter="\t" if "\t" in first else ",")
    for cells in reader:
        if cells:
            yield reader.line_num, cells


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _gdp_cell(cell: str, kind: type, path: Path, line: int, column: str) -> int | float | None:
    if not cell:
        return None
    written = cell.replace(",", "") if _THOUSANDS.fullmatch(cell) else cell
    try:
        value = kind(written)
    except ValueError:
        expected = "a year such as 2023" if kind is int else "a number in 亿元 (100 million yuan) such as 1250.5"
        raise ValueError(f"{path}, line {line}, column {column}: {cell!r} is not {expected}") from None
    if kind is float and not math.isfinite(value):
        raise ValueError(f"{path}, line {line}, column {column}: {cell!r} is not a finite number")
    return value


def derive(
    facts: pl.DataFrame, documents: pl.DataFrame, reference_gdp: pl.DataFrame | None
) -> dict[str, pl.DataFrame]:
    """`facts_resolved`, `fact_sources` and `derived_metrics` from the facts of every document."""
    facts_resolved, fact_sources = resolve_facts(facts, documents)
    reference = _one_gdp_per_region_year(reference_gdp)
    implied_gdp = _implied_gdp(facts_resolved)
    metrics = [
        _ratio(facts_resolved, "tech_contract_absorbed_by_enterprises", "tech_contract_absorbed",
               metric="tech_contract_enterprise_share", unit="percent", scale=100.0, measure="share_pct"),
        _ratio(facts_resolved, "tech_contract_absorbed", "tech_contract_exported",
               metric="tech_contract_absorbed_to_exported", unit="ratio", scale=1.0, measure=None),
        implied_gdp,
        _tech_contract_gdp_ratio(facts_resolved, reference, implied_gdp),
        _yoy_growth(facts_resolved),
        _implied_prior_level(facts_resolved),
        _target_attainment(facts_resolved),
        _rd_gdp_year_fit(implied_gdp, reference),
    ]
    derived = pl.concat([_conform(m) for m in metrics], how="vertical").sort(
        ["metric", "region", "year", "period", "indicator"], nulls_last=True
    )
    return {"facts_resolved": facts_resolved, "fact_sources": fact_sources, "derived_metrics": derived}


def resolve_facts(facts: pl.DataFrame, documents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One row per (region, indicator, measure, year, period, kind) of an aggregate code, one row per distinct value
    of such a key of a broad code; and one row per statement behind each.

    `unambiguous` marks the rows derived metrics may use: every aggregate row (a conflict is settled by preference),
    and a broad code's row when its key holds no other value.
    Facts with a NULL value (masked), region or year stay in `facts` only: they cannot be compared with anything.
    """
    recency = documents.select(
        "doc_id",
        doc_date=pl.coalesce(pl.col("published_date").cast(pl.Date), pl.date(pl.col("report_year"), 12, 31)),
        doc_report_year=pl.col("report_year").cast(pl.Int32),
    )
    ranked = (
        facts.filter(pl.col("value").is_not_null() & pl.col("region").is_not_null() & pl.col("year").is_not_null())
        .with_columns(pl.col("year").cast(pl.Int32), pl.col("value").cast(pl.Float64))
        .join(recency, on="doc_id", how="left")
        .with_columns(
            bound_rank=pl.col("bound").replace_strict(BOUND_PREFERENCE, default=UNKNOWN_BOUND_RANK),
            same_value=pl.col("value").round_sig_figs(SAME_VALUE_SIG_FIGS),
            aggregate=pl.col("indicator").replace_strict(AGGREGATE_CODES, default=True, return_dtype=pl.Boolean),
            key_id=pl.concat_str([pl.col(c).cast(pl.String) for c in RESOLUTION_KEY], separator="|"),
        )
        .with_columns(
            resolved_id=pl.when(pl.col("aggregate")).then(pl.col("key_id")).otherwise(
                pl.concat_str([pl.col("key_id"), pl.col("same_value").cast(pl.String)], separator="|")
            )
        )
        .sort(
            ["bound_rank", "doc_date", "doc_report_year", "span_start", "doc_id"],
            descending=[False, True, True, True, False],
            nulls_last=True,
        )
        .with_columns(source_rank=pl.int_range(1, pl.len() + 1).over("resolved_id"))
    )
    resolved = (
        ranked.group_by("resolved_id", maintain_order=True)
        .agg(
            *[pl.col(c).first() for c in RESOLUTION_KEY],
            *[pl.col(c).first() for c in ["value", "value_max", "unit", "bound"]],
            n_sources=pl.len().cast(pl.Int32),
            distinct_values=pl.col("same_value").unique(maintain_order=True),
            chosen_fact_id=pl.col("fact_id").first(),
            chosen_doc_id=pl.col("doc_id").first(),
            fact_ids=pl.col("fact_id"),
            doc_ids=pl.col("doc_id").unique(maintain_order=True),
            aggregate=pl.col("aggregate").first(),
        )
        .with_columns(
            conflict=pl.col("distinct_values").list.len() > 1,
            unambiguous=pl.col("aggregate") | (pl.len().over(RESOLUTION_KEY) == 1),
        )
        .select(
            "resolved_id", *RESOLUTION_KEY, "value", "value_max", "unit", "bound", "conflict", "n_sources",
            "distinct_values", "chosen_fact_id", "chosen_doc_id", "fact_ids", "doc_ids", "aggregate", "unambiguous",
        )
        .sort([*RESOLUTION_KEY, "resolved_id"])
    )
    sources = ranked.select(
        "resolved_id",
        "fact_id",
        "doc_id",
        "source_rank",
        is_chosen=pl.col("source_rank") == 1,
        agrees_with_resolved=pl.col("same_value") == pl.col("same_value").first().over("resolved_id"),
        value=pl.col("value"),
        bound=pl.col("bound"),
    ).sort(["resolved_id", "source_rank"])
    return resolved, sources


def _bound_of(rising: list[str], falling: list[str]) -> pl.Expr:
    """The bound of a figure computed from inputs it rises with (`rising` bound columns: a numerator, this year's
    level) and falls with (`falling`: a denominator, last year's level). Exact inputs give an exact figure; an input
    known only from one side (首破千亿: at_least) bounds it from that side, flipped for a falling input; inputs
    bounding it from opposite sides leave it `unbounded`; an `about` or `range` input makes it `about`."""
    side = {"at_least": 1, "at_most": -1}
    sides = [pl.col(c).replace_strict(side, default=0, return_dtype=pl.Int8) for c in rising] + [
        -pl.col(c).replace_strict(side, default=0, return_dtype=pl.Int8) for c in falling
    ]
    vague = pl.any_horizontal([pl.col(c).is_in(["about", "range"]) for c in rising + falling])
    low = pl.any_horizontal([s == 1 for s in sides])
    high = pl.any_horizontal([s == -1 for s in sides])
    return (
        pl.when(vague).then(pl.lit("about"))
        .when(low & high).then(pl.lit("unbounded"))
        .when(low).then(pl.lit("at_least"))
        .when(high).then(pl.lit("at_most"))
        .otherwise(pl.lit("exact"))
    )


def _one_gdp_per_region_year(reference_gdp: pl.DataFrame | None) -> pl.DataFrame:
    """The reference GDP with one row per region and year (the first listed wins), empty when none was given."""
    columns = {"region": pl.String, "year": pl.Int32, "gdp_cny": pl.Float64, "gdp_note": pl.String}
    if reference_gdp is None:
        return pl.DataFrame(schema=columns)
    return (
        reference_gdp.select(
            "region",
            pl.col("year").cast(pl.Int32),
            pl.col("gdp_cny").cast(pl.Float64),
            gdp_note=pl.concat_str(
                [pl.lit("reference_gdp "), pl.col("year").cast(pl.String), pl.lit(" ("),
                 pl.col("source_kind").fill_null("?"), pl.lit(") "), pl.col("source_url").fill_null("")]
            ),
        )
        .unique(["region", "year"], keep="first", maintain_order=True)
    )


def _pick(resolved: pl.DataFrame, indicator: str | None = None, measure: str | None = "level",
          kind: str = "actual") -> pl.DataFrame:
    """Unambiguous resolved rows of one kind (and measure, and indicator, where given), with their lineage as
    lists."""
    chosen = resolved.filter(pl.col("unambiguous") & (pl.col("kind") == kind))
    if measure is not None:
        chosen = chosen.filter(pl.col("measure") == measure)
    if indicator is not None:
        chosen = chosen.filter(pl.col("indicator") == indicator)
    return chosen.with_columns(resolved_ids=pl.concat_list([pl.col("resolved_id")]))


def _merged_lineage(suffix: str = "_b") -> list[pl.Expr]:
    """Lineage of a row joined from two inputs: the union of both sides' ids."""
    return [pl.concat_list([pl.col(c), pl.col(c + suffix)]).list.unique().list.sort().alias(c) for c in LINEAGE]


def _ratio(resolved: pl.DataFrame, numerator: str, denominator: str, *, metric: str, unit: str, scale: float,
           measure: str | None) -> pl.DataFrame:
    """numerator / denominator × scale for the same region, year, period and kind."""
    keys = ["region", "year", "period", "kind"]
    return (
        _pick(resolved, numerator)
        .join(_pick(resolved, denominator), on=keys, suffix="_b")
        .filter(pl.col("value_b") != 0)
        .with_columns(
            *_merged_lineage(),
            metric=pl.lit(metric),
            indicator=pl.lit(numerator),
            measure=pl.lit(measure, dtype=pl.String),
            value=pl.col("value") / pl.col("value_b") * scale,
            bound=_bound_of(["bound"], ["bound_b"]),
            unit=pl.lit(unit),
            formula=pl.lit(f"{numerator} / {denominator}" + (f" × {scale:g}" if scale != 1 else "")),
        )
    )


def _implied_gdp(resolved: pl.DataFrame) -> pl.DataFrame:
    """GDP the reports imply: R&D expenditure / R&D intensity × 100 (CNY)."""
    return _ratio(resolved, "rd_expenditure", "rd_intensity", metric="implied_gdp", unit="CNY", scale=100.0,
                  measure="level").with_columns(indicator=pl.lit("gdp"))


def _tech_contract_gdp_ratio(resolved: pl.DataFrame, reference: pl.DataFrame, implied_gdp: pl.DataFrame
                             ) -> pl.DataFrame:
    """Whole-year tech-contract turnover / GDP × 100; the reference GDP where given, else the implied one."""
    no_lineage = {c: pl.lit([], dtype=TEXT_LIST) for c in LINEAGE}
    known_gdp = pl.concat(
        [
            reference.select("region", "year", "gdp_cny", "gdp_note", preference=pl.lit(0), bound=pl.lit("exact"),
                             **no_lineage),
            implied_gdp.filter(pl.col("period") == "FY").select(
                "region", "year", "bound", gdp_cny=pl.col("value"),
                gdp_note=pl.lit("implied_gdp (rd_expenditure / rd_intensity × 100)"), preference=pl.lit(1),
                *LINEAGE,
            ),
        ],
        how="diagonal_relaxed",
    ).sort("preference").unique(["region", "year"], keep="first", maintain_order=True)
    return (
        _pick(resolved, "tech_contract_turnover")
        .filter(pl.col("period") == "FY")
        .join(known_gdp, on=["region", "year"], suffix="_b")
        .filter(pl.col("gdp_cny") > 0)
        .with_columns(
            *_merged_lineage(),
            metric=pl.lit("tech_contract_gdp_ratio"),
            value=pl.col("value") / pl.col("gdp_cny") * 100,
            bound=_bound_of(["bound"], ["bound_b"]),
            unit=pl.lit("percent"),
            measure=pl.lit(None, dtype=pl.String),
            formula=pl.lit("tech_contract_turnover / GDP × 100"),
            note=pl.col("gdp_note"),
        )
    )


def _yoy_growth(resolved: pl.DataFrame) -> pl.DataFrame:
    """(level[year] / level[year − 1] − 1) × 100 for every actual level stated for two consecutive years."""
    levels = _pick(resolved)
    a_year_later = levels.with_columns(pl.col("year") + 1)
    return (
        levels.join(a_year_later, on=["region", "indicator", "measure", "year", "period", "kind", "unit"],
                    suffix="_b")
        .filter(pl.col("value_b") > 0)
        .with_columns(
            *_merged_lineage(),
            metric=pl.lit("yoy_growth_pct"),
            measure=pl.lit("growth_pct"),
            value=(pl.col("value") / pl.col("value_b") - 1) * 100,
            bound=_bound_of(["bound"], ["bound_b"]),
            unit=pl.lit("percent"),
            formula=pl.lit("(level[year] / level[year - 1] - 1) × 100"),
        )
    )


def _implied_prior_level(resolved: pl.DataFrame) -> pl.DataFrame:
    """The year-before level a stated growth (level / (1 + g/100)) or change in points (level − pp) implies."""
    keys = ["region", "indicator", "year", "period", "kind"]
    levels = _pick(resolved)
    from_growth = (
        levels.join(_pick(resolved, measure="growth_pct"), on=keys, suffix="_b")
        .filter(pl.col("value_b") != -100)
        .with_columns(value=pl.col("value") / (1 + pl.col("value_b") / 100), bound=_bound_of(["bound"], ["bound_b"]),
                      formula=pl.lit("level / (1 + growth_pct / 100), year - 1"))
    )
    from_points = (
        levels.filter(pl.col("unit") == "percent")
        .join(_pick(resolved, measure="change_pp"), on=keys, suffix="_b")
        .with_columns(value=pl.col("value") - pl.col("value_b"), bound=_bound_of(["bound"], ["bound_b"]), formula=pl.lit("level - change_pp, year - 1"))
    )
    return pl.concat([from_growth, from_points], how="vertical").with_columns(
        *_merged_lineage(),
        metric=pl.lit("implied_prior_level"),
        year=pl.col("year") - 1,
        measure=pl.lit("level"),
    )


def _target_attainment(resolved: pl.DataFrame) -> pl.DataFrame:
    """actual / target × 100 for a region, indicator, measure and year, the target being for the actual's period
    or the whole year; `target_met` honours the target's bound (at_most: actual ≤ target, else actual ≥ target,
    a range's target being its low end), and is NULL when a one-sided actual leaves it open; the attainment carries
    the actual's bound (the target's says what the goal is, not how well its value is known)."""
    need_low = pl.col("bound_b") == "at_most"
    meets = pl.when(need_low).then(pl.col("value") <= pl.col("value_b")).otherwise(pl.col("value") >= pl.col("value_b"))
    return (
        _pick(resolved, measure=None)
        .join(_pick(resolved, measure=None, kind="target"), on=["region", "indicator", "measure", "year"],
              suffix="_b")
        .filter(((pl.col("period_b") == pl.col("period")) | (pl.col("period_b") == "FY")) & (pl.col("value_b") != 0))
        .with_columns(
            *_merged_lineage(),
            metric=pl.lit("target_attainment_pct"),
            target_met=pl.when(_verdict_open(meets, need_low)).then(None).otherwise(meets),
            value=pl.col("value") / pl.col("value_b") * 100,
            bound=_bound_of(["bound"], []),
            unit=pl.lit("percent"),
            formula=pl.concat_str([pl.lit("actual("), pl.col("period"), pl.lit(") / target("), pl.col("period_b"),
                                   pl.lit(", "), pl.col("bound_b"), pl.lit(") × 100")]),
        )
    )


def _verdict_open(meets: pl.Expr, need_low: pl.Expr) -> pl.Expr:
    """True when an actual known from one side only (at_least: it may be larger; at_most: smaller) could still fall
    on either side of the target: at least 80 against a goal of 100 may or may not have reached it."""
    bound = pl.col("bound")
    return ((bound == "at_least") & (meets == need_low)) | ((bound == "at_most") & (meets != need_low))


def _rd_gdp_year_fit(implied_gdp: pl.DataFrame, reference: pl.DataFrame) -> pl.DataFrame:
    """Which year's reference GDP the R&D-implied GDP matches: the facts' year or the one before (R&D figures
    are published about a year late). `value` is the relative gap to the closer year, in percent."""
    same_year = reference.select("region", "year", gdp_same="gdp_cny", note_same="gdp_note")
    prior_year = reference.select("region", pl.col("year") + 1, gdp_prior="gdp_cny", note_prior="gdp_note")
    gaps = (
        implied_gdp.filter(pl.col("period") == "FY")
        .join(same_year, on=["region", "year"], how="left")
        .join(prior_year, on=["region", "year"], how="left")
        .filter(pl.col("gdp_same").is_not_null() | pl.col("gdp_prior").is_not_null())
        .with_columns(
            gap_same_year_pct=(pl.col("value") / pl.col("gdp_same") - 1) * 100,
            gap_prior_year_pct=(pl.col("value") / pl.col("gdp_prior") - 1) * 100,
        )
    )
    abs_same = pl.col("gap_same_year_pct").abs().fill_null(float("inf"))
    abs_prior = pl.col("gap_prior_year_pct").abs().fill_null(float("inf"))
    same_is_closer = abs_same <= abs_prior
    return gaps.with_columns(
        metric=pl.lit("rd_gdp_year_fit"),
        indicator=pl.lit("rd_expenditure"),
        measure=pl.lit(None, dtype=pl.String),
        value=pl.when(same_is_closer).then(pl.col("gap_same_year_pct")).otherwise(pl.col("gap_prior_year_pct")),
        unit=pl.lit("percent"),
        fit_year=pl.when(same_is_closer & (abs_same <= YEAR_FIT_TOLERANCE_PCT)).then(pl.col("year"))
        .when(~same_is_closer & (abs_prior <= YEAR_FIT_TOLERANCE_PCT)).then(pl.col("year") - 1),
        formula=pl.lit("implied_gdp / reference_gdp[year or year - 1] - 1, × 100"),
        note=pl.concat_str([pl.col("note_same"), pl.col("note_prior")], separator="; ", ignore_nulls=True),
    )


def _conform(frame: pl.DataFrame) -> pl.DataFrame:
    """The derived_metrics columns in order, absent ones as NULL."""
    return frame.select(
        [
            (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in DERIVED_SCHEMA.items()
        ]
    )
