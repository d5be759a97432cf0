"""DuckDB tables for the discharge sitrep; every row carries the reporting month it came from.

Re-importing a month deletes that month from each table first, so the month is the unit of
replacement. England and region rows have no NHS code in the workbook: their `org_code` is their
upper-case name (e.g. `ENGLAND`, `MIDLANDS`).
"""

from __future__ import annotations

ORG_TYPES = ("england", "region", "icb", "trust")

_ORG_COLUMNS = """
  org_type VARCHAR NOT NULL CHECK (org_type IN ('england', 'region', 'icb', 'trust')),
  region VARCHAR,
  org_code VARCHAR NOT NULL,
  org_name VARCHAR NOT NULL,"""

SITREP_TABLES = (
    "sitrep_discharges",
    "sitrep_criteria_to_reside",
    "sitrep_delay_days",
    "sitrep_delay_reasons",
    "sitrep_months",
)

SITREP_DDL = (
    f"""
    CREATE TABLE IF NOT EXISTS sitrep_discharges (
      month DATE NOT NULL,{_ORG_COLUMNS}
      destination VARCHAR NOT NULL,
      pathway VARCHAR NOT NULL CHECK (pathway IN ('P0', 'P1', 'P2', 'P3')),
      patients INTEGER CHECK (patients >= 0),
      PRIMARY KEY (month, org_type, org_code, destination)
    )
    """,
    f"""
    CREATE TABLE IF NOT EXISTS sitrep_criteria_to_reside (
      month DATE NOT NULL,
      day DATE NOT NULL,{_ORG_COLUMNS}
      not_meeting_criteria INTEGER CHECK (not_meeting_criteria >= 0),
      discharged INTEGER CHECK (discharged >= 0),
      remaining INTEGER CHECK (remaining >= 0),
      PRIMARY KEY (month, day, org_type, org_code)
    )
    """,
    f"""
    CREATE TABLE IF NOT EXISTS sitrep_delay_days (
      month DATE NOT NULL,
      week_start DATE NOT NULL,{_ORG_COLUMNS}
      min_length_of_stay INTEGER NOT NULL,
      additional_bed_days INTEGER CHECK (additional_bed_days >= 0),
      PRIMARY KEY (month, week_start, org_type, org_code, min_length_of_stay)
    )
    """,
    f"""
    CREATE TABLE IF NOT EXISTS sitrep_delay_reasons (
      month DATE NOT NULL,{_ORG_COLUMNS}
      reason VARCHAR NOT NULL,
      average_patients DOUBLE CHECK (average_patients >= 0),
      PRIMARY KEY (month, org_type, org_code, reason)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS sitrep_months (
      month DATE PRIMARY KEY,
      file_name VARCHAR NOT NULL,
      file_sha256 VARCHAR NOT NULL,
      published DATE,
      imported_at TIMESTAMP NOT NULL,
      imported_by VARCHAR
    )
    """,
)
