"""One money format everywhere (issue 15): £m above £1m, £k below, sign before the pound."""

import pytest

from ascdemand.formatting import money


@pytest.mark.parametrize(
    ("value", "signed", "shown"),
    [
        (13_017_440, False, "£13.0m"),
        (-4_069_988, False, "-£4.1m"),
        (168_472, False, "£168k"),
        (-12_345, False, "-£12k"),
        (450, False, "£450"),
        (-0.4, False, "£0"),
        (0, True, "£0"),
        (1_200_000, True, "+£1.2m"),
        (-1_200_000, True, "-£1.2m"),
        (999_999, False, "£1.0m"),
        (999.7, False, "£1k"),
    ],
)
def test_money(value, signed, shown):
    assert money(value, signed=signed) == shown


def test_exports_round_money_to_the_penny_and_shares_to_four_places():
    import polars as pl

    from ascdemand.exports import to_csv_bytes

    frame = pl.DataFrame(
        {"spend": [-4069987.996, 12.3456], "share": [-0.0071428, 0.5], "n": [1, 2]}
    )
    text = to_csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines() == ["spend,share,n", "-4069988.0,-0.0071,1", "12.35,0.5,2"]
