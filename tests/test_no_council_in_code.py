"""Nothing council-specific in code: the demo county's name lives only in the demo generator
and its shipped profile (issue 14's acceptance check, kept as a test)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = ("src/ascdemand/demo/", "src/ascdemand/profile/shipped/")
PATTERN = re.compile(r"leicestershire|\bQK1\b|\bRWE\b", re.IGNORECASE)


def test_the_demo_council_is_named_only_in_the_demo_and_its_profile():
    files = [ROOT / "app.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "src").rglob("*")]
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in files
        if path.is_file()
        and path.suffix in {".py", ".toml", ".csv"}
        and not str(path.relative_to(ROOT)).startswith(ALLOWED)
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if PATTERN.search(line)
    ]
    assert found == [], found
