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
# # 增长与目标 Growth and targets
#
# Year-on-year growth as the reports state it beside the growth recomputed from two years' levels, the prior-year
# levels a stated growth implies, targets against what was achieved, and figures that two statements give
# differently.

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
# ## 同比增长 Year-on-year growth: stated and computed
#
# One row per region, indicator and period. A dot for the growth the report states (同比增长 x%), another for the
# growth computed from the levels of two consecutive years, where the warehouse has both years. Where both exist they
# should sit on top of each other. This chart is saved as `03_growth_and_targets.png`.

# %%
with read.connect(WAREHOUSE) as con:
    growth = con.sql("""
        WITH stated AS (
            SELECT region, indicator, year, period, value, bound FROM facts_resolved
            WHERE measure = 'growth_pct' AND kind = 'actual' AND unambiguous
        ), computed AS (
            SELECT region, indicator, year, period, value, bound FROM derived_metrics WHERE metric = 'yoy_growth_pct'
        )
        SELECT region, indicator, year, period,
               stated.value AS stated_growth_pct, stated.bound AS stated_bound,
               round(computed.value, 2) AS computed_growth_pct, computed.bound AS computed_bound
        FROM stated FULL JOIN computed USING (region, indicator, year, period)
        ORDER BY region, indicator, year, period
    """).pl().with_columns(charts.indicator_label())

rows = growth.with_columns(
    row=pl.concat_str([pl.col("region"), pl.col("year"), pl.col("period"), pl.col("indicator_label")], separator=" ")
)
long_growth = pl.concat([
    rows.select("row", "region", "year", growth_pct="stated_growth_pct", bound="stated_bound",
                source=pl.lit("报告所述 stated")),
    rows.select("row", "region", "year", growth_pct="computed_growth_pct", bound="computed_bound",
                source=pl.lit("由两年水平计算 computed")),
]).drop_nulls("growth_pct").with_columns(charts.bound_label())
chart = alt.Chart(long_growth).mark_point(size=110, filled=True).encode(
    x=alt.X("growth_pct:Q", title="同比增长（%） year-on-year growth (%)"),
    y=alt.Y("row:N", title="地区 年份 期间 指标 region, year, period, indicator"),
    color=alt.Color("source:N", title="来源 source", legend=alt.Legend(orient="bottom")),
    shape=charts.bound_shape(long_growth),
    tooltip=["row:N", "source:N", "growth_pct:Q", "bound_label:N"],
).properties(title="同比增长：报告所述与计算 Year-on-year growth: stated vs computed", width=380)
charts.show(chart, long_growth, "此仓库没有同比增长数据。 No year-on-year growth in this warehouse.",
            png=OUT_DIR / "03_growth_and_targets.png")

# %% [markdown]
# ## 推算的上年水平 Implied prior-year levels
#
# "财政科技支出78.2亿元，同比增长7.04%" implies 73.05亿元 the year before: level / (1 + growth / 100), or for a
# percent level, level − change in percentage points. `year` is the earlier year. Money is in 亿元.

# %%
with read.connect(WAREHOUSE) as con:
    prior_levels = con.sql("""
        SELECT region, indicator, year AS prior_year, period,
               round(CASE WHEN unit = 'CNY' THEN value / 1e8 ELSE value END, 2) AS implied_level, bound,
               CASE WHEN unit = 'CNY' THEN '亿元 100m CNY' ELSE unit END AS unit, formula
        FROM derived_metrics
        WHERE metric = 'implied_prior_level'
        ORDER BY region, indicator, prior_year
    """).pl()
charts.table(prior_levels, "没有可推算上年水平的增长数据。 No stated growth to imply a prior-year level from.")

# %% [markdown]
# ## 目标与完成 Targets against what was achieved
#
# Attainment is actual / target × 100 for the same region, indicator and year; a target is met (`target_met`) when
# the actual reaches it (for a ceiling, 不超过, when it stays below). An actual known from one side only (首破:
# at least) gives an attainment that is a bound too, drawn pale, and leaves the outcome open where it could lie on
# either side of the target. Targets whose year the reports do not yet cover have no actual.

