"""Shared fixtures: every test gets its own store file in a temporary folder.

`IMPACT_DB` is pointed at a temporary file for every test, so nothing a test does can touch
`data/impact.duckdb`; password hashes are made at a lower Argon2id cost.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from impact.store import Store


@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real Argon2id, at a cost that lets the suite make hundreds of accounts (each page test's
    store has three). tests/auth/test_accounts.py checks the production cost."""
    monkeypatch.setenv("IMPACT_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("IMPACT_ARGON2_MEMORY_KIB", "8192")


@pytest.fixture(autouse=True)
def _estimates_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages wait for the impact estimates made in the background (a person sees "still
    working out" and then the estimate; tests/pages/test_estimates_pending.py checks that),
    so a test's single run shows the estimate."""
    monkeypatch.setenv("IMPACT_ESTIMATE_WAIT", "120")


@pytest.fixture(autouse=True)
def _isolated_store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "impact.duckdb"
    monkeypatch.setenv("IMPACT_DB", str(path))
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "store.duckdb")
    yield s
    s.close()
