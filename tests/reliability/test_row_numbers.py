"""Property: line breaks inside quoted values never move the row a problem is reported on.

A spreadsheet shows a CSV record as one row however many lines its quoted values span, and a
blank line as an empty row; problems are reported on that row (header = row 1), with the line of
the file added where the two differ, and the database is never touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ascdemand.store.load import load_path

AS_AT = dt.date(2021, 10, 31)
HEADER = (
    "package_id,person_id,service_type,district,client_group,start_date,end_date,"
    "hours_per_week,weekly_cost,provider,source"
)
# fault -> (column named in the problem or None, start, end, hours, extra field)
FAULTS = {
    "end before start": ("end_date", "2021-03-01", "2021-02-01", "12", ""),
    "absurd hours": ("hours_per_week", "2021-03-01", "", "500", ""),
    "impossible date": ("start_date", "31/02/2021", "", "12", ""),
    "extra field": (None, "2021-03-01", "", "12", ",extra"),
}
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def record(n: int, provider_breaks: int, line_break: str, fault: str | None) -> str:
    """One care-packages record; its provider holds `provider_breaks` line breaks (quoted)."""
    _, start, end, hours, extra = FAULTS[fault] if fault else (None, "2021-03-01", "", "12", "")
    provider = "Acme Care" + "".join(
        f"{line_break}Unit {k}, Mill Lane" for k in range(provider_breaks)
    )
    return (
        f"RP{n:04d},LAS{700000 + n},homecare,Blaby,older_adults,{start},{end},{hours},300,"
        f'"{provider}",community{extra}'
    )


@st.composite
def extract_with_line_breaks(draw: st.DrawFn) -> tuple[str, str, int, int]:
    """(CSV text, expected place, spreadsheet row, file line) of the one bad record among
    records whose quoted providers hold random line breaks, with random blank lines between."""
    count = draw(st.integers(min_value=1, max_value=7))
    bad = draw(st.integers(min_value=0, max_value=count - 1))
    fault = draw(st.sampled_from(sorted(FAULTS)))
    breaks = draw(st.lists(st.integers(0, 3), min_size=count, max_size=count))
    blanks = draw(st.lists(st.integers(0, 1), min_size=count, max_size=count))
    end_of_line = draw(st.sampled_from(["\n", "\r\n"]))
    inside = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [HEADER]
    for i in range(count):
        lines += [""] * blanks[i]
        lines.append(record(i, breaks[i], inside, fault if i == bad else None))
    text = end_of_line.join(lines) + end_of_line
    row = 2 + bad + sum(blanks[: bad + 1])
    line = row + sum(breaks[:bad])
    column = FAULTS[fault][0]
    place = f"row {row}" + (f" (line {line} of the file)" if line != row else "")
    return text, place + (f", column {column}" if column else ""), row, line


@SETTINGS
@given(case=extract_with_line_breaks())
def test_line_breaks_in_quoted_values_never_move_the_reported_row(case, loaded_db, tmp_path):
    """Hand-worked: row = 2 + records and blank lines above the bad record; line = row + the
    line breaks inside quoted values above it. One problem, named there; database untouched."""
    text, place, row, line = case
    path = tmp_path / "extract.csv"
    path.write_bytes(text.encode())
    before = hashlib.sha256(loaded_db.read_bytes()).hexdigest()
    result = load_path(loaded_db, "care_packages", path, as_at=AS_AT, loaded_by="t")
    assert result.status == "rejected"
    assert [str(p).split(": ")[0] for p in result.problems] == [f"extract.csv, {place}"]
    assert (result.problems[0].row, result.problems[0].line or row) == (row, line)
    assert hashlib.sha256(loaded_db.read_bytes()).hexdigest() == before
