"""`zhibiao export`: CSV (UTF-8 with BOM), Parquet and XLSX of the readable facts and further tables, whose row
counts are those of the warehouse."""

from __future__ import annotations

import duckdb
import openpyxl
import polars as pl
import pytest

from pipelines.cli import main
from pipelines.export import ExportError, export


def _count(warehouse, table: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def test_csv_has_a_bom_and_one_row_per_fact(sample_warehouse, tmp_path, capsys):
    target = tmp_path / "facts.csv"
    assert main(["export", "--warehouse", str(sample_warehouse), "--to", str(target), "--table", "indicators"]) == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    facts = pl.read_csv(target)
    assert facts.height == _count(sample_warehouse, "facts") > 0
    assert {"indicator_name", "value", "unit", "bound", "sentence", "source_file"} <= set(facts.columns)
    indicators = pl.read_csv(tmp_path / "facts.indicators.csv")
    assert indicators.height == _count(sample_warehouse, "indicators")
    assert "technology contract turnover" in indicators["name_en"].to_list()
    assert "facts_readable" in capsys.readouterr().out


def test_parquet_keeps_the_rows_and_list_columns(sample_warehouse, tmp_path):
    written = export(sample_warehouse, tmp_path / "out.parquet", ["derived_metrics"])
    assert [w.table for w in written] == ["facts_readable", "derived_metrics"]
    assert pl.read_parquet(tmp_path / "out.parquet").height == _count(sample_warehouse, "facts")
    derived = pl.read_parquet(tmp_path / "out.derived_metrics.parquet")
    assert derived.height == _count(sample_warehouse, "derived_metrics")
    assert derived.schema["fact_ids"] == pl.List(pl.String)


def test_xlsx_has_a_sheet_per_table_frozen_header_and_widths(sample_warehouse, tmp_path):
    target = tmp_path / "out.xlsx"
    export(sample_warehouse, target, ["targets_vs_actuals", "facts_readable"])
    book = openpyxl.load_workbook(target, read_only=False)
    assert book.sheetnames == ["facts_readable", "targets_vs_actuals"]
    sheet = book["facts_readable"]
    assert sheet.max_row == _count(sample_warehouse, "facts") + 1  # the header row
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["fact_id", "indicator_name", "indicator"]
    sentence_column = openpyxl.utils.get_column_letter(header.index("sentence") + 1)
    assert sheet.column_dimensions[sentence_column].width > sheet.column_dimensions["G"].width > 0
    names = {row[header.index("indicator_name")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "技术合同成交额" in names or "吸纳技术合同成交额" in names
    assert book["targets_vs_actuals"].max_row == _count(sample_warehouse, "targets_vs_actuals") + 1


def test_unknown_table_or_suffix_writes_nothing(sample_warehouse, tmp_path):
    with pytest.raises(ExportError, match="no table or view nope"):
        export(sample_warehouse, tmp_path / "x.csv", ["nope"])
    with pytest.raises(ExportError, match="suffix"):
        export(sample_warehouse, tmp_path / "x.json")
    assert list(tmp_path.iterdir()) == []
    assert main(["export", "--warehouse", str(tmp_path / "absent.duckdb"), "--to", str(tmp_path / "x.csv")]) == 2
