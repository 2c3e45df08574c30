"""Shared fixtures: every test gets its own store file in a temporary folder.

`IMPACT_DB` is pointed at a temporary file for every test, so nothing a test does can touch
`data/impact.duckdb`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from impact.store import Store


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