# %%
with read.connect(WAREHOUSE) as con:
    targets = con.sql("""
        SELECT region, indicator, measure, year, target_period, target_value, target_bound,
               actual_period, actual_value, actual_bound, round(attainment_pct, 1) AS attainment_pct,
               attainment_bound, target_met
        FROM targets_vs_actuals
        ORDER BY region, year, indicator
    """).pl().with_columns(charts.indicator_label())

attained = targets.drop_nulls("attainment_pct").with_columns(
    row=pl.concat_str([pl.col("region"), pl.col("year"), pl.col("indicator_label")], separator=" "),
    outcome=pl.when(pl.col("target_met").is_null()).then(pl.lit("未定 open"))
    .when(pl.col("target_met")).then(pl.lit("完成 met")).otherwise(pl.lit("未完成 not met")),
).with_columns(charts.bound_label("attainment_bound"))
bars = alt.Chart(attained).mark_bar().encode(
    x=alt.X("attainment_pct:Q", title="完成率（%） attainment (% of target)"),
    y=alt.Y("row:N", title="地区 年份 指标 region, year, indicator"),
    color=alt.Color("outcome:N", title="结果 outcome",
                    scale=alt.Scale(domain=["完成 met", "未完成 not met", "未定 open"],
                                    range=[charts.PALETTE[2], charts.PALETTE[3], "#999999"])),
    opacity=charts.bound_opacity(attained, "attainment_bound"),
    tooltip=["row:N", "target_value:Q", "target_bound:N", "actual_value:Q", "actual_bound:N", "attainment_pct:Q",
             "bound_label:N"],
)
target_line = alt.Chart(pl.DataFrame({"x": [100]})).mark_rule(strokeDash=[4, 3], color="#333333").encode(x="x:Q")
chart = (bars + target_line).properties(title="目标完成率 Attainment of targets", width=380)
charts.show(chart, attained,
            f"{len(targets)} 个目标中没有一个有同年的实绩可比。 None of the {len(targets)} targets has an actual "
            "figure for its year in this warehouse.")

# %%
charts.table(targets.drop("indicator_label"), "此仓库没有目标。 No targets in this warehouse.")

# %% [markdown]
# ## 来源冲突 Conflicts between sources
#
# Figures stated more than once with different values. Each row is one figure; each dot one statement of it, placed
# at its value divided by the value kept (1 = the kept value). The table below gives each statement's sentence.

# %%
with read.connect(WAREHOUSE) as con:
    conflicts = con.sql("""
        SELECT resolved_id, region, indicator, year, period, kind, resolved_value, stated_value, stated_bound,
               is_chosen,
               stated_value / nullif(resolved_value, 0) AS relative_to_kept, source_file, evidence
        FROM conflicts
        ORDER BY resolved_id, source_rank
    """).pl().with_columns(charts.indicator_label())

dots = conflicts.with_columns(
    row=pl.concat_str([pl.col("region"), pl.col("year"), pl.col("period"), pl.col("kind"), pl.col("indicator_label")],
                      separator=" "),
    statement=pl.when(pl.col("is_chosen")).then(pl.lit("保留 kept")).otherwise(pl.lit("其他 other")),
).with_columns(charts.bound_label("stated_bound")).drop_nulls("relative_to_kept")
chart = alt.Chart(dots).mark_point(size=110, filled=True, opacity=0.8).encode(
    x=alt.X("relative_to_kept:Q", title="所述值 / 保留值 stated value / kept value"),
    y=alt.Y("row:N", title="地区 年份 期间 类别 指标 region, year, period, kind, indicator"),
    color=alt.Color("statement:N", title="陈述 statement",
                    scale=alt.Scale(domain=["保留 kept", "其他 other"], range=[charts.PALETTE[0], charts.PALETTE[1]])),
    shape=charts.bound_shape(dots, "stated_bound"),
    tooltip=["row:N", "stated_value:Q", "bound_label:N", "resolved_value:Q", "source_file:N"],
).properties(title="来源冲突 Figures stated with different values", width=380)
charts.show(chart, dots, "没有来源冲突。 No figure is stated with different values.")

# %%
charts.table(conflicts.select("region", "indicator", "year", "period", "kind", "resolved_value", "stated_value",
                              "stated_bound", "is_chosen", "evidence"),
             "没有来源冲突。 No conflicts.")
