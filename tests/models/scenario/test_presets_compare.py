"""The report's mitigations as presets, and the scenario-minus-baseline table."""

from __future__ import annotations

import pytest

from ascdemand.models.scenario.compare import differences
from ascdemand.models.scenario.engine import simulate
from ascdemand.models.scenario.params import ScenarioParams
from ascdemand.models.scenario.presets import PRESETS, apply_preset


def test_presets_change_the_levers_they_name():
    """Reablement: 30 -> 36 starts, and the 6 new places move 6 / (100 x 0.6) = 0.1 of P1 from
    homecare (0.55 -> 0.45) to reablement (0.35 -> 0.45). Discharges: 90 need social care and
    100 x (0.6 x 0.9 + 0.4) = 94 of 100 do, so 90 / 0.94 = 95.74 discharges a week."""
    base = ScenarioParams(
        reablement_starts_per_week=30.0,
        hours_per_person=12.5,
        discharges_per_week=100.0,
        share_p0=0.0,
        share_p1=0.6,
        share_p2=0.4,
        share_p3=0.0,
    )
    reablement = apply_preset("Reablement capacity +20%", base)
    assert reablement.reablement_starts_per_week == pytest.approx(36.0)
    assert reablement.routes[1] == pytest.approx((0.1, 0.45, 0.45, 0.0, 0.0))
    assert apply_preset("Package reviews cut mean hours to 12", base).hours_per_person == 12.0
    assert apply_preset("Homecare capacity +1,000 hours", base).homecare_capacity_hours == (
        base.homecare_capacity_hours + 1_000
    )
    back = apply_preset("Discharges back to 90 a week", base)
    assert back.discharges_per_week == pytest.approx(90 / 0.94)
    assert back.discharges_to_social_care == pytest.approx(90.0)
    with pytest.raises(KeyError, match="choose one of"):
        apply_preset("Magic", base)


@pytest.mark.parametrize("preset", [p.name for p in PRESETS])
def test_every_mitigation_lowers_temporary_beds_and_spend_when_homecare_is_short(preset):
    """With the market at capacity (the 2021 position) each mitigation eases the pressure."""
    base = ScenarioParams()
    table = differences(simulate(base, 52), {preset: simulate(apply_preset(preset, base), 52)})
    at_26 = table.filter(table["at"] == "week 26")
    temp = at_26.filter(at_26["measure"] == "People in temporary residential care")
    assert temp["difference"][0] < 0
    year = table.filter(table["at"] == "31 March")
    assert year.filter(year["measure"] == "Total spend to 31 March (£)")["difference"][0] < 0


def test_differences_of_the_baseline_with_itself_are_zero_and_checkpoints_fit_horizon():
    base = simulate(ScenarioParams(), 26)
    table = differences(base, {"same": base})
    assert set(table["at"]) == {"week 13", "week 26", "31 March"}
    assert table["difference"].abs().max() == 0.0


def test_difference_is_value_minus_baseline_with_percent():
    base = simulate(ScenarioParams(), 13)
    more = simulate(ScenarioParams(hours_per_person=13.75), 13)
    table = differences(base, {"more": more})
    row = table.filter(table["measure"] == "Homecare hours a week")
    assert row["difference"][0] == pytest.approx(row["value"][0] - row["baseline"][0])
    assert row["percent"][0] == pytest.approx(100 * row["difference"][0] / row["baseline"][0])
