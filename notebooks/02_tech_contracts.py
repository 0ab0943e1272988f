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
# # 技术合同 Technology contracts
#
# Technology-contract turnover absorbed by a region (吸纳: contracts its buyers signed) against turnover exported
# (输出: contracts its sellers signed), the share absorbed by enterprises, and turnover as a share of GDP.
# All figures are resolved actual levels (`facts_resolved`); money is in 亿元 (100 million yuan).

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
# ## 吸纳与输出 Absorbed versus exported turnover, by region and period
#
# Each group of bars is one region and reporting period (FY 全年 whole year, H1 上半年 first half, M1-5 一至五月
# January to May ...). Where a report gives only the undirected turnover (技术合同成交额) that bar stands alone.
# This chart is saved as `02_tech_contracts.png`.

# %%
with read.connect(WAREHOUSE) as con:
    flows = con.sql("""
        SELECT region, year, period, region || ' ' || year || ' ' || period AS region_period,
               indicator, round(value / 1e8, 2) AS value_100m_cny, bound, n_sources, conflict
        FROM facts_resolved
        WHERE indicator IN ('tech_contract_turnover', 'tech_contract_absorbed', 'tech_contract_exported',
                            'tech_contract_absorbed_by_enterprises')
          AND measure = 'level' AND kind = 'actual'
        ORDER BY region, year, period, indicator
    """).pl().with_columns(charts.indicator_label(), charts.bound_label())

# Absorbed and exported in contrasting colours; the undirected total in grey.
FLOW_COLOURS = {"tech_contract_absorbed": charts.PALETTE[0], "tech_contract_exported": charts.PALETTE[3],
                "tech_contract_absorbed_by_enterprises": charts.PALETTE[4], "tech_contract_turnover": "#999999"}
chart = alt.Chart(flows).mark_bar().encode(
    x=alt.X("value_100m_cny:Q", title="成交额（亿元） turnover (100 million CNY)"),
    y=alt.Y("region_period:N", title="地区 年份 期间 region, year, period"),
    yOffset=alt.YOffset("indicator:N", sort=list(FLOW_COLOURS)),
    color=alt.Color("indicator_label:N", title="口径 flow", legend=alt.Legend(orient="bottom", columns=1),
                    scale=alt.Scale(domain=[charts.INDICATOR_LABELS[code] for code in FLOW_COLOURS],
                                    range=list(FLOW_COLOURS.values()))),
    opacity=charts.bound_opacity(flows),
    tooltip=["region:N", "year:O", "period:N", "indicator_label:N", "value_100m_cny:Q", "bound_label:N",
             "n_sources:Q"],
).properties(title="技术合同成交额：吸纳与输出 Tech-contract turnover: absorbed vs exported", width=420)
charts.show(chart, flows, "此仓库没有技术合同成交额。 No tech-contract turnover in this warehouse.",
            png=OUT_DIR / "02_tech_contracts.png")

# %%
charts.table(flows.drop("region_period", "indicator_label", "bound_label"), "没有技术合同数据。 No tech-contract figures.")

# %% [markdown]
# ## 吸纳 / 输出 Absorbed per unit exported
#
# Above 1, the region buys more technology through contracts than it sells (`derived_metrics`,
# `tech_contract_absorbed_to_exported`).

# %%
with read.connect(WAREHOUSE) as con:
    absorbed_to_exported = con.sql("""
        SELECT region, year, period, round(value, 2) AS absorbed_per_exported, bound, formula
        FROM derived_metrics
        WHERE metric = 'tech_contract_absorbed_to_exported'
        ORDER BY region, year, period
    """).pl()
charts.table(absorbed_to_exported,
             "没有地区同时报告吸纳和输出额。 No region states both absorbed and exported turnover for one period.")

# %% [markdown]
# ## 企业吸纳占比 The enterprise share of absorbed turnover
#
# The share recomputed from the two levels (enterprise-absorbed / absorbed × 100) beside the share the report states,
# where it states one: the two should agree.

# %%
with read.connect(WAREHOUSE) as con:
    enterprise_share = con.sql("""
        SELECT m.region, m.year, m.period, m.region || ' ' || m.year || ' ' || m.period AS region_period,
               round(m.value, 2) AS recomputed_share_pct, m.bound AS recomputed_bound, r.value AS stated_share_pct,
               r.bound AS stated_bound
        FROM derived_metrics m
        LEFT JOIN facts_resolved r
               ON r.measure = 'share_pct' AND r.indicator = m.indicator AND r.region = m.region
              AND r.year = m.year AND r.period = m.period AND r.kind = m.kind
        WHERE m.metric = 'tech_contract_enterprise_share'
        ORDER BY m.region, m.year, m.period
    """).pl()

long_share = pl.concat([
    enterprise_share.select("region_period", share_pct="recomputed_share_pct", bound="recomputed_bound",
                            source=pl.lit("由两项水平计算 recomputed")),
    enterprise_share.select("region_period", share_pct="stated_share_pct", bound="stated_bound",
                            source=pl.lit("报告所述 stated")),
]).drop_nulls("share_pct").with_columns(charts.bound_label())
chart = alt.Chart(long_share).mark_point(size=120, filled=True).encode(
    x=alt.X("share_pct:Q", title="企业吸纳占比（%） enterprise share (%)", scale=alt.Scale(domain=[0, 100])),
    y=alt.Y("region_period:N", title="地区 年份 期间 region, year, period"),
    color=alt.Color("source:N", title="来源 source"),
    shape=charts.bound_shape(long_share),
    tooltip=["region_period:N", "source:N", "share_pct:Q", "bound_label:N"],
).properties(title="企业吸纳技术合同占比 Enterprise share of absorbed turnover", width=420)
charts.show(chart, long_share,
            "没有地区同时报告企业吸纳额和吸纳总额。 No region states both enterprise-absorbed and absorbed turnover.")

# %% [markdown]
# ## 成交额 / GDP Turnover as a share of GDP
#
# Whole-year turnover divided by GDP: the reference GDP the build was given (`--gdp`), else the GDP implied by the
# report's own R&D expenditure and intensity. The note says which.

# %%
with read.connect(WAREHOUSE) as con:
    gdp_ratio = con.sql("""
        SELECT region, year, CAST(year AS VARCHAR) || ' ' || region AS region_year,
               round(value, 2) AS turnover_gdp_pct, bound, note, formula
        FROM derived_metrics
        WHERE metric = 'tech_contract_gdp_ratio'
        ORDER BY region, year
    """).pl().with_columns(charts.bound_label())

chart = alt.Chart(gdp_ratio).mark_bar(color=charts.PALETTE[0]).encode(
    x=alt.X("turnover_gdp_pct:Q", title="成交额占GDP比重（%） turnover / GDP (%)"),
    y=alt.Y("region_year:N", title="年份 地区 year, region"),
    opacity=charts.bound_opacity(gdp_ratio),
    tooltip=["region:N", "year:O", "turnover_gdp_pct:Q", "bound_label:N", "note:N"],
).properties(title="技术合同成交额占GDP比重 Tech-contract turnover / GDP", width=420)
charts.show(chart, gdp_ratio,
            "没有地区同时有全年成交额和GDP（用 --gdp 加入参考GDP）。 No region has both a whole-year turnover and a GDP "
            "figure; build with --gdp to add reference GDP.")

# %%
charts.table(gdp_ratio.drop("region_year", "bound_label"), "—")
