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
# # 追溯一个数字 Trace a figure to its sentence
#
# Pick a figure by its `fact_id` (set `FACT_ID` below or the environment variable `ZHIBIAO_FACT_ID`; by default the
# first fact of the indicator with the most facts) and see where it comes from: its sentence with the number marked,
# the section it sits in, the report's title, date and issuer, and every other statement of the same figure.

# %% tags=["parameters"]
import html
import os
from pathlib import Path

import altair as alt
import polars as pl
from IPython.display import HTML

from pipelines import charts, read

# The warehouse to read ($ZHIBIAO_WAREHOUSE, else the one `make build` leaves) and where the PNG goes.
WAREHOUSE = Path(os.environ.get("ZHIBIAO_WAREHOUSE", "../warehouse/zhibiao.duckdb"))
OUT_DIR = Path(os.environ.get("ZHIBIAO_NOTEBOOK_OUT", "out"))
FACT_ID = os.environ.get("ZHIBIAO_FACT_ID", "")
charts.setup_notebook()


# %%
def marked_sentence(sentence: str, sentence_start: int, span_start: int, span_end: int) -> str:
    """The sentence as HTML with the figure's characters inside <mark>; offsets are into the document's text."""
    start, end = span_start - sentence_start, span_end - sentence_start
    return (html.escape(sentence[:start]) + "<mark>" + html.escape(sentence[start:end]) + "</mark>"
            + html.escape(sentence[end:]))


with read.connect(WAREHOUSE) as con:
    if not FACT_ID:
        first = con.sql("""
            SELECT fact_id FROM facts
            WHERE indicator = (SELECT indicator FROM facts GROUP BY indicator ORDER BY count(*) DESC, indicator LIMIT 1)
            ORDER BY source_file, part, span_start
            LIMIT 1
        """).fetchall()
        FACT_ID = first[0][0] if first else ""
    fact = con.sql("""
        SELECT f.fact_id, f.region, f.indicator, f.measure, f.value, f.unit, f.year, f.year_source, f.period, f.kind,
               f.bound, f.span_start, f.span_end, f.source_file, f.doc_id,
               d.title, d.issuer, d.published_date, d.report_year,
               s.text AS sentence, s.start AS sentence_start, sec.path AS section_path
        FROM facts f
        JOIN documents d ON d.doc_id = f.doc_id
        JOIN sentences s ON s.doc_id = f.doc_id AND s.sentence_id = f.sentence_id
        LEFT JOIN sections sec ON sec.doc_id = f.doc_id AND sec.section_id = f.section_id
        WHERE f.fact_id = $fact_id
    """, params={"fact_id": FACT_ID}).pl()
FACT_ID

# %% [markdown]
# ## 原文 The figure in its sentence

# %%
def describe(row: dict) -> str:
    date = row["published_date"] or f"未注明日期 undated (report year {row['report_year'] or '?'})"
    return f"""
<p><b>{html.escape(row['title'] or '(无标题 untitled)')}</b><br>
发布 issuer: {html.escape(row['issuer'] or '?')} · 日期 date: {date} · 文件 file: <code>{html.escape(row['source_file'])}</code></p>
<p>章节 section: {html.escape(row['section_path'] or '(正文开头 before the first heading)')}</p>
<blockquote>{marked_sentence(row['sentence'], row['sentence_start'], row['span_start'], row['span_end'])}</blockquote>
<p>{row['indicator']} · {row['measure']} = {row['value']} {row['unit']} · {row['region'] or '(未识别地区 region unknown)'}
· {row['year']} ({row['year_source']}) {row['period']} · {row['kind']} · {row['bound']}</p>"""


if fact.is_empty():
    shown = charts.Note(f"没有这条数据 No fact with id {FACT_ID!r} in this warehouse." if FACT_ID
                        else "此仓库没有数据。 The warehouse holds no facts.")
else:
    shown = HTML(describe(fact.row(0, named=True)))
shown

# %% [markdown]
# ## 同一数字的所有陈述 Every statement of the same figure
#
# The reconciled figure (`facts_resolved`) this fact belongs to, and every fact that states it (`fact_sources`),
# the one whose value was kept first. A fact with no region, year or value (an anonymised or masked figure) is not
# reconciled and has no such list.

