"""`ascdemand outturn --json`: the 80% range and the track record over the demo's complete
years (2019/20 and 2020/21 before 2021/22)."""

from __future__ import annotations

import json

from ascdemand.cli import main


def test_range_and_track_record_on_the_demo(demo_db, capsys):
    assert main(["--db", str(demo_db), "outturn", "--json", "--period", "4"]) == 0
    payload = json.loads(capsys.readouterr().out)
    low, high = payload["range80"]
    net = payload["position"]["net_overspend"]
    assert low < net < high
    record = payload["track_record"]
    assert {r["year"] for r in record} == {"2019/20", "2020/21"}
    assert len(record) == 22
    for row in record:
        assert set(row) == {"year", "period", "forecast", "outturn", "error"}
        assert abs(row["error"] - (row["forecast"] - row["outturn"])) < 0.02
    assert 0.0 <= payload["range_coverage"] <= 1.0
