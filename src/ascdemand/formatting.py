"""Numbers as people read them on a page, in a table note or a headline (display only: stored
and exported values keep their precision, exports to the penny)."""

from __future__ import annotations


def money(value: float, *, signed: bool = False) -> str:
    """One format for money everywhere: £m to one decimal from £1m, £k from £1k, else whole
    pounds; the sign before the pound sign; nothing that rounds to zero shows a sign.

    Examples: 13_017_440 -> "£13.0m"; -4_069_988 -> "-£4.1m"; 168_472 -> "£168k";
    -0.4 -> "£0"; with `signed`, 1_200_000 -> "+£1.2m".
    """
    size = abs(value)
    if size >= 999_950:
        text, shown = f"£{size / 1e6:,.1f}m", round(size / 1e6, 1)
    elif size >= 999.5:
        text, shown = f"£{size / 1e3:,.0f}k", round(size / 1e3)
    else:
        text, shown = f"£{size:,.0f}", round(size)
    if shown == 0:
        return "£0"
    if value < 0:
        return "-" + text
    return ("+" if signed else "") + text


def whole(value: float) -> str:
    """A whole number with thousands separators."""
    return f"{value:,.0f}"
