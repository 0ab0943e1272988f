"""Reading a built warehouse in tests: read-only, closed at once, so the next build may replace the file."""

from __future__ import annotations

from pathlib import Path

import duckdb


def rows(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
