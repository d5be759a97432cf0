"""The embedded demo database: a seeded, Leicestershire-shaped county calibrated to the 2021 report."""
