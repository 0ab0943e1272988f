"""The analyst notebooks run end to end against real warehouses, and their charts render Chinese text."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import altair as alt
import duckdb
import jupytext
import polars as pl
import pytest
import vl_convert

from pipelines import charts

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
sys.path.insert(0, str(NOTEBOOKS_DIR))
import run_all  # noqa: E402  (the runner lives beside the notebooks, not in the package)

NOTEBOOK_NAMES = ["01_overview", "02_tech_contracts", "03_growth_and_targets", "04_trace_a_figure"]


def _svg_texts(html: Path) -> str:
    """The charts of an HTML copy (the SVG each interactive chart starts as) as text."""
    return "".join(re.findall(r'<div[^>]*class="zb-chart"[^>]*>(<svg.*?</svg>)</div>',
                              html.read_text(encoding="utf-8"), flags=re.DOTALL))


def _problems(notebook) -> list[str]:
    """Error outputs and anything written to stderr (warnings included) by any cell."""
    return [
        output.get("ename") or output.get("text", "")
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error" or (output.output_type == "stream" and output.name == "stderr")
    ]


@pytest.mark.parametrize("warehouse_fixture", ["seeds_warehouse", "sample_warehouse"])
def test_every_notebook_runs_cleanly_and_saves_its_chart(warehouse_fixture, request, tmp_path):
    warehouse = request.getfixturevalue(warehouse_fixture)
    results = run_all.run_all(warehouse, tmp_path)

    assert [html.stem for html, _ in results] == NOTEBOOK_NAMES
    for html, notebook in results:
        assert _problems(notebook) == [], html.name
        text = html.read_text(encoding="utf-8")
        assert 'data-mime-type="application/vnd.jupyter.stderr"' not in text
        assert 'class="zb-chart"' in text and "vegaEmbed(document" in text, f"{html.name} shows no chart"
        assert "window.vegaEmbed=" in text and "cdn.jsdelivr" not in text  # Vega inline, nothing fetched
        tables = re.findall(r"<table\b.*?</table>", text, flags=re.DOTALL)
        assert tables and not any(re.search(r'<td>(&quot;|")', table) for table in tables)  # strings unquoted
        assert (tmp_path / f"{html.stem}.png").stat().st_size > 10_000
    overview_charts = _svg_texts(tmp_path / "01_overview.html")
    with duckdb.connect(warehouse, read_only=True) as con:
        regions = [row[0] for row in con.execute("SELECT DISTINCT region FROM documents WHERE region IS NOT NULL").fetchall()]
    assert regions and all(region in overview_charts for region in regions)
    trace = (tmp_path / "04_trace_a_figure.html").read_text(encoding="utf-8")
    assert "<mark>" in trace and re.search(r'<mark [^>]*class="zb-fact"', trace)  # the sentence, then the whole report as `zhibiao show`


def test_make_notebooks_leaves_the_committed_ipynb_unchanged():
    for name in NOTEBOOK_NAMES:
        committed = (NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8")
        assert run_all.paired_ipynb_text(NOTEBOOKS_DIR / f"{name}.py") == committed, f"{name}.ipynb: run `make notebooks`"
        assert '"outputs": []' in committed and '"execution_count": null' in committed


def test_paired_ipynb_matches_its_py_source():
    for name in NOTEBOOK_NAMES:
        source = jupytext.read(NOTEBOOKS_DIR / f"{name}.py")
        paired = jupytext.read(NOTEBOOKS_DIR / f"{name}.ipynb")
        assert [c.source for c in paired.cells] == [c.source for c in source.cells], (
            f"{name}.ipynb is stale: run `make notebooks`"
        )


def _png_of(text: str) -> bytes:
    chart = alt.Chart(pl.DataFrame({"label": [text]})).mark_text(fontSize=40).encode(text="label:N")
    return vl_convert.vegalite_to_png(chart.to_dict(), scale=1)


def test_exported_charts_draw_chinese_glyphs_not_boxes():
    assert charts.find_cjk_font() is not None, "no CJK font: run `make fonts`"
    charts.setup_notebook()
    # Missing glyphs are all drawn as the same box, so two different names would give identical images.
    assert _png_of("芜湖市") != _png_of("淮北市")
