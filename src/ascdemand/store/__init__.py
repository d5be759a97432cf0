"""The storage layer: DuckDB schema, connections, extract loading and the SQL behind every view."""
