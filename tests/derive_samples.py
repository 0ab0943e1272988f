"""Hand-made reports, their facts and a small warehouse built from them, for the derive, quality and query tests.

The sentences are composed for these tests; the figures mirror the development cases (淮北's tech-contract
figures stated in a summary paragraph and again in its section, 芜湖's R&D expenditure and intensity).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from pipelines.build import REFERENCE_GDP_SCHEMA, check_results_frame
from pipelines.derive import create_derived_tables
from pipelines.quality import run_checks
from pipelines.sql import apply_comments, apply_views
from pipelines.warehouse import create_tables

YI = 100_000_000


@dataclass
class SampleDoc:
    source_file: str
    text: str
    region: str | None
    report_year: int
    published_date: datetime.date | None
    doc_type: str
    facts: list[dict] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:16]

    def fact(self, figure: str, indicator: str, measure: str, value: float | None, unit: str, year: int | None,
             *, occurrence: int = 0, period: str = "FY", kind: str = "actual", bound: str = "exact",
             year_source: str = "explicit", value_max: float | None = None) -> SampleDoc:
        start = -1
        for _ in range(occurrence + 1):
            start = self.text.index(figure, start + 1)
        self.facts.append(dict(
            figure=figure, span_start=start, span_end=start + len(figure), indicator=indicator, measure=measure,
            value=value, unit=unit, year=year, year_source=year_source, period=period, kind=kind, bound=bound,
            value_max=value_max,
        ))
        return self


def sample_docs() -> list[SampleDoc]:
    huaibei_h1 = SampleDoc(
        "huaibei_2023_h1.txt",
        "淮北市科技局2023年上半年工作总结\n"
        "上半年全市吸纳技术合同交易额50.61亿元,输出技术合同交易额11.99亿元,备案科技型中小企业xxx家。\n"
        "一、主要工作\n"
        "截至5月底,全市吸纳技术合同交易额50.61亿元,输出技术合同交易额11.99亿元,"
        "其中企业吸纳技术合同交易额45.01亿元,占比88.93%。\n"
        "二、下半年工作计划\n"
        "全年力争新认定高新技术企业120家以上。\n",
        "淮北市", 2023, datetime.date(2023, 7, 12), "half_year_summary",
    )
    (huaibei_h1
     .fact("50.61亿元", "tech_contract_absorbed", "level", 50.61 * YI, "CNY", 2023, period="M1-5")
     .fact("11.99亿元", "tech_contract_exported", "level", 11.99 * YI, "CNY", 2023, period="M1-5")
     .fact("xxx家", "tech_smes", "level", None, "count", 2023, period="H1", year_source="report")
     .fact("50.61亿元", "tech_contract_absorbed", "level", 50.61 * YI, "CNY", 2023, occurrence=1, period="M1-5")
     .fact("11.99亿元", "tech_contract_exported", "level", 11.99 * YI, "CNY", 2023, occurrence=1, period="M1-5")
     .fact("45.01亿元", "tech_contract_absorbed_by_enterprises", "level", 45.01 * YI, "CNY", 2023, period="M1-5")
     .fact("88.93%", "tech_contract_absorbed_by_enterprises", "share_pct", 88.93, "percent", 2023, period="M1-5")
     .fact("120家以上", "high_tech_enterprises_new", "level", 120, "count", 2023, kind="target", bound="at_least"))
    huaibei_fy = SampleDoc(
        "huaibei_2023.txt",
        "淮北市科技局2023年工作总结\n全年新认定高新技术企业131家,全市吸纳技术合同交易额120.3亿元。\n",
        "淮北市", 2023, datetime.date(2024, 1, 20), "annual_summary",
    )
    (huaibei_fy
     .fact("131家", "high_tech_enterprises_new", "level", 131, "count", 2023, year_source="report")
     .fact("120.3亿元", "tech_contract_absorbed", "level", 120.3 * YI, "CNY", 2023, year_source="report"))
    wuhu_2023 = SampleDoc(
        "wuhu_2023.txt",
        "芜湖市科技局2023年工作总结\n"
        "全社会研发经费投入169.4亿元,占GDP比重达3.76%,较上年提升0.28个百分点。"
        "2023年财政科技支出78.2亿元,同比增长7.04%。"
        "全市高新技术企业突破2000家,技术合同成交额320.5亿元。\n",
        "芜湖市", 2023, datetime.date(2024, 2, 5), "annual_summary",
    )
    (wuhu_2023
     .fact("169.4亿元", "rd_expenditure", "level", 169.4 * YI, "CNY", 2022, year_source="statistical_lag")
     .fact("3.76%", "rd_intensity", "level", 3.76, "percent", 2022, year_source="statistical_lag")
     .fact("0.28个百分点", "rd_intensity", "change_pp", 0.28, "pp", 2022, year_source="statistical_lag")
     .fact("78.2亿元", "fiscal_st_expenditure", "level", 78.2 * YI, "CNY", 2023)
     .fact("7.04%", "fiscal_st_expenditure", "growth_pct", 7.04, "percent", 2023)
     .fact("2000家", "high_tech_enterprises", "level", 2000, "count", 2023, bound="at_least", year_source="report")
     .fact("320.5亿元", "tech_contract_turnover", "level", 320.5 * YI, "CNY", 2023, year_source="report"))
    wuhu_2022 = SampleDoc(
        "wuhu_2022.txt",
        "芜湖市科技局2022年工作总结\n年末全市高新技术企业1850家,技术合同成交额281.6亿元。\n"
        "三、2023年工作思路\n2023年力争高新技术企业总数达到2100家。\n",
        "芜湖市", 2022, datetime.date(2023, 1, 18), "summary_and_plan",
    )
    (wuhu_2022
     .fact("1850家", "high_tech_enterprises", "level", 1850, "count", 2022, year_source="report")
     .fact("281.6亿元", "tech_contract_turnover", "level", 281.6 * YI, "CNY", 2022, year_source="report")
     .fact("2100家", "high_tech_enterprises", "level", 2100, "count", 2023, kind="target"))
    wuhu_bulletin = SampleDoc(
        "wuhu_2023_bulletin.txt",
        "芜湖市2023年科技统计快报\n年末全市高新技术企业1985家。\n",
        "芜湖市", 2023, datetime.date(2024, 3, 20), "other",
    )
    wuhu_bulletin.fact("1985家", "high_tech_enterprises", "level", 1985, "count", 2023)
    anonymous = SampleDoc(
        "anonymous_2023.txt",
        "xx市科技局2023年工作总结\n全年新增科技型中小企业210家。\n",
        None, 2023, None, "annual_summary",
    )
    anonymous.fact("210家", "tech_smes", "level", 210, "count", 2023, year_source="report")
    return [huaibei_h1, huaibei_fy, wuhu_2023, wuhu_2022, wuhu_bulletin, anonymous]


# A second name holding the same text as wuhu_2023.txt, and a file the reader could not use.
DUPLICATE_FILE = ("copies/wuhu_2023_copy.txt", "wuhu_2023.txt")
REJECTED_FILE = "empty.txt"


def _sentences(doc: SampleDoc) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^。\n]+[。\n]?", doc.text)]


def documents_frame(docs: list[SampleDoc]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            dict(doc_id=d.doc_id, source_file=d.source_file,
                 source_files=[d.source_file] + ([DUPLICATE_FILE[0]] if d.source_file == DUPLICATE_FILE[1] else []),
                 part=1, file_start=0, file_end=len(d.text), text=d.text, title=d.text.split("\n")[0], issuer=None,
                 published_date=d.published_date, index_number=None, doc_type=d.doc_type, region=d.region,
                 region_level="city" if d.region else None, province="安徽省" if d.region else None,
                 report_year=d.report_year, encoding="utf-8")
            for d in docs
        ],
        schema_overrides={"issuer": pl.String, "index_number": pl.String, "report_year": pl.Int32},
    )


def facts_frame(docs: list[SampleDoc]) -> pl.DataFrame:
    rows = []
    for d in docs:
        spans = _sentences(d)
        for mention_id, f in enumerate(d.facts):
            sentence_id = next(i for i, (s, e) in enumerate(spans) if s <= f["span_start"] < e)
            s, e = spans[sentence_id]
            rows.append(dict(
                doc_id=d.doc_id, source_file=d.source_file, region=d.region, indicator=f["indicator"],
                measure=f["measure"], value=f["value"], unit=f["unit"], year=f["year"],
                year_source=f["year_source"], period=f["period"], kind=f["kind"], bound=f["bound"],
                span_start=f["span_start"], span_end=f["span_end"], evidence=d.text[s:e],
                fact_id=f"{d.doc_id}:{mention_id}:{f['indicator']}:{f['measure']}", mention_id=mention_id,
                sentence_id=sentence_id, section_id=0, part=1, value_max=f["value_max"],
                indicator_phrase=f["indicator"],
            ))
    return pl.DataFrame(rows, schema_overrides={
        "value": pl.Float64, "value_max": pl.Float64, "year": pl.Int32, "region": pl.String,
        "span_start": pl.Int32, "span_end": pl.Int32,
    })


def reference_gdp_frame() -> pl.DataFrame:
    """芜湖's GDP (亿元) as published by its statistics bureau; 淮北 has none, on purpose."""
    return pl.DataFrame(
        {
            "region": ["芜湖市"] * 3,
            "year": [2021, 2022, 2023],
            "gdp_100m_cny": [4302.63, 4502.13, 4741.07],
            "source_kind": ["official", "mirror", "official"],
            "source_url": ["https://tjj.wuhu.gov.cn/", "https://quyushuju.com/", "https://tjj.wuhu.gov.cn/"],
        },
        schema_overrides={"year": pl.Int32},
    ).with_columns(gdp_cny=pl.col("gdp_100m_cny") * YI)


