"""The committee briefing: plain-English narrative, charts and tables after disclosure control,
exported as an A4 PDF pack or a self-contained HTML page."""
