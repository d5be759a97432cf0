"""Red/amber/green status of a measure against its target, with the rule in words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rag:
    """A status (`green`, `amber`, `red`) and the sentence that explains it."""

    status: str
    rule: str

    @property
    def label(self) -> str:
        return {"green": "On track", "amber": "Watch", "red": "Off track"}[self.status]


def rag_status(
    value: float,
    target: float,
    *,
    amber: float = 0.05,
    red: float = 0.15,
    higher_is_worse: bool = True,
    unit: str = "",
) -> Rag:
    """Green within `amber` of the target (as a share of it), red beyond `red`, amber between.

    Only a move in the bad direction counts: with `higher_is_worse`, being below target is green.

    Raises:
        ValueError: If the thresholds are not 0 <= amber <= red or the target is not positive.
    """
    if not 0 <= amber <= red:
        raise ValueError(f"Thresholds must satisfy 0 <= amber <= red, got {amber} and {red}.")
    if target <= 0:
        raise ValueError(f"The target must be positive, got {target}.")
    excess = (value - target) / target if higher_is_worse else (target - value) / target
    status = "green" if excess <= amber else ("amber" if excess <= red else "red")
    direction = "above" if higher_is_worse else "below"
    rule = (
        f"Target {target:,.0f}{unit}. Green up to {amber:.0%} {direction} target, amber up to "
        f"{red:.0%}, red beyond. Now {abs(excess):.0%} "
        f"{direction if excess > 0 else ('below' if higher_is_worse else 'above')} target."
    )
    return Rag(status=status, rule=rule)
