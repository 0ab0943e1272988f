"""`zhibiao show`: a report's text with every fact's characters marked, beside its table of facts, as one
self-contained HTML page (styles and script inline, nothing fetched), for an analyst to check the figures.

Each fact is a `<mark id="FACT_ID">` coloured by indicator; hovering shows the fact, clicking it lights its row in
the table, and each row links back to its mark. Numbers the extractor saw but read as no fact are underlined
faintly, so a reader also sees what was not read. `--all` writes one page per document and an index page.
Notebook 04 shows the same HTML (`document_fragment`).
"""

from __future__ import annotations

import html
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.sql import INDICATOR_CODES

# Light backgrounds (dark text stays readable on each) whose hues step by the golden angle through the indicator's
# place in facts_codes.csv, so that neighbouring codes never share a colour.
GOLDEN_ANGLE = 137.508
INDICATOR_ORDER = {row["code"]: i for i, row in enumerate(INDICATOR_CODES)}
NAME_ZH = {row["code"]: row["name_zh"] for row in INDICATOR_CODES}

FACT_COLUMNS = ["indicator_name", "value_shown", "year", "period", "kind", "measure", "region", "bound"]
FACT_HEADERS = ["指标 indicator", "数值 value", "年份 year", "时段 period", "类型 kind", "度量 measure",
                "地区 region", "限定 bound"]


def colour(indicator: str) -> str:
    place = INDICATOR_ORDER.get(indicator, len(INDICATOR_ORDER))
    return f"hsl({place * GOLDEN_ANGLE % 360:.0f}, 85%, {80 + place % 3 * 4}%)"


@dataclass(frozen=True)
class Document:
    doc: dict
    facts: pl.DataFrame     # facts_readable rows of the document, in text order
    unread: pl.DataFrame    # mentions of the document that became no fact

    def _repr_html_(self) -> str:  # a notebook cell holding a Document shows its page
        return document_fragment(self)


def load_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> Document:
    (doc,) = con.sql(
        "SELECT doc_id, source_file, title, issuer, published_date, region, report_year, doc_type, text "
        "FROM documents WHERE doc_id = ?", params=[doc_id]
    ).pl().iter_rows(named=True)
    facts = con.sql(
        "SELECT r.*, f.value AS canonical_value, f.unit AS canonical_unit, f.year_source "
        "FROM facts_readable r JOIN facts f USING (fact_id) WHERE r.doc_id = ? ORDER BY r.span_start, r.fact_id",
        params=[doc_id],
    ).pl()
    unread = con.sql(
        'SELECT m.mention_id, m.start, m."end", m.text, m.category, m.unit FROM mentions m '
        "WHERE m.doc_id = ? AND NOT EXISTS (SELECT 1 FROM facts f WHERE f.doc_id = m.doc_id "
        "AND f.mention_id = m.mention_id) ORDER BY m.start", params=[doc_id],
    ).pl()
    return Document(doc, facts, unread)


def find_documents(con: duckdb.DuckDBPyConnection, doc_or_file: str) -> list[str]:
    """The doc_ids a `--doc` argument names: a doc_id, or a file (its name as stored, or its last part)."""
    rows = con.execute(
        "SELECT doc_id FROM documents WHERE doc_id = $a OR source_file = $a OR list_contains(source_files, $a) "
        "OR source_file LIKE '%/' || $a ORDER BY source_file, part", {"a": doc_or_file}
    ).fetchall()
    return [doc_id for (doc_id,) in rows]


def _fact_title(row: dict) -> str:
    return (f"{row['indicator_name']} ({row['indicator']}) · {row['measure']} = {row['value_shown']} · "
            f"{row['region'] or '地区未识别 region unknown'} · {row['year'] or '?'} {row['period']} · {row['kind']} · "
            f"{row['bound']}")


