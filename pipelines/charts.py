"""Shared look of the analyst notebooks: a CJK font for chart export, an Altair theme, colours and labels.

vl-convert (Altair's PNG/SVG exporter) ships no CJK font, so Chinese labels come out as empty boxes unless a system
font directory is registered with it. `python -m pipelines.charts` exits 0 when such a font is installed (the
Makefile's font step uses it to stay a no-op on a machine that has one).
"""

from __future__ import annotations

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


def setup_notebook() -> str:
    """Register the CJK font with the exporter, enable the theme, render charts as SVG; return the font family.

    SVG keeps the HTML copies self-contained (the default renderer loads Vega from a CDN at view time)."""
    found = find_cjk_font()
    family = FALLBACK_FONT
    if found is None:
        print("No CJK font found: Chinese labels will show as boxes. Install one: apt-get install fonts-wqy-zenhei",
              file=sys.stderr)
    else:
        family, font_file = found
        vl_convert.register_font_directory(str(font_file.parent))
    alt.theme.register("zhibiao", enable=True)(lambda: _theme(family))
    alt.renderers.enable("svg")
    pl.Config.set_fmt_str_lengths(120)
    pl.Config.set_tbl_rows(40)
    pl.Config.set_tbl_hide_dataframe_shape(True)
    return family


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


def table(frame: pl.DataFrame, empty: str):
    """`frame` for display, or the sentence `empty` when it has no rows."""
    return Note(empty) if frame.is_empty() else frame


INDICATOR_LABELS = {row["code"]: f"{row['name_zh']} {row['code']}" for row in INDICATOR_CODES}


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
