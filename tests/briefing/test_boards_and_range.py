"""The briefing's care-board comparison (issue 19) and the outturn range (issue 15)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from ascdemand.briefing import charts, narrative
from ascdemand.briefing.facts import gather
from ascdemand.store.sitrep.importer import import_files

AS_AT = dt.date(2021, 10, 31)


@pytest.fixture
def demo_with_sitrep(demo_db_copy, sitrep_dir):
    import_files(
        demo_db_copy, [sitrep_dir / "may2023.xlsx", sitrep_dir / "june2023.xlsx"], user="t"
    )
    return demo_db_copy


def _section(facts, title: str) -> str:
    return " ".join(
        p for s in narrative.build_narrative(facts) if s.title == title for p in s.paragraphs
    )


def test_the_briefing_compares_the_care_board_with_every_other(demo_with_sitrep):
    with duckdb.connect(str(demo_with_sitrep), read_only=True) as con:
        facts = gather(con, AS_AT)
    assert facts.boards.height == 42 and facts.board_months == "May 2023 to June 2023"
    text = _section(facts, "How we compare")
    assert "Among the 42 NHS integrated care boards in England (May 2023 to June 2023)" in text
    assert "QK1 discharges" in text and "of 42 boards discharge fewer" in text
    names = [name for name, _ in charts.briefing_charts(facts)]
    assert "boards" in names


def test_without_the_sitrep_there_is_no_board_chart(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        facts = gather(con, AS_AT)
    assert facts.boards.is_empty()
    assert "boards" not in [name for name, _ in charts.briefing_charts(facts)]
    assert "care boards" not in _section(facts, "How we compare")


def test_the_money_section_gives_the_range_from_the_track_record(demo_db):
    """P7 of 2021/22 judged by 2019/20 and 2020/21: a range around the £0.2m forecast."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        facts = gather(con, AS_AT)
    spread = facts.money.range80
    assert spread is not None and spread.years == ("2019/20", "2020/21")
    assert spread.low < facts.money.net_overspend < spread.high
    text = _section(facts, "Money")
    assert "likely (about 4 times in 5) to land between" in text
    assert "treat it as a rough guide" in text
