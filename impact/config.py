"""Where things live: the store file, the demo spreadsheets, the named queries."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"
QUERIES_DIR = PROJECT_ROOT / "queries"
DEFAULT_DB = DATA_DIR / "impact.duckdb"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The store to use: an explicit path, else `IMPACT_DB`, else `data/impact.duckdb`."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("IMPACT_DB")
    return Path(env) if env else DEFAULT_DB
