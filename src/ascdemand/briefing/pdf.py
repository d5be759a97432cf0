"""The A4 PDF briefing pack: title page, narrative, charts (PNG via kaleido) and tables.

Kaleido drives a headless Chromium (Debian's `/usr/bin/chromium` here) to turn the plotly
charts into images; all of them are rendered in one browser session to keep the build quick.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
from fpdf import FPDF
from fpdf.fonts import FontFace
from pypdf import PdfReader

from ascdemand.briefing import charts as briefing_charts
from ascdemand.briefing import tables
from ascdemand.briefing.facts import BriefingFacts
from ascdemand.briefing.narrative import Section, build_narrative

TITLE = "Adult social care: demand and budget pressures"
CHROMIUM = Path("/usr/bin/chromium")
_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/Library/Fonts"),
)
BODY_PT = 12
MARGIN = 18
GREY = (85, 85, 85)
# Narrative sections that open the pack; the glossary ("About these figures") closes it.
_LEAD_SECTIONS = 6
# A table cell holds at most this many lines: a longer value (a district or provider name of
# hundreds of characters) is cut short with an ellipsis, so no row outgrows a page.
_CELL_LINES = 3
_CELL_PADDING = 1.2

# The charts that share a page: two per page, demand first, then money and comparators.
CHART_CAPTIONS = {
    "homecare_people": "The number of people with homecare each Monday.",
    "homecare_hours": "Hours of homecare the council has arranged each week.",
    "temporary_residential": "People in short-term care-home beds each Monday.",
    "discharges": "People leaving hospital each week who needed care arranged by the council.",
    "overspend": "How the forecast for the year has moved as each month closed.",
    "boards": "Our care board (black diamond) among every integrated care board in England, by "
    "how many patients each discharged. Points beyond the dashed lines differ from England "
    "by more than chance would usually make.",
    "comparators": "{home} (black) against comparable councils.",
}


def document_title(facts: BriefingFacts) -> str:
    """The pack's title with the council's name, for the file's metadata and footer."""
    return f"{facts.profile.name}: {TITLE}"


def subtitle(facts: BriefingFacts) -> str:
    """Whose pack it is and who it is for: the council and its committee, from its profile."""
    return f"{facts.profile.name}. Briefing for the {facts.profile.committee}"


def chart_caption(facts: BriefingFacts, name: str) -> str:
    """The caption under one chart of the pack."""
    return CHART_CAPTIONS.get(name, "").format(home=facts.profile.home_comparator)


def chart_images(figures: Sequence[tuple[str, go.Figure]], scale: float = 2.0) -> dict[str, bytes]:
    """PNG bytes of each chart, rendered together in one headless-browser session."""
    if "BROWSER_PATH" not in os.environ and CHROMIUM.exists():
        os.environ["BROWSER_PATH"] = str(CHROMIUM)
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"{name}.png" for name, _ in figures]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            pio.write_images(
                [fig for _, fig in figures],
                paths,
                format="png",
                width=briefing_charts.WIDTH,
                height=briefing_charts.HEIGHT,
                scale=scale,
            )
        return {name: path.read_bytes() for (name, _), path in zip(figures, paths, strict=True)}


