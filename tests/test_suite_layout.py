"""The test suite's own rules: tests open the app only through the shared fixtures of
`tests/pages/conftest.py` (AppTest) and `tests/browser/conftest.py` (a served app), which take
its path from `app_path` in `tests/conftest.py`."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
SHARED = {TESTS / "conftest.py", TESTS / "pages" / "conftest.py", TESTS / "browser" / "conftest.py"}


def _opens_the_app(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    in_app_tests = path.parent.name in ("pages", "browser")
    return "AppTest.from_file" in text or (in_app_tests and '"app.py"' in text)


def test_only_the_shared_conftests_open_the_app():
    offenders = [
        str(path.relative_to(TESTS))
        for path in sorted(TESTS.rglob("*.py"))
        if path not in SHARED and path != Path(__file__).resolve() and _opens_the_app(path)
    ]
    assert offenders == [], "open the app with open_app, open_page or open_page_script"
