"""Shared look of the analyst notebooks: a CJK font for chart export, an Altair theme, colours and labels.

vl-convert (Altair's PNG/SVG exporter) ships no CJK font, so Chinese labels come out as empty boxes unless a system
font directory is registered with it. `python -m pipelines.charts` exits 0 when such a font is installed (the
Makefile's font step uses it to stay a no-op on a machine that has one).
"""

from __future__ import annotations

import hashlib
import html
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import polars as pl
import vl_convert

from pipelines.sql import INDICATOR_CODES

# (family name, font file) in order of preference; the files are what Debian/Ubuntu's packages install
# (fonts-wqy-zenhei, fonts-noto-cjk), the folders are where Linux and macOS keep fonts.
CJK_FONTS = (
    ("WenQuanYi Zen Hei", "wqy-zenhei.ttc"),
    ("Noto Sans CJK SC", "NotoSansCJK-Regular.ttc"),
    ("Noto Sans SC", "NotoSansSC-Regular.otf"),
    ("PingFang SC", "PingFang.ttc"),
)
FONT_FOLDERS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
    Path("/System/Library/Fonts"),
    Path("/Library/Fonts"),
)
FALLBACK_FONT = "sans-serif"

# Okabe & Ito's colour-blind-safe palette, the strongest colours first.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
KIND_COLOURS = {"actual": "#0072B2", "target": "#E69F00", "forecast": "#999999"}
HEATMAP_SCHEME = "blues"

DOC_TYPE_LABELS = {
    "annual_summary": "年度总结 annual summary",
    "half_year_summary": "半年总结 half-year summary",
    "work_points": "工作要点 work points",
    "summary_and_plan": "总结和计划 summary and plan",
    "other": "其他 other",
}
KIND_LABELS = {"actual": "实绩 actual", "target": "目标 target", "forecast": "预计 forecast"}
UNKNOWN_REGION = "(未识别 unknown)"


def find_cjk_font() -> tuple[str, Path] | None:
    """The first installed CJK font of CJK_FONTS: its family name and file."""
    for family, file_name in CJK_FONTS:
        for folder in FONT_FOLDERS:
            if folder.is_dir():
                found = next(folder.rglob(file_name), None)
                if found is not None:
                    return family, found
    return None


@dataclass(frozen=True, slots=True)
class Note:
    """A sentence shown in place of a chart or table that has nothing to show."""

    text: str

    def _repr_markdown_(self) -> str:
        return f"*{self.text}*"

    def __repr__(self) -> str:
        return self.text


def setup_notebook() -> None:
    """Register the CJK font with the exporter, enable the theme and the interactive renderer, and load Vega once
    into the notebook's page.

    Altair's own HTML renderers load Vega from a CDN at view time; this one puts vl-convert's bundle of Vega,
    Vega-Lite and vega-embed into the page once, so the HTML copies are interactive (tooltips) and self-contained."""
    found = find_cjk_font()
    family = FALLBACK_FONT
    if found is None:
        print("No CJK font found: Chinese labels will show as boxes. Install one: apt-get install fonts-wqy-zenhei",
              file=sys.stderr)
    else:
        family, font_file = found
        vl_convert.register_font_directory(str(font_file.parent))
    alt.theme.register("zhibiao", enable=True)(lambda: _theme(family))
    alt.renderers.register("zhibiao", interactive_renderer)
    alt.renderers.enable("zhibiao")
    pl.Config.set_fmt_str_lengths(120)
    pl.Config.set_tbl_rows(TABLE_ROWS)
    pl.Config.set_tbl_hide_dataframe_shape(True)
    from IPython import get_ipython
    from IPython.display import HTML, display

    if get_ipython() is not None:
        display(HTML(vega_script()))


def vega_script() -> str:
    """vl-convert's bundle of vega-embed, Vega and Vega-Lite (the versions Altair targets) as one inline <script>,
    inside a block so that loading it twice on a page declares nothing twice."""
    from altair.utils._importers import vl_version_for_vl_convert

    bundle = vl_convert.javascript_bundle(vl_version=vl_version_for_vl_convert())
    return f"<script>if (!window.vegaEmbed) {{\n{bundle}\n}}</script>"


def interactive_renderer(spec: dict, **_metadata) -> dict[str, str]:
    """A chart as an SVG (what a viewer without scripts shows, and the exporter's own drawing) that vega-embed
    replaces with the live chart, tooltips and all, where the page has Vega (`vega_script`)."""
    from altair.utils._importers import vl_version_for_vl_convert

    svg = vl_convert.vegalite_to_svg(spec, vl_version=vl_version_for_vl_convert())
    spec_json = json.dumps(spec, ensure_ascii=False, default=str).replace("</", "<\\/")
    element = "zb-chart-" + hashlib.sha256(spec_json.encode("utf-8")).hexdigest()[:12]
    return {
        "text/html": f'<div id="{element}" class="zb-chart">{svg}</div><script>(function () {{'
                     f' if (window.vegaEmbed) vegaEmbed(document.getElementById("{element}"), {spec_json},'
                     f' {{actions: false, renderer: "svg"}}); }})();</script>',
        "image/svg+xml": svg,
    }