def stage_frames(docs: list[SampleDoc]) -> dict[str, pl.DataFrame]:
    """Every table the stages before derive write, filled from the sample documents."""
    documents = documents_frame(docs)
    facts = facts_frame(docs)
    sentences = pl.DataFrame(
        [dict(doc_id=d.doc_id, sentence_id=i, section_id=0, start=s, end=e, text=d.text[s:e])
         for d in docs for i, (s, e) in enumerate(_sentences(d))]
    )
    sections = pl.DataFrame(
        [dict(doc_id=d.doc_id, section_id=0, parent_id=None, level=0, number="", heading="", role="other",
              heading_year=None, heading_period=None, start=0, end=len(d.text), path="") for d in docs],
        schema_overrides={"parent_id": pl.Int64, "heading_year": pl.Int32, "heading_period": pl.String},
    )
    mentions = facts.select(
        "doc_id", "mention_id", "sentence_id", start="span_start", end="span_end",
        text=pl.lit(""), value="value", value_max="value_max", unit="unit", raw_unit=pl.lit(""),
        category=pl.lit("quantity"), bound="bound", masked=pl.col("value").is_null(),
        rank_scope=pl.lit(None, dtype=pl.String),
    )
    raw_files = pl.DataFrame(
        [dict(source_file=d.source_file, byte_size=len(d.text.encode()), byte_sha256=d.doc_id, status="read",
              text_sha256=d.doc_id) for d in docs]
        + [dict(source_file=DUPLICATE_FILE[0], byte_size=1, byte_sha256="dup", status="duplicate",
                text_sha256=d.doc_id) for d in docs if d.source_file == DUPLICATE_FILE[1]]
        + [dict(source_file=REJECTED_FILE, byte_size=0, byte_sha256="e3b0", status="rejected", text_sha256=None)]
    )
    rejected_files = pl.DataFrame(
        [dict(source_file=REJECTED_FILE, byte_size=0, reason="empty", detail="The file is empty.")]
    )
    regions = pl.DataFrame(
        [dict(name=n, short_name=n[:-1], level="city", province="安徽省", city=n, adcode=code)
         for n, code in [("淮北市", "340600"), ("芜湖市", "340200")]]
    )
    reference_gdp = reference_gdp_frame()
    return dict(
        raw_files=raw_files, rejected_files=rejected_files, documents=documents, sections=sections,
        sentences=sentences, mentions=mentions, facts=facts, regions=regions, reference_gdp=reference_gdp,
        build_info=pl.DataFrame({"key": ["extractor_version"], "value": ["sample"]}),
    )


