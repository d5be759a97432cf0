"""The Hospital discharges page in a real browser with the real NHS sitrep imported, so its
"Delays in leaving hospital" section draws (the demo database alone has no sitrep).

Saves `tests/artifacts/discharges_with_sitrep.png` for a person to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ascdemand.store.sitrep.importer import import_files


@pytest.fixture
def sitrep_server(
    demo_db: Path, sitrep_dir: Path, serve, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A server on a copy of the demo database with all fifteen sitrep months imported."""
    folder = tmp_path_factory.mktemp("browser_sitrep")
    db = folder / "demo.duckdb"
    shutil.copyfile(demo_db, db)
    import_files(db, sorted(sitrep_dir.glob("*.xlsx")), user="test")
    with serve(db, folder / "server.log") as url:
        yield url


def test_delays_section_draws_in_chromium(sitrep_server, page, settle, assert_clean) -> None:
    """The section's heading, its three headline figures and its four charts render with no
    exception, error box or console error."""
    page.goto(f"{sitrep_server}/discharges")
    settle(page, "Hospital discharges")
    page.get_by_role("heading", name="Delays in leaving hospital").wait_for()
    labels = page.get_by_test_id("stMetricLabel").all_inner_texts()
    assert any(text.startswith("Ready to leave, still in hospital") for text in labels)
    assert any(text.startswith("Waiting 14+ days for care") for text in labels)
    assert_clean(page, "discharges_with_sitrep")
    titles = page.locator(".js-plotly-plot .gtitle").evaluate_all(
        "nodes => nodes.map(n => n.textContent)"
    )
    assert any("why patients in hospital 14 days or more" in t for t in titles), titles
    assert sum(t.startswith("NHS Leicester") for t in titles) >= 5, titles