def _theme(font: str) -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": font,
            "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12, "subtitleColor": "#555555"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 320, "gridColor": "#e6e6e6"},
            # The exporter measures CJK labels too narrow, so a rotated title beside them lands on top of them;
            # above the axis, level with the plot's top edge, it never collides.
            "axisY": {"titleAngle": 0, "titleAlign": "right", "titleBaseline": "bottom", "titleX": 0, "titleY": -8},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 320},
            "header": {"labelFontSize": 12, "titleFontSize": 12},
            "range": {"category": PALETTE},
            "view": {"stroke": None},
            "background": "white",
        }
    }


def show(chart: alt.TopLevelMixin, frame: pl.DataFrame, empty: str, png: Path | None = None):
    """The chart of `frame`, saved as `png` when given; or, when `frame` has no rows, the sentence `empty`."""
    if frame.is_empty():
        return Note(empty)
    if png is not None:
        png.parent.mkdir(parents=True, exist_ok=True)
        chart.save(png, scale_factor=2)
    return chart


TABLE_ROWS = 40  # a notebook table shows the first rows; the frame holds them all


@dataclass(frozen=True, slots=True)
class Table:
    """A frame shown as a plain HTML table: strings as they are (polars' own display quotes them), lists joined."""

    frame: pl.DataFrame

    def _repr_html_(self) -> str:
        def cell(value) -> str:
            if value is None:
                return '<td class="null"></td>'
            if isinstance(value, list):
                value = ", ".join("" if v is None else str(v) for v in value)
            return f"<td>{html.escape(str(value))}</td>"

        head = "".join(f"<th>{html.escape(name)}</th>" for name in self.frame.columns)
        shown = self.frame.head(TABLE_ROWS)
        body = "".join("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in shown.iter_rows())
        more = (f"<p>… {self.frame.height - TABLE_ROWS} more rows 另有 {self.frame.height - TABLE_ROWS} 行</p>"
                if self.frame.height > TABLE_ROWS else "")
        return f'<table class="dataframe"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}'

    def __repr__(self) -> str:
        return repr(self.frame)


def table(frame: pl.DataFrame, empty: str):
    """`frame` for display (as a `Table`), or the sentence `empty` when it has no rows."""
    return Note(empty) if frame.is_empty() else Table(frame)


INDICATOR_LABELS = {row["code"]: f"{row['name_zh']} {row['code']}" for row in INDICATOR_CODES}

# A figure known from one side only (首破千亿: at least 1000亿元) is drawn as a bound, never as a plain value: its own
# shape (a triangle pointing the way the true value may lie) and, on bars, a paler fill.
BOUND_LABELS = {
    "exact": "确数 exact", "about": "约数 about (≈)", "range": "区间 range (low end)",
    "at_least": "下限 at least (≥)", "at_most": "上限 at most (≤)", "unbounded": "无界 unbounded",
}
BOUND_SHAPES = {"exact": "circle", "about": "diamond", "range": "square", "at_least": "triangle-up",
                "at_most": "triangle-down", "unbounded": "cross"}


def bound_label(column: str = "bound") -> pl.Expr:
    """`bound_label`: the bound in Chinese and English, as a polars expression over `column`."""
    return pl.col(column).replace_strict(BOUND_LABELS, default=pl.col(column), return_dtype=pl.String).alias(
        "bound_label")


def _bounds_in(frame: pl.DataFrame, column: str) -> list[str]:
    present = set(frame[column].drop_nulls().to_list()) if column in frame.columns else set()
    return [b for b in BOUND_LABELS if b in present] or ["exact"]


def bound_shape(frame: pl.DataFrame, column: str = "bound") -> alt.Shape:
    """Shape by bound (over `bound_label`), the legend listing only the bounds `frame` holds."""
    bounds = _bounds_in(frame, column)
    return alt.Shape("bound_label:N", title="限定 bound", scale=alt.Scale(
        domain=[BOUND_LABELS[b] for b in bounds], range=[BOUND_SHAPES[b] for b in bounds]))


def bound_opacity(frame: pl.DataFrame, column: str = "bound") -> alt.Opacity:
    """Full fill for an exact value, a pale one for a bound or an approximation (over `bound_label`)."""
    bounds = _bounds_in(frame, column)
    return alt.Opacity("bound_label:N", title="限定 bound", scale=alt.Scale(
        domain=[BOUND_LABELS[b] for b in bounds], range=[1.0 if b == "exact" else 0.4 for b in bounds]))


def indicator_label(column: str = "indicator") -> pl.Expr:
    """`indicator_label`: the Chinese name and code of an indicator ("技术合同成交额 tech_contract_turnover"), the
    bare code of one missing from rules/facts_codes.csv (`gdp`), as a polars expression over `column`."""
    return (
        pl.col(column)
        .replace_strict(INDICATOR_LABELS, default=pl.col(column), return_dtype=pl.String)
        .alias("indicator_label")
    )


if __name__ == "__main__":
    found = find_cjk_font()
    print(f"{found[0]}: {found[1]}" if found else "no CJK font installed")
    sys.exit(0 if found else 1)
