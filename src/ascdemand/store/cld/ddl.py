"""DuckDB tables of the CLD import: the submission each stored event came from, and how each
derived discharge pathway was worked out."""

from __future__ import annotations

CLD_DDL = (
    # The reporting period of the submission whose values each CLD event holds, so an older
    # quarter imported after a newer one never overwrites it.
    """
    CREATE TABLE IF NOT EXISTS cld_events (
      table_name VARCHAR NOT NULL,
      event_reference VARCHAR NOT NULL,
      reporting_period_end DATE NOT NULL,
      batch_id VARCHAR NOT NULL,
      PRIMARY KEY (table_name, event_reference)
    )
    """,
    # CLD has no discharge pathway: the pathway and outcome of a discharge imported from it are
    # derived from the person's next service, and the rule that gave them is kept here.
    """
    CREATE TABLE IF NOT EXISTS discharge_derivations (
      discharge_id VARCHAR PRIMARY KEY,
      rule VARCHAR NOT NULL,
      batch_id VARCHAR NOT NULL
    )
    """,
)
