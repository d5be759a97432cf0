"""The house style every chart gets, checked on a bare figure (no Streamlit)."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from ascdemand.ui.charts.style import PALETTE, legend_right, style_figure, transparent


def _note(fig: go.Figure) -> str:
    return fig.layout.annotations[0].text


def test_title_axes_and_source_note():
    fig = style_figure(go.Figure(), title="People", y_title="People", source="an extract")
    assert fig.layout.title.text == "People"
    assert fig.layout.yaxis.title.text == "People"
    assert _note(fig) == "Source: an extract."
    assert tuple(fig.layout.colorway) == PALETTE


def test_the_note_gives_the_as_at_date_only_when_given():
    fig = style_figure(go.Figure(), title="t", y_title="y", source="s", as_at=dt.date(2021, 10, 31))
    assert _note(fig) == "Source: s. Data as at 31 October 2021."


def test_long_titles_and_notes_wrap_and_the_margins_make_room():
    """A 30-word note at 55 characters a line wraps; the bottom margin grows 14px a line."""
    source = " ".join(["council extract"] * 15)
    fig = style_figure(go.Figure(), title="t", y_title="y", source=source, note_width=55)
    lines = _note(fig).split("<br>")
    assert len(lines) > 1 and all(len(line) <= 55 for line in lines)
    assert fig.layout.margin.b == 76 + 14 * len(lines)


def test_legend_right_and_transparent_colours():
    assert legend_right(go.Figure()).layout.legend.orientation == "v"
    assert transparent("#0072B2") == "rgba(0, 114, 178, 0.15)"
