"""Plain-English service-line names, from Python and from a native polars expression."""

import polars as pl

from ascdemand.models.budget.labels import line_label, line_label_expr


def test_line_label_expression_matches_line_label():
    """The native expression names known lines as `LINE_LABELS` does and unknown codes the
    way `line_label` does, so tables read the same whichever built them."""
    codes = ["homecare", "nhs_one_off_transfer", "transforming_care", "Mixed_CASE_code"]
    frame = pl.DataFrame({"service_line": codes})
    assert frame.select(line_label_expr()).to_series().to_list() == [line_label(c) for c in codes]
