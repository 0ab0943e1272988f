"""The published warehouse opens in the DuckDB 1.x clients most SQL tools ship (docs/warehouse.md says which).

DuckDB 1.5 runs in an environment of its own (uv's isolated run), since the project's environment holds DuckDB 2.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pytest

READ_FACTS = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(duckdb.__version__, con.execute("SELECT count(*) FROM facts").fetchall()[0][0])
"""


def test_published_warehouse_opens_in_duckdb_1_5(sample_warehouse):
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed: cannot make an environment with DuckDB 1.5")
    in_duckdb_1_5 = [uv, "run", "--isolated", "--no-project", "--python", sys.executable, "--with", "duckdb==1.5.*",
                     "python", "-c"]
    installed = subprocess.run([*in_duckdb_1_5, "import duckdb"], capture_output=True, text=True, timeout=300)
    if installed.returncode != 0:
        pytest.skip(f"DuckDB 1.5 could not be installed (offline?): {installed.stderr.strip()[-300:]}")
    run = subprocess.run([*in_duckdb_1_5, READ_FACTS, str(sample_warehouse)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    version, count = run.stdout.split()
    assert version.startswith("1.5.")
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        assert int(count) == con.execute("SELECT count(*) FROM facts").fetchall()[0][0] > 0
