"""Benchmarks: every care board from the NHS sitrep, the council's highlighted, for the demo
profile's board and for another council's (a different board)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ascdemand.models.board_standing import board_standing
from ascdemand.store import writer
from ascdemand.store.profile import save_profile, save_shipped_profile
from ascdemand.store.sitrep.comparators import board_comparators

OTHER = """
[council]
name = "Derbyshire County Council"
short_name = "Derbyshire"
ons_code = "E10000007"
icb = "QJ2"
trusts = ["RTG"]
resident_share = 0.78

[[districts]]
name = "Amber Valley"
postcode_prefixes = ["DE56"]
"""


def _with_profile(sitrep_db: Path, tmp_path: Path, text: str | None) -> Path:
    db = tmp_path / "boards.duckdb"
    shutil.copyfile(sitrep_db, db)
    with writer.transaction(db) as con:
        if text is None:
            save_shipped_profile(con, "leicestershire.toml", loaded_by="test")
        else:
            save_profile(con, text, None, source="derbyshire.toml", loaded_by="test")
    return db


@pytest.mark.parametrize(("profile", "board"), [(None, "QK1"), (OTHER, "QJ2")])
def test_all_42_boards_with_the_council_s_highlighted(
    open_app, sitrep_db, tmp_path, profile, board
):
    """A funnel plot of the P3 share, the board's standing in the store's own numbers, and a
    table of all 42 boards."""
    db = _with_profile(sitrep_db, tmp_path, profile)
    at = open_app("benchmarks", db=db)
    assert not at.error
    assert [c.proto.id.endswith("-boards_funnel") for c in at.get("plotly_chart")].count(True) == 1
    with duckdb.connect(str(db), read_only=True) as con:
        expected = board_standing(board_comparators(con), board, "p3_share")
    markdown = "\n".join(m.value for m in at.markdown)
    assert expected.sentence.split(";")[0] in markdown.replace("\\", "")
    assert f"of {expected.boards} boards" in markdown
    assert len(at.dataframe[0].value) == 42


def test_ranked_bars_for_a_rate(open_app, sitrep_db, tmp_path):
    db = _with_profile(sitrep_db, tmp_path, None)
    at = open_app("benchmarks", db=db)
    at.radio(key="boards_measure").set_value("remaining_per_1000").run()
    assert not at.exception
    assert any(c.proto.id.endswith("-boards_bars") for c in at.get("plotly_chart"))
