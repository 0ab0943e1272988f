"""The quick start shows the features: every example query of docs/warehouse.md has an answer on the warehouse
`make build` makes from the bundled sample corpus (a target and its later actual, a figure stated twice, a conflict
between two reports, the enterprise share, stated and recomputed growth, the GDP ratio and the R&D lag check)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

DOC = (Path(__file__).resolve().parents[1] / "docs" / "warehouse.md").read_text(encoding="utf-8")
EXAMPLE_QUERIES = re.findall(r"```sql\n(.*?)```", DOC, flags=re.DOTALL)


@pytest.mark.parametrize("number", range(1, len(EXAMPLE_QUERIES) + 1))
def test_example_query_answers_on_the_sample_warehouse(sample_warehouse, number):
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        rows = con.execute(EXAMPLE_QUERIES[number - 1]).fetchall()
    assert rows, f"example query {number} of docs/warehouse.md returns no rows on the sample warehouse"


def test_the_sample_warehouse_pairs_a_target_with_its_actual_and_fits_the_rd_year(sample_warehouse):
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        met = con.execute("SELECT count(*) FROM targets_vs_actuals WHERE target_met").fetchall()[0][0]
        fit = con.execute("SELECT fit_year FROM derived_metrics WHERE metric = 'rd_gdp_year_fit' "
                          "AND fit_year IS NOT NULL").fetchall()
        conflicts = con.execute("SELECT count(DISTINCT doc_id) FROM conflicts").fetchall()[0][0]
    assert met >= 1 and fit and conflicts == 2
