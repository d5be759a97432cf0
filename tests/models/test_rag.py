"""The RAG rule against hand-worked cases."""

import pytest

from ascdemand.models.rag import rag_status


@pytest.mark.parametrize(
    ("value", "status"),
    [(90, "green"), (105, "green"), (110, "amber"), (115, "amber"), (116, "red")],
)
def test_thresholds_on_a_target_of_100(value, status):
    """Target 100, amber 5%, red 15%: 105 is the last green, 115 the last amber."""
    assert rag_status(value, 100).status == status


def test_lower_is_worse_flips_the_direction():
    """Target 100 where more is better: 90 is 10% short (amber), 120 is green."""
    assert rag_status(90, 100, higher_is_worse=False).status == "amber"
    assert rag_status(120, 100, higher_is_worse=False).status == "green"


def test_rule_explains_the_position():
    rag = rag_status(130, 100, unit=" people")
    assert rag.rule.startswith("Target 100 people.")
    assert "30% above target" in rag.rule
    assert rag.label == "Off track"


@pytest.mark.parametrize(
    ("amber", "red", "target"), [(0.2, 0.1, 100), (-0.1, 0.1, 100), (0.05, 0.1, 0)]
)
def test_bad_thresholds_are_refused(amber, red, target):
    with pytest.raises(ValueError, match="must"):
        rag_status(1, target, amber=amber, red=red)