def _marked_text(text: str, facts: pl.DataFrame, unread: pl.DataFrame) -> str:
    """The text as HTML with a <mark> per fact and a faint <span> per unread mention. Spans that share characters
    nest, the wider outside; one that would cross its enclosing span's end is cut there (HTML cannot overlap)."""
    items = []  # (start, end, tie-break, opening tag, closing tag)
    for row in facts.iter_rows(named=True):
        start = max(0, min(len(text), row["span_start"]))
        end = max(start, min(len(text), row["span_end"]))
        details = {k: row[k] for k in ("fact_id", *FACT_COLUMNS, "unit", "value")}
        items.append((start, end, 0,
                      f'<mark id="{html.escape(row["fact_id"])}" class="zb-fact" '
                      f'style="background:{colour(row["indicator"])}" title="{html.escape(_fact_title(row))}" '
                      f"data-fact='{html.escape(json.dumps(details, ensure_ascii=False, default=str))}'>",
                      "</mark>"))
    for row in unread.iter_rows(named=True):
        start = max(0, min(len(text), row["start"]))
        end = max(start, min(len(text), row["end"]))
        note = f"未读为事实 not read as a fact: {row['text']} ({row['category'] or '?'})"
        items.append((start, end, 1, f'<span class="zb-unread" title="{html.escape(note)}">', "</span>"))
    items.sort(key=lambda item: (item[0], -item[1], item[2]))
    out, stack, pos = [], [], 0  # stack: (end, closing tag) of the spans open at pos
    for start, end, _, opening, closing in items:
        while stack and stack[-1][0] <= start:
            close_at, tag = stack.pop()
            out += [html.escape(text[pos:close_at]), tag]
            pos = close_at
        if stack:
            end = min(end, stack[-1][0])
        out += [html.escape(text[pos:start]), opening]
        pos = start
        stack.append((end, closing))
    while stack:
        close_at, tag = stack.pop()
        out += [html.escape(text[pos:close_at]), tag]
        pos = close_at
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _fact_table(facts: pl.DataFrame) -> str:
    head = "".join(f"<th>{h}</th>" for h in ["#", *FACT_HEADERS])
    rows = []
    for number, row in enumerate(facts.iter_rows(named=True), 1):
        fact_id = html.escape(row["fact_id"])
        cells = "".join(f"<td>{html.escape('' if row[c] is None else str(row[c]))}</td>" for c in FACT_COLUMNS)
        rows.append(f'<tr id="row-{fact_id}" data-for="{fact_id}"><td><a href="#{fact_id}" '
                    f'style="border-left:0.8em solid {colour(row["indicator"])}">{number}</a></td>{cells}</tr>')
    if not rows:
        return "<p>这份报告没有读出数据。 No facts were read from this report.</p>"
    return f'<table class="zb-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _legend(facts: pl.DataFrame) -> str:
    codes = sorted(set(facts["indicator"].to_list()), key=lambda c: INDICATOR_ORDER.get(c, len(INDICATOR_ORDER)))
    return "".join(f'<span class="zb-key" style="background:{colour(c)}">{html.escape(NAME_ZH.get(c, c))}</span>'
                   for c in codes)


STYLE = """
.zb { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", sans-serif;
      color: #222; line-height: 1.7; }
.zb header { border-bottom: 1px solid #ccc; margin-bottom: .8em; }
.zb h1 { font-size: 1.3em; margin: .2em 0; }
.zb .zb-meta { color: #555; font-size: .9em; }
.zb .zb-key { display: inline-block; padding: 0 .4em; margin: .15em .3em .15em 0; border-radius: 3px; font-size: .85em; }
.zb .zb-body { display: flex; gap: 1.2em; align-items: flex-start; }
.zb .zb-text { flex: 3; white-space: pre-wrap; font-size: 1em; min-width: 0; }
.zb aside { flex: 2; position: sticky; top: 0; max-height: 96vh; overflow: auto; font-size: .85em; }
.zb mark.zb-fact { color: inherit; padding: 0 1px; border-radius: 2px; cursor: pointer; }
.zb mark.zb-fact mark.zb-fact { box-shadow: inset 0 -3px 0 #555; }
.zb mark.zb-fact:target, .zb mark.zb-lit { outline: 2px solid #d00; }
.zb .zb-unread { color: #888; text-decoration: underline dotted #bbb; }
.zb .zb-table { border-collapse: collapse; width: 100%; }
.zb .zb-table th, .zb .zb-table td { border-bottom: 1px solid #e4e4e4; padding: 2px 5px; text-align: left; }
.zb .zb-table th { position: sticky; top: 0; background: #f4f4f4; }
.zb .zb-table a { text-decoration: none; color: #036; padding-left: .3em; }
.zb .zb-table tr.zb-lit { background: #fff3c4; }
.zb #zb-detail { position: fixed; right: 1em; bottom: 1em; max-width: 28em; background: #fff; border: 1px solid #999;
                 box-shadow: 0 2px 8px rgba(0,0,0,.2); padding: .6em .8em; font-size: .9em; }
.zb #zb-detail[hidden] { display: none; }
.zb #zb-detail dt { float: left; clear: left; width: 7em; color: #666; }
.zb #zb-detail dd { margin-left: 7.5em; }
"""

# Clicking a mark shows its fact (and any fact sharing those characters) and lights its row; a row's link goes to
# the mark (the browser's own #fragment scroll) and lights it too.
SCRIPT = """
(function () {
  // currentScript is null where a notebook inserts the cell's HTML itself: the fragment is then the last one
  var roots = document.querySelectorAll('div.zb');
  var root = (document.currentScript && document.currentScript.parentNode) || roots[roots.length - 1];
  var panel = root.querySelector('#zb-detail');
  var labels = {indicator_name: '指标 indicator', value_shown: '数值 value', unit: '单位 unit', year: '年份 year',
                period: '时段 period', kind: '类型 kind', measure: '度量 measure', region: '地区 region',
                bound: '限定 bound', fact_id: '编号 id'};
  function light(ids) {
    root.querySelectorAll('.zb-lit').forEach(function (e) { e.classList.remove('zb-lit'); });
    ids.forEach(function (id) {
      var mark = document.getElementById(id), row = document.getElementById('row-' + id);
      if (mark) mark.classList.add('zb-lit');
      if (row) { row.classList.add('zb-lit'); row.scrollIntoView({block: 'nearest'}); }
    });
  }
  function show(facts) {
    panel.textContent = '';
    facts.forEach(function (fact) {
      var list = document.createElement('dl');
      Object.keys(labels).forEach(function (key) {
        var dt = document.createElement('dt'), dd = document.createElement('dd');
        dt.textContent = labels[key];
        dd.textContent = fact[key] === null || fact[key] === undefined ? '' : String(fact[key]);
        list.appendChild(dt); list.appendChild(dd);
      });
      panel.appendChild(list);
    });
    panel.hidden = false;
  }
  root.addEventListener('click', function (event) {
    var mark = event.target.closest('mark.zb-fact'), link = event.target.closest('.zb-table a');
    if (mark) {
      var facts = [], ids = [];
      for (var m = mark; m && m.matches && m.matches('mark.zb-fact'); m = m.parentElement.closest('mark.zb-fact')) {
        facts.push(JSON.parse(m.dataset.fact)); ids.push(m.id);
      }
      show(facts); light(ids);
    } else if (link) {
      light([link.closest('tr').dataset.for]);
    } else if (!event.target.closest('#zb-detail')) {
      panel.hidden = true;
    }
  });
})();
"""


