"""Budget to forecast outturn in steps: the net budget, each line's variance, the outturn."""

from __future__ import annotations

import polars as pl

from ascdemand.models.budget.labels import line_label_expr


def waterfall(lines: pl.DataFrame) -> pl.DataFrame:
    """Steps from the net budget to the forecast outturn, for a waterfall chart.

    Args:
        lines: `Forecast.lines` (service_line, budget, outturn, variance ...).

    Returns:
        label, amount, measure ("absolute" for the budget, "relative" for each line's
        variance, "total" for the outturn). The budget plus the relative steps equals the
        outturn, which is the sum of the lines' outturns.
    """
    steps = lines.filter(pl.col("variance") != 0).select(
        line_label_expr().alias("label"),
        pl.col("variance").alias("amount"),
        pl.lit("relative").alias("measure"),
    )
    start = pl.DataFrame(
        {"label": ["Net budget"], "amount": [float(lines["budget"].sum())], "measure": ["absolute"]}
    )
    end = pl.DataFrame(
        {
            "label": ["Forecast outturn"],
            "amount": [float(lines["outturn"].sum())],
            "measure": ["total"],
        }
    )
    return pl.concat([start, steps, end])
