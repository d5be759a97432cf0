"""Parameter validation: each bad value is refused with a message naming the parameter."""

from __future__ import annotations

import dataclasses

import pytest

from ascdemand.models.scenario.params import DEFAULT_ROUTES, ScenarioParams, numeric_fields


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("discharges_per_week", -1.0, r"'discharges_per_week' .* between 0 and 1000 people a week"),
        ("reablement_weeks", 0.5, r"'reablement_weeks' .* between 1 and 26 weeks; got 0.5"),
        ("hours_per_person", 0.0, r"'hours_per_person' .* between 0.5 and 80"),
        ("shortfall_to_temporary_share", 1.2, r"'shortfall_to_temporary_share' .* between 0 and 1"),
        ("homecare_capacity_hours", float("nan"), r"'homecare_capacity_hours' must be a finite"),
        ("share_p0", 0.3, r"pathway mix\) must add up to 1; they add up to 1.2000"),
        ("temporary_to_homecare_share", 0.8, r"must add up to at most 1"),
    ],
)
def test_out_of_range_values_are_refused_by_name(name, value, message):
    with pytest.raises(ValueError, match=message):
        ScenarioParams().replace(**{name: value})


def test_routes_must_be_five_rows_adding_to_one():
    bad = list(DEFAULT_ROUTES)
    bad[2] = (0.0, 0.0, 0.5, 0.4, 0.0)
    with pytest.raises(ValueError, match=r"'routes' row P2 must add up to 1; it adds up to 0.9"):
        ScenarioParams(routes=tuple(bad))
    with pytest.raises(ValueError, match=r"'routes' must have 5 rows"):
        ScenarioParams(routes=DEFAULT_ROUTES[:4])


def test_unknown_names_and_non_numbers_are_refused_from_json():
    with pytest.raises(ValueError, match=r"Unknown scenario parameter\(s\): discharge_per_week"):
        ScenarioParams.from_dict({"discharge_per_week": 90})
    with pytest.raises(ValueError, match=r"'hours_per_person' must be a number, got 'twelve'"):
        ScenarioParams.from_dict({"hours_per_person": "twelve"})


def test_parameters_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ScenarioParams().hours_per_person = 3.0  # type: ignore[misc]


def test_json_round_trip_keeps_every_value():
    params = ScenarioParams(discharges_per_week=90.0, hours_per_person=12.0)
    assert ScenarioParams.from_json(params.to_json()) == params


def test_from_dict_applies_changes_over_a_base():
    base = ScenarioParams(hours_per_person=14.0)
    changed = ScenarioParams.from_dict({"discharges_per_week": "90"}, base)
    assert (changed.discharges_per_week, changed.hours_per_person) == (90.0, 14.0)


def test_every_numeric_parameter_has_label_unit_and_range():
    for f in numeric_fields():
        assert f.metadata["label"] and f.metadata["unit"], f.name
        assert f.metadata["min"] <= f.default <= f.metadata["max"], f.name


def test_average_placement_cost_includes_additional_payments():
    """£615 + 0.42 x £252 = £720.84, the report's £721 average."""
    assert ScenarioParams().residential_weekly_cost == pytest.approx(720.84)