class _Pack(FPDF):
    """A4 portrait with a footer on every page but the first."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 4)
        self.family = _register_fonts(self)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-MARGIN + 2)
        self.set_font(self.family, "", 9)
        self.set_text_color(*GREY)
        self.cell(self.w - self.l_margin - self.r_margin - 36, 6, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def _register_fonts(pdf: FPDF) -> str:
    """Use DejaVu Sans (full Unicode, clear in print) when installed, else Helvetica."""
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdf.add_font("DejaVu", "", str(regular))
            pdf.add_font("DejaVu", "B", str(bold))
            return "DejaVu"
    return "helvetica"


def _text(pdf: _Pack, value: str) -> str:
    """Helvetica only knows Latin-1: swap the few other characters the briefing uses."""
    if pdf.family != "helvetica":
        return value
    swaps = (("–", "-"), ("—", "-"), ("\u2022", "-"), ("’", "'"), ("“", '"'), ("”", '"'))
    for a, b in (*swaps, ("\u2026", "...")):
        value = value.replace(a, b)
    return value.encode("latin-1", "replace").decode("latin-1")


def _heading(pdf: _Pack, text: str, size: int = 18) -> None:
    pdf.set_font(pdf.family, "B", size)
    pdf.multi_cell(0, size * 0.5, _text(pdf, text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(pdf.family, "", BODY_PT)


def _paragraph(pdf: _Pack, text: str) -> None:
    pdf.set_font(pdf.family, "", BODY_PT)
    pdf.multi_cell(0, 6.2, _text(pdf, text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2.5)


def _bullet(pdf: _Pack, text: str) -> None:
    """A bulleted paragraph with a hanging indent."""
    pdf.set_font(pdf.family, "", BODY_PT)
    left = pdf.l_margin
    pdf.cell(6, 6.2, _text(pdf, "\u2022"))
    pdf.set_left_margin(left + 6)
    pdf.multi_cell(0, 6.2, _text(pdf, text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_left_margin(left)
    pdf.set_x(left)
    pdf.ln(2.5)


def _term(pdf: _Pack, term: str, meaning: str) -> None:
    """A glossary entry: the term in bold, then its meaning, wrapping as one paragraph."""
    pdf.set_font(pdf.family, "B", BODY_PT)
    pdf.write(6.2, _text(pdf, f"{term}: "))
    pdf.set_font(pdf.family, "", BODY_PT)
    pdf.write(6.2, _text(pdf, meaning))
    pdf.ln(6.2 + 2.5)


def _title_page(pdf: _Pack, facts: BriefingFacts, produced: dt.date) -> None:
    pdf.add_page()
    pdf.set_y(60)
    pdf.set_font(pdf.family, "B", 28)
    pdf.multi_cell(0, 13, _text(pdf, TITLE), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(pdf.family, "", 16)
    pdf.multi_cell(0, 8, _text(pdf, subtitle(facts)), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font(pdf.family, "B", 16)
    pdf.cell(
        0, 9, _text(pdf, f"Figures as at {facts.as_at:%d %B %Y}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(pdf.family, "", 14)
    pdf.cell(0, 8, _text(pdf, f"Area: {facts.area}"), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, f"Produced on {produced:%d %B %Y}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(-80)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(4)
    pdf.set_font(pdf.family, "", 11)
    pdf.multi_cell(
        0,
        5.5,
        _text(
            pdf,
            "This pack contains no information about individual people. Counts of 1 to 7 "
            "people are shown as *, other counts are rounded to the nearest 5, and further "
            "figures are hidden where a hidden one could be worked out from totals.",
        ),
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )


def _narrative(pdf: _Pack, sections: Sequence[Section]) -> None:
    pdf.add_page()
    for section in sections:
        if pdf.get_y() > pdf.h - 70:
            pdf.add_page()
        _heading(pdf, section.title, 17)
        for paragraph in section.paragraphs:
            (_bullet if section.bullets else _paragraph)(pdf, paragraph)
        for term, meaning in section.terms:
            _term(pdf, term, meaning)
        pdf.ln(2)


def _charts(
    pdf: _Pack, facts: BriefingFacts, images: dict[str, bytes], names: Sequence[str]
) -> None:
    width = pdf.w - 2 * MARGIN
    height = width * briefing_charts.HEIGHT / briefing_charts.WIDTH
    for i, name in enumerate(names):
        if i % 2 == 0:
            pdf.add_page()
            if i == 0:
                _heading(pdf, "Charts", 17)
        pdf.image(_png(images[name]), x=MARGIN, w=width, h=height)
        pdf.set_font(pdf.family, "", 11)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(
            0,
            5.5,
            _text(pdf, chart_caption(facts, name)),
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(0, 0, 0)
        pdf.ln(6)


def _png(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def _fit(pdf: _Pack, text: str, width: float) -> str:
    """`text`, cut short with an ellipsis to what `_CELL_LINES` lines of a cell `width` mm wide
    hold in the current font (a sixth spared for the ends of wrapped lines)."""
    room = _CELL_LINES * (width - 2 * _CELL_PADDING) * 0.85
    if pdf.get_string_width(text) <= room:
        return text
    ellipsis = _text(pdf, "\u2026")
    low, high = 0, len(text)
    while low < high:  # the longest start of the text that fits with the ellipsis
        middle = (low + high + 1) // 2
        if pdf.get_string_width(text[:middle].rstrip() + ellipsis) <= room:
            low = middle
        else:
            high = middle - 1
    space = text.rfind(" ", 0, low + 1)
    if space > max(0, low - 20):  # end on a whole word where one ends near the cut
        low = space
    return text[:low].rstrip() + ellipsis


def _table(pdf: _Pack, title: str, frame: pl.DataFrame, note: str, widths=None) -> None:
    """One titled table; text columns left, numbers right, header shaded light grey. A cell
    too long for `_CELL_LINES` lines of its column is cut short (`_fit`)."""
    if pdf.get_y() > pdf.h - 80:
        pdf.add_page()
    _heading(pdf, title, 14)
    pdf.set_font(pdf.family, "", 10.5)
    align = [
        "RIGHT"
        if all(tables.is_numeric_text(str(v)) for v in frame[c].to_list() if v)
        and frame[c].drop_nulls().len() > 0
        else "LEFT"
        for c in frame.columns
    ]
    total = pdf.w - 2 * MARGIN
    shares = list(widths) if widths else [1] * len(frame.columns)
    cell_widths = [total * share / sum(shares) for share in shares]
    with pdf.table(
        col_widths=widths,
        text_align=align,
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 225, 225)),
        line_height=6,
        padding=_CELL_PADDING,
        width=total,
    ) as table:
        table.row([_text(pdf, c) for c in frame.columns])
        for row in frame.iter_rows():
            table.row(
                [
                    _fit(pdf, _text(pdf, "" if v is None else str(v)), width)
                    for v, width in zip(row, cell_widths, strict=True)
                ]
            )
    if note:
        pdf.set_font(pdf.family, "", 10)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(0, 5, _text(pdf, note), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.ln(6)


def _tables(pdf: _Pack, facts: BriefingFacts) -> None:
    pdf.add_page()
    for spec in tables.briefing_tables(facts):
        _table(pdf, spec.title, spec.frame, spec.note, spec.widths)


def render(
    facts: BriefingFacts,
    *,
    produced: dt.date | None = None,
    images: dict[str, bytes] | None = None,
) -> bytes:
    """The briefing pack as PDF bytes.

    Args:
        facts: The published content (from `facts.gather`).
        produced: The date printed on the title page (default today).
        images: Chart PNGs by name in reading order, when already rendered (default:
            rendered here).
    """
    sections = build_narrative(facts)
    if images is None:
        images = chart_images(briefing_charts.briefing_charts(facts))
    pdf = _Pack(f"{facts.profile.short_name}: {TITLE.lower()}, as at {facts.as_at:%d %B %Y}")
    pdf.set_title(document_title(facts))
    pdf.set_author(f"{facts.profile.name}, {facts.profile.department}")
    pdf.set_creation_date(dt.datetime.now(dt.UTC))
    _title_page(pdf, facts, produced or dt.date.today())
    _narrative(pdf, sections[:_LEAD_SECTIONS])
    _charts(pdf, facts, images, list(images))
    _tables(pdf, facts)
    _narrative(pdf, sections[_LEAD_SECTIONS:])
    return bytes(pdf.output())


def build_pdf(
    facts: BriefingFacts, path: str | os.PathLike[str], *, produced: dt.date | None = None
) -> int:
    """Write the briefing pack to `path` and return its number of pages."""
    data = render(facts, produced=produced)
    Path(path).write_bytes(data)
    return len(PdfReader(io.BytesIO(data)).pages)
