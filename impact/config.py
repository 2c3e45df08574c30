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


def estimate_wait() -> float:
    """`IMPACT_ESTIMATE_WAIT` (default 0 seconds): how long a page run waits for an impact
    estimate still being made in the background before saying so and filling it in when it
    is ready (`impact.analysis.precomputed`)."""
    return _number("IMPACT_ESTIMATE_WAIT", 0.0)


# --- sign-in and sessions (environment variables, read when used) ---------------------------

def _number(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError as error:
        raise ValueError(f"{name} must be a number, not {text!r}") from error
    if value < 0:
        raise ValueError(f"{name} must not be negative, not {text!r}")
    return value


def idle_minutes() -> float:
    """`IMPACT_IDLE_MINUTES` (default 30): a session without activity this long is signed out."""
    return _number("IMPACT_IDLE_MINUTES", 30)


def session_hours() -> float:
    """`IMPACT_SESSION_HOURS` (default 12): the longest a sign-in lasts, however active."""
    return _number("IMPACT_SESSION_HOURS", 12)


def lock_after() -> int:
    """`IMPACT_LOCK_AFTER` (default 5): failed sign-ins in a row that lock an account."""
    return max(1, int(_number("IMPACT_LOCK_AFTER", 5)))


def lock_minutes() -> float:
    """`IMPACT_LOCK_MINUTES` (default 15): how long a locked account stays locked."""
    return _number("IMPACT_LOCK_MINUTES", 15)


def failed_sign_in_delay() -> float:
    """`IMPACT_FAILED_SIGN_IN_DELAY` (default 1 second): the wait after a failed sign-in, times
    the failures in a row so far (at most 10 seconds), so guessing is slow."""
    return _number("IMPACT_FAILED_SIGN_IN_DELAY", 1.0)
