"""The measure registry: one name and one direction per measure, matching its source query."""

from ascdemand.models.measures import MEASURES
from ascdemand.store.series import MEASURES as SERIES


def test_each_measure_reads_an_existing_series_with_the_same_unit():
    for measure in MEASURES.values():
        if measure.series is not None:
            assert measure.series in SERIES, measure.key
            assert SERIES[measure.series].unit == measure.unit, measure.key


def test_demand_rising_is_bad_news_everywhere():
    """Issue 15: +59 people in homecare was red on Overview and green on Homecare."""
    assert {m.delta_color for m in MEASURES.values()} == {"inverse"}


def test_formatting():
    assert MEASURES["homecare_people"].format(2398.4) == "2,398"
    assert MEASURES["mean_hours_per_person"].format_change(0.25) == "+0.2"
