"""The data contract: the columns, types and allowed values of every extract table.

Validators, the demo generator, the loader and the README all read this one definition,
so the contract cannot drift between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["text", "date", "number", "integer"]

SERVICE_TYPES = (
    "homecare",
    "reablement",
    "supported_living",
    "day_care",
    "direct_payment",
    "other",
)
PACKAGE_SOURCES = ("hospital_discharge", "community", "transfer")
PATHWAYS = ("P0", "P1", "P2", "P3")
DISCHARGE_OUTCOMES = (
    "no_ongoing_package",
    "reablement",
    "homecare",
    "temporary_residential",
    "permanent_residential",
    "other",
)
PLACEMENT_TYPES = ("temporary", "permanent")
SETTINGS = ("residential", "nursing")
CLIENT_GROUPS = (
    "older_adults",
    "learning_disability",
    "mental_health",
    "physical_disability",
    "other",
)
# Spending lines of the adult social care budget, then the income lines that offset them.
SPEND_LINES = (
    "homecare",
    "residential_nursing",
    "supported_living",
    "reablement",
    "direct_payments",
    "day_care",
    "staffing",
    "other",
)
INCOME_LINES = ("nhs_discharge_income", "nhs_one_off_transfer", "grants", "client_contributions")
SERVICE_LINES = SPEND_LINES + INCOME_LINES


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an extract: its type, whether it may be blank, and its allowed values."""

    name: str
    type: ColumnType
    required: bool = True
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    person_id: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """One extract table: its columns in order and the columns that make a row unique."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


CARE_PACKAGES = Table(
    name="care_packages",
    description="One row per package of community care (homecare, reablement, supported living ...).",
    key=("package_id",),
    columns=(
        Column("package_id", "text"),
        Column("person_id", "text", person_id=True),
        Column("service_type", "text", allowed=SERVICE_TYPES),
        Column("district", "text"),
        Column("client_group", "text", allowed=CLIENT_GROUPS),
        Column("start_date", "date"),
        Column("end_date", "date", nullable=True),
        Column("hours_per_week", "number", nullable=True, minimum=0, maximum=168),
        Column("weekly_cost", "number", minimum=0, maximum=50_000),
        Column("provider", "text", nullable=True),
        Column("source", "text", allowed=PACKAGE_SOURCES),
    ),
)

DISCHARGES = Table(
    name="discharges",
    description="One row per hospital discharge referred to adult social care.",
    key=("discharge_id",),
    columns=(
        Column("discharge_id", "text"),
        Column("person_id", "text", person_id=True),
        Column("discharge_date", "date"),
        Column("district", "text"),
        Column("hospital_trust", "text"),
        Column("pathway", "text", allowed=PATHWAYS),
        Column("outcome", "text", allowed=DISCHARGE_OUTCOMES),
    ),
)

PLACEMENTS = Table(
    name="placements",
    description="One row per care-home placement, temporary or permanent.",
    key=("placement_id",),
    columns=(
        Column("placement_id", "text"),
        Column("person_id", "text", person_id=True),
        Column("placement_type", "text", allowed=PLACEMENT_TYPES),
        Column("setting", "text", allowed=SETTINGS),
        Column("district", "text"),
        Column("client_group", "text", allowed=CLIENT_GROUPS),
        Column("start_date", "date"),
        Column("end_date", "date", nullable=True),
        Column("weekly_cost", "number", minimum=0, maximum=50_000),
        Column("standard_rate", "number", minimum=0, maximum=50_000),
        Column("additional_payment", "number", minimum=0, maximum=50_000),
        Column("provider", "text", nullable=True),
        Column("reason", "text", nullable=True),
    ),
)

BUDGET_LINES = Table(
    name="budget_lines",
    description=(
        "The approved budget of each service line for a financial year: spend lines positive, "
        "income lines negative, so the net budget is their sum."
    ),
    key=("financial_year", "service_line"),
    columns=(
        Column("financial_year", "text"),
        Column("service_line", "text", allowed=SERVICE_LINES),
        Column("budget", "number", minimum=-1e10, maximum=1e10),
    ),
)

LEDGER = Table(
    name="ledger",
    description=(
        "Actual spend and income of each service line in each financial period (April = 1), "
        "both as positive amounts: spend lines carry actual_spend, income lines carry income."
    ),
    key=("financial_year", "period", "service_line"),
    columns=(
        Column("financial_year", "text"),
        Column("period", "integer", minimum=1, maximum=12),
        Column("service_line", "text", allowed=SERVICE_LINES),
        Column("actual_spend", "number", minimum=-1e10, maximum=1e10),
        Column("income", "number", minimum=-1e10, maximum=1e10),
    ),
)

EXTRACT_TABLES: dict[str, Table] = {
    t.name: t for t in (CARE_PACKAGES, DISCHARGES, PLACEMENTS, BUDGET_LINES, LEDGER)
}