def write_sample_tables(con: duckdb.DuckDBPyConnection, docs: list[SampleDoc]) -> None:
    """The stages' tables of the sample documents, then the derived tables, as a build writes them."""
    create_tables(con, stage_frames(docs))  # typed as pipelines/schema.toml says; absent columns NULL
    create_derived_tables(con)


DERIVED_TABLES = ("facts_resolved", "fact_sources", "derived_metrics")


def derive(facts: pl.DataFrame, documents: pl.DataFrame, reference_gdp: pl.DataFrame | None = None
           ) -> dict[str, pl.DataFrame]:
    """The derived tables of these frames (no reference GDP when None), made as the build makes them: inside an
    in-memory DuckDB holding the frames as tables."""
    con = duckdb.connect()
    try:
        gdp = pl.DataFrame(schema=REFERENCE_GDP_SCHEMA) if reference_gdp is None else reference_gdp
        create_tables(con, {"facts": facts, "documents": documents, "reference_gdp": gdp})
        create_derived_tables(con)
        return {table: con.sql(f"SELECT * FROM {table}").pl() for table in DERIVED_TABLES}
    finally:
        con.close()


def build_sample_warehouse(path: Path) -> Path:
    """What the lead's warehouse writer does, on the sample documents: tables, views, checks, comments."""
    con = duckdb.connect(str(path))
    try:
        write_sample_tables(con, sample_docs())
        apply_views(con)
        create_tables(con, {"check_results": check_results_frame(run_checks(con))})
        apply_comments(con)
    finally:
        con.close()
    return path
