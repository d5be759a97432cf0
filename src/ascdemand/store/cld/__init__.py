"""Importing the national Adult Social Care Client Level Data (CLD) return, Release 1.

`headers` matches the file's columns, `values` turns CLD values into the contract's, `events`
classifies and maps rows (and finds the problems), `derive` links discharges to the services
that followed them, and `importer` runs an import in one writer transaction.
"""
