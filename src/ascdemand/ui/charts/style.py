"""The house style of every chart: palette, title with the unit, axes, hover and source note."""

from __future__ import annotations

import datetime as dt
import textwrap

import plotly.graph_objects as go

# Okabe-Ito: distinguishable with the common colour-vision deficiencies and in greyscale print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
BAND_FILL = "rgba(0, 114, 178, 0.15)"
BAND_FILL_95 = "rgba(0, 114, 178, 0.07)"


def style_figure(
    fig: go.Figure,
    *,
    title: str,
    y_title: str,
    source: str,
    x_title: str = "",
    height: int = 420,
    note_width: int = 110,
    as_at: dt.date | None = None,
) -> go.Figure:
    """Plain-English title with the unit, labelled axes, readable hover, and a source note.

    Note and title wrap to fit `note_width` characters of note (narrower for charts drawn in
    half-width columns). The note gives the council data's as-at date when `as_at` is given
    (charts of NHS data leave it out: their source names its own months).
    """
    dated = f" Data as at {as_at:%d %B %Y}." if as_at is not None else ""
    note = textwrap.wrap(f"Source: {source}.{dated}", note_width)
    heading = textwrap.wrap(title, max(40, note_width * 9 // 10))  # 18px type is wider than 11px
    fig.update_layout(
        title={"text": "<br>".join(heading), "x": 0, "xanchor": "left", "font": {"size": 18}},
        colorway=PALETTE,
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 20, "t": 38 + 22 * len(heading), "b": 76 + 14 * len(note)},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hovermode="x unified",
        font={"size": 13},
    )
    fig.update_yaxes(title_text=y_title, rangemode="tozero", separatethousands=True)
    fig.update_xaxes(title_text=x_title)
    fig.add_annotation(
        text="<br>".join(note),
        align="left",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yanchor="top",
        yshift=-62,  # in pixels below the plot, inside the bottom margin at any chart height
        showarrow=False,
        xanchor="left",
        font={"size": 11, "color": "#555555"},
    )
    return fig


def legend_right(fig: go.Figure) -> go.Figure:
    """A vertical legend right of the plot, so long labels never run over the title."""
    fig.update_layout(
        legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"},
        margin={"r": 230},
    )
    return fig


def transparent(hex_colour: str, alpha: float = 0.15) -> str:
    """`#RRGGBB` as an rgba() colour with the given opacity (for bands)."""
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"