def document_fragment(document: Document) -> str:
    """The marked text, the legend and the fact table as one <div class="zb"> with its style and script inside,
    for a page or a notebook cell."""
    doc = document.doc
    meta = " · ".join(html.escape(str(v)) for v in (
        doc["source_file"], doc["issuer"], doc["published_date"], doc["region"], doc["report_year"], doc["doc_type"],
    ) if v)
    counts = (f"{document.facts.height} 条数据 facts · {document.unread.height} 个数字未读为数据 numbers read as no "
              f"fact (灰色 faint)")
    return f"""<div class="zb"><style>{STYLE}</style>
<header><h1>{html.escape(doc['title'] or '(无标题 untitled)')}</h1>
<div class="zb-meta">{meta}<br>{counts} · 点击标记查看 click a mark for its fact</div>
<div>{_legend(document.facts)}</div></header>
<div class="zb-body"><div class="zb-text">{_marked_text(doc['text'], document.facts, document.unread)}</div>
<aside>{_fact_table(document.facts)}</aside></div>
<div id="zb-detail" hidden></div>
<script>{SCRIPT}</script></div>"""


def page(document: Document) -> str:
    title = html.escape(document.doc["title"] or document.doc["source_file"])
    return (f'<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"></head>\n'
            f"<body>{document_fragment(document)}</body></html>\n")


def index_page(rows: list[dict]) -> str:
    """One line per document: its page, title, file, region, year and counts."""
    lines = "".join(
        f'<tr><td><a href="{html.escape(r["page"])}">{html.escape(r["title"] or "(无标题 untitled)")}</a></td>'
        f'<td>{html.escape(r["source_file"])}</td><td>{html.escape(r["region"] or "")}</td>'
        f'<td>{r["report_year"] or ""}</td><td>{r["facts"]}</td><td>{r["unread"]}</td></tr>'
        for r in rows
    )
    return (f'<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><title>zhibiao: reports</title></head>'
            f'<body><div class="zb"><style>{STYLE}</style><h1>报告 Reports ({len(rows)})</h1>'
            f'<table class="zb-table"><thead><tr><th>标题 title</th><th>文件 file</th><th>地区 region</th>'
            f"<th>年份 year</th><th>数据 facts</th><th>未读数字 unread</th></tr></thead><tbody>{lines}</tbody>"
            f"</table></div></body></html>\n")


def write_pages(warehouse: Path, out: Path, doc: str | None = None) -> list[Path]:
    """With `doc`: its page at `out`. Without: a page per document and index.html in the folder `out`."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        if doc is not None:
            doc_ids = find_documents(con, doc)
            if not doc_ids:
                raise LookupError(f"{warehouse} has no document with id or file {doc!r}")
            if len(doc_ids) > 1:
                raise LookupError(f"{doc!r} holds {len(doc_ids)} documents; name one by id: {', '.join(doc_ids)}")
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(page(load_document(con, doc_ids[0])), encoding="utf-8")
            return [out]
        out.mkdir(parents=True, exist_ok=True)
        written, rows = [], []
        for (doc_id,) in con.execute("SELECT doc_id FROM documents ORDER BY source_file, part").fetchall():
            document = load_document(con, doc_id)
            path = out / f"{doc_id}.html"
            path.write_text(page(document), encoding="utf-8")
            written.append(path)
            rows.append({**document.doc, "page": path.name, "facts": document.facts.height,
                         "unread": document.unread.height})
        index = out / "index.html"
        index.write_text(index_page(rows), encoding="utf-8")
        return [index, *written]
    finally:
        con.close()


def run(warehouse: Path, out: Path, doc: str | None) -> int:
    """The command: write the page(s), then say where."""
    try:
        written = write_pages(warehouse, out, doc)
    except LookupError as error:
        print(f"zhibiao: nothing written: {error}", file=sys.stderr)
        return 2
    print(f"{written[0]}" + (f"  (and {len(written) - 1} report pages beside it)" if len(written) > 1 else ""))
    return 0
