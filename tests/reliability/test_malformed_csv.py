"""Property: random malformed CSVs never crash `ascdemand load` and never change the database.

Each generated header lacks at least one required column, so every file is malformed; its cells
are random text (delimiters, quotes, line breaks, non-ASCII, dates, numbers) so every parser and
check runs on garbage. A second property feeds raw random bytes.
"""

from __future__ import annotations

import hashlib
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ascdemand import cli
from ascdemand.store.contract import CARE_PACKAGES

COLUMNS = list(CARE_PACKAGES.column_names)
CELL_TEXT = st.one_of(
    st.text(alphabet=string.printable + "é£€ß\u00a0\ufeff", max_size=12),
    st.sampled_from(["2021-02-31", "31/02/2021", "44256", "", "NaN", "1e400", "-0", "P1"]),
    st.sampled_from(["homecare", "older_adults", "=1+1", "'; DROP TABLE x;--", '"', ",", "\n"]),
)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def malformed_csv(draw: st.DrawFn) -> bytes:
    """A header missing at least one required column (plus stray names), then random rows."""
    dropped = draw(st.sampled_from(COLUMNS))
    kept = draw(st.lists(st.sampled_from([c for c in COLUMNS if c != dropped]), max_size=12))
    junk = draw(st.lists(st.text(string.ascii_letters + " _", max_size=8), max_size=3))
    header = kept + junk or ["x"]
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    rows = draw(
        st.lists(
            st.lists(CELL_TEXT, min_size=0, max_size=len(header) + 2),
            max_size=8,
        )
    )
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load(db: Path, path: Path) -> int:
    return cli.main(["--db", str(db), "load", "care_packages", str(path), "--wait", "5"])


@SETTINGS
@given(content=malformed_csv())
def test_random_malformed_csv_is_rejected_cleanly(content, loaded_db, tmp_path):
    """Exit status 2 (never an exception), and the database file byte-for-byte as before."""
    path = tmp_path / "random.csv"
    path.write_bytes(content)
    before = file_digest(loaded_db)
    assert _load(loaded_db, path) == 2
    assert file_digest(loaded_db) == before


@SETTINGS
@given(content=st.binary(min_size=0, max_size=400))
def test_random_bytes_are_rejected_cleanly(content, loaded_db, tmp_path):
    """Arbitrary bytes named .csv: rejected with exit status 2, database file unchanged."""
    path = tmp_path / "noise.csv"
    path.write_bytes(content)
    before = file_digest(loaded_db)
    assert _load(loaded_db, path) == 2
    assert file_digest(loaded_db) == before


def test_bytes_that_look_compressed_are_rejected_cleanly(loaded_db, tmp_path):
    """Found by hypothesis: a zlib header (x\\x01) made the CSV reader try to decompress and
    raise OSError; it must be an ordinary rejection that changes nothing."""
    path = tmp_path / "zlib.csv"
    path.write_bytes(b"x\x01\x06\x00")
    before = file_digest(loaded_db)
    assert _load(loaded_db, path) == 2
    assert file_digest(loaded_db) == before
