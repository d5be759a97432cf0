"""NHS England's Acute Discharge Situation Report: reading the monthly workbooks into DuckDB.

`workbook` reads a file and finds its tables by their headings, `tables` turns each table into
tidy rows, `importer` writes a month (replacing it), `queries` serves the dashboard, and `ddl`
holds the tables' definitions.
"""
