"""No Python function is mapped over a polars column in the app's code.

Streamlit runs every session in a thread of one process. A Python function mapped over a
column (`map_elements`, `map_batches`, `map_rows`) runs on polars' thread pool and must take
the interpreter lock, while `st.dataframe` converting a polars frame holds that lock and waits
on the same pool: under load the two stalled the app for minutes (found by the 20-session load
test). Format values in the calling thread, or use native expressions, instead.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAPPED = re.compile(r"\.(map_elements|map_batches|map_rows)\(")


def test_no_polars_python_udfs_in_app_code():
    sources = [*(ROOT / "src" / "ascdemand").rglob("*.py"), *(ROOT / "pages").glob("*.py")]
    sources.append(ROOT / "app.py")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MAPPED.search(line)
    ]
    assert offenders == []
