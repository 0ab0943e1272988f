"""Consistency checks over a built warehouse, as plain functions of a DuckDB connection.

Each returns a `CheckResult`; the Dagster definitions wrap them as asset checks and the warehouse writer stores
them in `check_results`. A check's SQL selects its failing rows; the function counts them and keeps a sample.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from pipelines.mentions import MASK_CHARS

SAMPLE_ROWS = 5

# A share is a percent of a whole; a stated share may differ from the one recomputed from its parts by rounding.
SHARE_TOLERANCE_PP = 0.1

# Units whose levels cannot be zero or negative.
POSITIVE_UNITS = ("count", "CNY")


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    passed: bool
    severity: str            # "error" | "warn"
    description: str
    failing_rows: int
    sample: list[dict]


def _result(con: duckdb.DuckDBPyConnection, name: str, severity: str, description: str, failing_sql: str
            ) -> CheckResult:
    failing = con.sql(failing_sql).pl()
    return CheckResult(name, failing.height == 0, severity, description, failing.height,
                       failing.head(SAMPLE_ROWS).to_dicts())


def shares_within_0_100(con: duckdb.DuckDBPyConnection) -> CheckResult:
    """Every stated or derived share lies between 0 and 100 percent."""
    return _result(con, "shares_within_0_100", "error",
                   "Every share (share_pct) stated or derived lies between 0 and 100 percent.", """
        SELECT 'facts' AS source, fact_id AS id, indicator, value, evidence FROM facts
        WHERE measure = 'share_pct' AND (value < 0 OR value > 100)
        UNION ALL
        SELECT 'derived_metrics', metric, indicator, value, formula FROM derived_metrics
        -- an attainment of a share target (51.2% of a 50.5% goal) is a ratio of shares, not a share
        WHERE measure = 'share_pct' AND metric <> 'target_attainment_pct' AND (value < 0 OR value > 100)""")


def stated_shares_match_recomputed(con: duckdb.DuckDBPyConnection) -> CheckResult:
    """A stated share equals the share recomputed from its parts within 0.1 percentage points."""
    return _result(con, "stated_shares_match_recomputed", "error",
                   f"A stated share equals the share recomputed from its parts within {SHARE_TOLERANCE_PP} "
                   "percentage points (e.g. enterprise-absorbed / absorbed tech-contract turnover).", f"""
        SELECT r.resolved_id, r.value AS stated, d.value AS recomputed, d.formula
        FROM facts_resolved r
        JOIN derived_metrics d
          ON d.measure = 'share_pct' AND d.metric <> 'target_attainment_pct' AND d.region = r.region AND d.indicator = r.indicator
         AND d.year = r.year AND d.period = r.period AND d.kind = r.kind
        WHERE r.measure = 'share_pct' AND abs(r.value - d.value) > {SHARE_TOLERANCE_PP}""")


def levels_positive(con: duckdb.DuckDBPyConnection) -> CheckResult:
    """Every level counted or in yuan is above zero."""
    units = ", ".join(f"'{u}'" for u in POSITIVE_UNITS)
    return _result(con, "levels_positive", "error",
                   f"Every level counted or in yuan ({', '.join(POSITIVE_UNITS)}) is above zero.", f"""
        SELECT fact_id, indicator, value, unit, evidence FROM facts
        WHERE measure = 'level' AND unit IN ({units}) AND value <= 0""")


# The digits of a value as written: 5061000000 (50.61亿元) -> "5061", 0.28 -> "28", -0.5 -> "5". The span passes
# when its own digits contain these; figures written without their digits (1/3 → 33.33, 两千) pass on a fraction
# or Chinese numerals, masked figures on a mask character (mentions.MASK_CHARS).
_VALUE_DIGITS = (
    "ltrim(rtrim(replace(regexp_replace(printf('%.10g', abs(f.value)), 'e.*$', ''), '.', ''), '0'), '0')"
)


def fact_spans_hold_their_number(con: duckdb.DuckDBPyConnection) -> CheckResult:
    """Every fact's span holds the digits of its value, or a mask character (x, ×, * …) where it is masked."""
    return _result(con, "fact_spans_hold_their_number", "error",
                   "Every fact's span (its characters in documents.text, read through the fact's sentence, a slice "
                   "of that text) holds the digits of its value, or a mask character (x, ×, *) where the figure is masked.", f"""
        WITH spans AS (
            -- Through the short sentence rather than the whole document: joining 10,000 report texts costs a second.
            SELECT f.fact_id, f.value, f.span_start, f.span_end,
                   CASE WHEN f.span_start >= s.start AND f.span_end <= s."end"
                        THEN substr(s.text, f.span_start - s.start + 1, f.span_end - f.span_start) END AS span_text,
                   {_VALUE_DIGITS} AS value_digits
            FROM facts f LEFT JOIN sentences s ON s.doc_id = f.doc_id AND s.sentence_id = f.sentence_id
        )
        SELECT fact_id, value, span_start, span_end, span_text FROM spans
        WHERE span_text IS NULL OR span_end <= span_start OR NOT CASE
            WHEN value IS NULL THEN regexp_matches(span_text, '[{re.escape(MASK_CHARS)}]')
            WHEN regexp_matches(span_text, '[0-9]') THEN
                 contains(regexp_replace(span_text, '[^0-9]', '', 'g'), value_digits)
                 OR regexp_matches(span_text, '[0-9]\\s*/\\s*[0-9]')
            ELSE regexp_matches(span_text, '[〇零一二两三四五六七八九十百千万亿首]|分之')  -- 首位 is rank 1
        END""")


def raw_files_accounted_for(con: duckdb.DuckDBPyConnection) -> CheckResult:
    """Every raw file became a document, is a duplicate of one, or was rejected."""
    return _result(con, "raw_files_accounted_for", "error",
                   "Every raw file is a source of a document, a duplicate of a read file, or a rejected file "
                   "(raw_files = documents' files + duplicates + rejected).", """
        SELECT r.source_file, r.status, 'raw file not accounted for' AS problem FROM raw_files r
        WHERE NOT CASE r.status
            WHEN 'read' THEN EXISTS (SELECT 1 FROM documents d WHERE d.source_file = r.source_file)
            WHEN 'duplicate' THEN EXISTS (SELECT 1 FROM raw_files o
                                          WHERE o.status = 'read' AND o.text_sha256 = r.text_sha256)
            WHEN 'rejected' THEN EXISTS (SELECT 1 FROM rejected_files j WHERE j.source_file = r.source_file)
            ELSE false
        END
        UNION ALL
        SELECT d.source_file, NULL, 'document from a file not in raw_files' FROM documents d
        WHERE d.source_file NOT IN (SELECT source_file FROM raw_files WHERE status = 'read')
        UNION ALL
        SELECT j.source_file, NULL, 'rejected file not in raw_files' FROM rejected_files j
        WHERE j.source_file NOT IN (SELECT source_file FROM raw_files WHERE status = 'rejected')""")


CHECKS: tuple[Callable[[duckdb.DuckDBPyConnection], CheckResult], ...] = (
    shares_within_0_100,
    stated_shares_match_recomputed,
    levels_positive,
    fact_spans_hold_their_number,
    raw_files_accounted_for,
)


def run_checks(con: duckdb.DuckDBPyConnection) -> list[CheckResult]:
    """Every check of `CHECKS`, in order, on a warehouse whose tables and views exist."""
    return [check(con) for check in CHECKS]
