"""Numbers as people read them on a page, in a table note or a headline (display only: stored
and exported values keep their precision, exports to the penny)."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# In running prose only what can start a link, an image, an autolink, HTML or emphasis.
_PROSE_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|$~]|:(?=//))|(?<=www)(\.)", re.IGNORECASE)


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


def markdown_literal(text: str) -> str:
    """`text` shown as it is by anything that renders Markdown: a district named
    `![x](http://host/b.png)` or `[Click](http://evil.example)` stays text, never an image
    request or a live link (and `http:` is broken so it is not linked automatically)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown_prose(text: str) -> str:
    """Running prose (the briefing's paragraphs, officers' text) shown as it is by Markdown,
    escaping only what could make a link, image, autolink, HTML or emphasis, so sentences
    keep their ordinary punctuation in the source."""
    return _PROSE_SPECIAL.sub(lambda m: "\\" + (m.group(1) or m.group(2)), text)


def whole(value: float) -> str:
    """A whole number with thousands separators."""
    return f"{value:,.0f}"
