"""Budget and overspend forecast: outturn by service line, its trajectory, bridge and drivers.

Sign convention throughout: spend lines are positive money out, income lines are negative money
in (as in `budget_lines`), so the net position of the department is the plain sum of lines and
a positive variance (outturn minus budget) is an overspend.
"""
