"""Named SQL queries: one query per file in `queries/`, parameters bound, never formatted in.

A query is addressed by its file name (`queries/school_trend.sql` is `school_trend`) and takes
DuckDB named parameters (`$urn`). Keeping SQL in files lets it be read, reviewed and run in a
DuckDB shell on its own.
"""

from __future__ import annotations

from functools import cache

from impact.config import QUERIES_DIR


@cache
def load_sql(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"query names are letters, digits and underscores: {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.exists():
        raise FileNotFoundError(f"no query named {name!r} (looked for {path})")
    return path.read_text(encoding="utf-8")


def names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))
