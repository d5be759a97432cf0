"""`ascdemand outturn`: the forecast by service line, as text or JSON."""

import json

import pytest

from ascdemand.cli import main
from ascdemand.store.connection import connect


@pytest.fixture
def db(tmp_path):
    """Staffing 100 in P1 and 160 in P2 of 2021/22 against a budget of 1,200."""
    path = tmp_path / "budget.duckdb"
    con = connect(path)
    con.execute(
        "INSERT INTO ledger VALUES ('2021/22', 1, 'staffing', 100, 0, 'b'), "
        "('2021/22', 2, 'staffing', 160, 0, 'b')"
    )
    con.execute("INSERT INTO budget_lines VALUES ('2021/22', 'staffing', 1200, 'b')")
    con.close()
    return path


def test_json_forecast_at_latest_period(db, capsys):
    """At P2: 260 to date + 130 x 10 = 1,560 against 1,200: net overspend 360."""
    assert main(["--db", str(db), "outturn", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["year"], payload["period"]) == ("2021/22", 2)
    assert payload["lines"][0]["label"] == "Staffing"
    assert payload["lines"][0]["outturn"] == pytest.approx(1560)
    assert payload["position"]["net_overspend"] == pytest.approx(360)


def test_text_table_at_an_earlier_period(db, capsys):
    """At P1: 100 x 12 = 1,200, on budget."""
    assert main(["--db", str(db), "outturn", "--year", "2021/22", "--period", "1"]) == 0
    out = capsys.readouterr().out
    assert "Staffing" in out
    assert "Net overspend:         £0" in out


@pytest.mark.parametrize(
    "args", [["--period", "3"], ["--year", "2019/20"], ["--period", "0"]], ids=str
)
def test_unknown_year_or_period_is_refused(db, capsys, args):
    assert main(["--db", str(db), "outturn", *args]) == 2
    assert capsys.readouterr().err
