"""The briefing as one self-contained HTML file: the same text, charts and tables as the PDF.

The plotly library is embedded once, so the file opens offline and its charts stay interactive;
the page prints cleanly on A4 (one chart per block, no page break inside a table).
"""

from __future__ import annotations

import datetime as dt
from html import escape

import plotly.graph_objects as go
import polars as pl

from ascdemand.briefing import charts as briefing_charts
from ascdemand.briefing import tables
from ascdemand.briefing.facts import BriefingFacts
from ascdemand.briefing.narrative import Section, build_narrative
from ascdemand.briefing.pdf import TITLE, chart_caption, document_title, subtitle

_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 18px; line-height: 1.5;
       color: #000; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 2.2rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.5rem; margin-top: 2rem; border-bottom: 2px solid #000; }
.meta { font-size: 1.1rem; color: #333; }
.note { font-size: 0.9rem; color: #444; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; page-break-inside: avoid; }
th, td { border: 1px solid #555; padding: 0.3rem 0.5rem; vertical-align: top; }
th { background: #e1e1e1; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5rem 0; page-break-inside: avoid; }
figcaption { color: #444; }
dt { font-weight: bold; margin-top: 0.6rem; }
dd { margin-left: 1.5rem; }
@media print { body { font-size: 12pt; max-width: none; } }
"""


def _section(section: Section) -> str:
    if section.bullets:
        items = "".join(f"<li>{escape(p)}</li>" for p in section.paragraphs)
        body = f"<ul>{items}</ul>"
    else:
        body = "\n".join(f"<p>{escape(p)}</p>" for p in section.paragraphs)
    if section.terms:
        entries = "".join(f"<dt>{escape(t)}</dt><dd>{escape(m)}</dd>" for t, m in section.terms)
        body += f"<dl>{entries}</dl>"
    return f"<section><h2>{escape(section.title)}</h2>\n{body}</section>"


def _table(spec: tables.TableSpec) -> str:
    frame: pl.DataFrame = spec.frame
    head = "".join(f"<th scope='col'>{escape(c)}</th>" for c in frame.columns)
    body = []
    for row in frame.iter_rows():
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            cls = " class='num'" if tables.is_numeric_text(text) else ""
            cells.append(f"<td{cls}>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = f"<p class='note'>{escape(spec.note)}</p>" if spec.note else ""
    return (
        f"<section><h2>{escape(spec.title)}</h2><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{note}</section>"
    )


def _figure(facts: BriefingFacts, name: str, fig: go.Figure, first: bool) -> str:
    chart = (
        go.Figure(fig)
        .update_layout(width=None, autosize=True)
        .to_html(
            full_html=False,
            include_plotlyjs=first,
            config={"displaylogo": False, "responsive": True},
            default_width="100%",
        )
    )
    caption = escape(chart_caption(facts, name))
    return f"<figure>{chart}<figcaption>{caption}</figcaption></figure>"


def build_html(facts: BriefingFacts, *, produced: dt.date | None = None) -> str:
    """The whole briefing as one HTML document (plotly.js embedded, no external requests)."""
    produced = produced or dt.date.today()
    sections = build_narrative(facts)
    figures = briefing_charts.briefing_charts(facts)
    charts_html = "\n".join(
        _figure(facts, name, fig, i == 0) for i, (name, fig) in enumerate(figures)
    )
    tables_html = "\n".join(_table(spec) for spec in tables.briefing_tables(facts))
    lead, about = sections[:-1], sections[-1]
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(document_title(facts))} - as at {facts.as_at:%d %B %Y}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{escape(TITLE)}</h1>
<p class="meta">{escape(subtitle(facts))}</p>
<p class="meta"><strong>Figures as at {facts.as_at:%d %B %Y}</strong>. Area: {escape(facts.area)}.
Produced on {produced:%d %B %Y}.</p>
<p class="note">This briefing contains no information about individual people. Counts of 1 to 7
people are shown as *, other counts are rounded to the nearest 5.</p>
</header>
<main>
{"".join(_section(s) for s in lead)}
<section><h2>Charts</h2>
{charts_html}
</section>
{tables_html}
{_section(about)}
</main>
</body>
</html>
"""
