# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 仓库概览 What the warehouse holds
#
# Which reports were read (by region, year and type), how many figures each indicator has, which region reports
# which indicator, and which files could not be used and why.

# %% tags=["parameters"]
import os
from pathlib import Path

import altair as alt
import polars as pl

from pipelines import charts, read

# The warehouse to read ($ZHIBIAO_WAREHOUSE, else the one `make build` leaves) and where the PNG goes.
WAREHOUSE = Path(os.environ.get("ZHIBIAO_WAREHOUSE", "../warehouse/zhibiao.duckdb"))
OUT_DIR = Path(os.environ.get("ZHIBIAO_NOTEBOOK_OUT", "out"))
charts.setup_notebook()

# %% [markdown]
# ## 总数 Totals

# %%
with read.connect(WAREHOUSE) as con:
    totals = con.sql("""
        SELECT (SELECT count(*) FROM raw_files) AS files,
               (SELECT count(*) FROM rejected_files) AS rejected_files,
               (SELECT count(*) FROM documents) AS documents,
               (SELECT count(*) FROM sentences) AS sentences,
               (SELECT count(*) FROM facts) AS facts,
               (SELECT count(*) FROM facts_resolved) AS resolved_figures,
               (SELECT count(*) FROM derived_metrics) AS derived_metrics
    """).pl()
charts.table(totals, "—")

# %% [markdown]
# ## 报告 Documents by region, year and type
#
# How many reports each region contributed, for which year, and of which kind. A compilation file gives several
# documents; an anonymised report (xx市) has no region.

# %%
with read.connect(WAREHOUSE) as con:
    documents = con.sql(f"""
        SELECT coalesce(region, '{charts.UNKNOWN_REGION}') AS region,
               coalesce(CAST(report_year AS VARCHAR), '?') AS report_year,
               doc_type, count(*) AS documents
        FROM documents
        GROUP BY ALL
        ORDER BY region, report_year, doc_type
    """).pl().with_columns(pl.col("doc_type").replace(charts.DOC_TYPE_LABELS).alias("doc_type_label"))

doc_type_colour = alt.Color("doc_type_label:N", title="报告类型 report type")
by_region = alt.Chart(documents).mark_bar().encode(
    x=alt.X("sum(documents):Q", title="报告数 documents", axis=alt.Axis(tickMinStep=1)),
    y=alt.Y("region:N", title="地区 region", sort="-x"),
    color=doc_type_colour,
    tooltip=["region:N", "report_year:O", "doc_type_label:N", "documents:Q"],
).properties(title="各地区报告数 Documents by region", width=300)
by_year = alt.Chart(documents).mark_bar().encode(
    x=alt.X("report_year:O", title="报告年份 report year (? = 未识别 unknown)", axis=alt.Axis(labelAngle=0)),
    y=alt.Y("sum(documents):Q", title="报告数 documents", axis=alt.Axis(tickMinStep=1)),
    color=doc_type_colour,
    tooltip=["region:N", "report_year:O", "doc_type_label:N", "documents:Q"],
).properties(title="各年份报告数 Documents by report year", width=260)
charts.show(by_region | by_year, documents, "此仓库没有报告。 The warehouse holds no documents.")

# %% [markdown]
# ## 指标 Facts per indicator
#
# How many figures the reports state for each indicator, split into achieved figures (实绩), goals (目标) and
# forecasts (预计). Indicators outside the core list show their code only.

# %%
with read.connect(WAREHOUSE) as con:
    per_indicator = con.sql("""
        SELECT indicator, kind, count(*) AS facts
        FROM facts
        GROUP BY ALL
        ORDER BY facts DESC
    """).pl().with_columns(charts.indicator_label(), pl.col("kind").replace(charts.KIND_LABELS).alias("kind_label"))

chart = alt.Chart(per_indicator).mark_bar().encode(
    x=alt.X("sum(facts):Q", title="数据条数 facts"),
    y=alt.Y("indicator_label:N", title="指标 indicator", sort="-x"),
    color=alt.Color("kind_label:N", title="类别 kind",
                    scale=alt.Scale(domain=list(charts.KIND_LABELS.values()), range=list(charts.KIND_COLOURS.values()))),
    tooltip=["indicator_label:N", "kind_label:N", "facts:Q"],
).properties(title="各指标数据条数 Facts per indicator", width=360)
charts.show(chart, per_indicator, "此仓库没有数据。 The warehouse holds no facts.")

# %% [markdown]
# ## 覆盖 Region × indicator coverage
#
# Which region reports which indicator: the number in each cell is how many facts state it. An empty cell is an
# indicator the region's reports never mention. This chart is saved as `01_overview.png`.

# %%
with read.connect(WAREHOUSE) as con:
    coverage = con.sql(f"""
        SELECT coalesce(region, '{charts.UNKNOWN_REGION}') AS region, indicator, count(*) AS facts
        FROM facts
        GROUP BY ALL
    """).pl().with_columns(charts.indicator_label(), on_dark=pl.col("facts") > pl.col("facts").max() / 2)

base = alt.Chart(coverage).encode(
    x=alt.X("region:N", title="地区 region", axis=alt.Axis(labelAngle=-40, orient="top")),
    y=alt.Y("indicator_label:N", title=None),
)
heatmap = base.mark_rect().encode(
    color=alt.Color("facts:Q", title="数据条数 facts", scale=alt.Scale(scheme=charts.HEATMAP_SCHEME)),
    tooltip=["region:N", "indicator_label:N", "facts:Q"],
) + base.mark_text(fontSize=11).encode(
    text="facts:Q",
    color=alt.condition("datum.on_dark", alt.value("white"), alt.value("black")),
)
chart = heatmap.properties(width=alt.Step(44), title=alt.Title(
    "地区 × 指标覆盖 Region × indicator coverage", subtitle="行为指标，每格为数据条数 rows: indicators; each cell: number of facts"))
charts.show(chart, coverage, "此仓库没有数据。 The warehouse holds no facts.", png=OUT_DIR / "01_overview.png")

# %% [markdown]
# ## 未采用的文件 Rejected files
#
# Files under the raw folder that could not be read as a report, with the reason and a sentence explaining it.

# %%
with read.connect(WAREHOUSE) as con:
    rejected = con.sql("SELECT source_file, byte_size, reason, detail FROM rejected_files ORDER BY reason, source_file").pl()
charts.table(rejected, f"没有被拒绝的文件：{totals['files'][0]} 个文件全部读取。 No file was rejected: all {totals['files'][0]} files were read.")