# %%
with read.connect(WAREHOUSE) as con:
    statements = con.sql("""
        SELECT s.source_rank, s.is_chosen, s.agrees_with_resolved, r.value AS resolved_value, r.conflict,
               f.fact_id, f.value, f.bound, f.source_file, d.title, d.published_date,
               sen.text AS sentence, sen.start AS sentence_start, f.span_start, f.span_end, sec.path AS section_path
        FROM fact_sources s
        JOIN facts_resolved r ON r.resolved_id = s.resolved_id
        JOIN facts f ON f.fact_id = s.fact_id
        JOIN documents d ON d.doc_id = f.doc_id
        JOIN sentences sen ON sen.doc_id = f.doc_id AND sen.sentence_id = f.sentence_id
        LEFT JOIN sections sec ON sec.doc_id = f.doc_id AND sec.section_id = f.section_id
        WHERE s.resolved_id IN (SELECT resolved_id FROM fact_sources WHERE fact_id = $fact_id)
        ORDER BY s.source_rank
    """, params={"fact_id": FACT_ID}).pl()


def statement_item(row: dict) -> str:
    kept = "保留 kept" if row["is_chosen"] else ("一致 agrees" if row["agrees_with_resolved"] else "不一致 differs")
    return (f"<li><b>{kept}</b> · {row['value']} ({row['bound']}) · <code>{html.escape(row['source_file'])}</code> · "
            f"{html.escape(row['section_path'] or '')}<br>"
            f"{marked_sentence(row['sentence'], row['sentence_start'], row['span_start'], row['span_end'])}</li>")


if statements.is_empty():
    shown = charts.Note("这条数据未参与核对（缺少地区、年份或数值）。 This fact is not reconciled: it lacks a region, a "
                        "year or a value.")
else:
    shown = HTML(f"<p>{len(statements)} statement(s); conflict: {statements['conflict'][0]}</p><ol>"
                 + "".join(statement_item(row) for row in statements.iter_rows(named=True)) + "</ol>")
shown

# %% [markdown]
# ## 同一指标的历年数字 The same indicator for the same region over time
#
# The traced figure among every reconciled figure of its region, indicator and measure, by year and period, with
# targets and forecasts beside achieved figures. This chart is saved as `04_trace_a_figure.png`.

# %%
with read.connect(WAREHOUSE) as con:
    history = con.sql("""
        SELECT r.year, r.period, CAST(r.year AS VARCHAR) || ' ' || r.period AS year_period, r.kind, r.value,
               r.bound, r.unit, r.indicator, r.region, list_contains(r.fact_ids, $fact_id) AS traced
        FROM facts_resolved r
        JOIN facts f ON f.fact_id = $fact_id
        WHERE r.region = f.region AND r.indicator = f.indicator AND r.measure = f.measure
        ORDER BY r.year, r.period
    """, params={"fact_id": FACT_ID}).pl().with_columns(
        pl.col("kind").replace(charts.KIND_LABELS).alias("kind_label"), charts.indicator_label(),
        charts.bound_label(),
    )

title = (f"{history['region'][0]} {history['indicator_label'][0]} ({history['unit'][0]})" if len(history)
         else "")
chart = alt.Chart(history).mark_point(filled=True).encode(
    x=alt.X("year_period:O", title="年份 期间 year, period", axis=alt.Axis(labelAngle=0)),
    y=alt.Y("value:Q", title="数值 value"),
    color=alt.Color("kind_label:N", title="类别 kind",
                    scale=alt.Scale(domain=list(charts.KIND_LABELS.values()), range=list(charts.KIND_COLOURS.values()))),
    size=alt.condition("datum.traced", alt.value(260), alt.value(90)),
    shape=charts.bound_shape(history),
    tooltip=["year_period:O", "kind_label:N", "value:Q", "bound_label:N", "unit:N"],
).properties(title=alt.Title(f"历年数字 Over time: {title}", subtitle="大点为所追溯的数字 the large mark is the traced figure"),
             width=360)
charts.show(chart, history, "这条数据没有地区或未参与核对，无历年数字可比。 This figure has no region or is not reconciled: "
            "nothing to compare it with.", png=OUT_DIR / "04_trace_a_figure.png")

# %% [markdown]
# ## 整份报告 The whole report, every figure marked
#
# The report the figure comes from, as `zhibiao show` draws it: every fact's characters marked and coloured by
# indicator (click one for its indicator, value, year, period, kind, region and bound; the table beside lists them
# all, each linked to its mark), and the numbers read as no fact in grey.

# %%
if fact.is_empty():
    shown = charts.Note("没有可显示的报告。 No report to show.")
else:
    report = read.document(fact["doc_id"][0], warehouse=WAREHOUSE)
    shown = report
shown
