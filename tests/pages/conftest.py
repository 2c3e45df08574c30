"""Fixtures for the page tests: the real app under AppTest, against a real store built in the
test's own folder.

`IMPACT_DB` already points at a temporary file (tests/conftest.py); `app_store` builds the store
there through the import pipeline (as a head would upload) and closes it before the app runs.
Streamlit's caches are process-wide, so they are cleared around every test (clearing the
resource cache also closes the app's store).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from impact.store import Store
from tests.pages.helpers import AppStore, add_accounts, build_demo_once, build_store


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_store(_isolated_store_path: Path) -> AppStore:
    build_store(_isolated_store_path)
    return AppStore(_isolated_store_path)


@pytest.fixture
def empty_store(_isolated_store_path: Path) -> AppStore:
    """No schools and no data yet, only an admin account to sign in with."""
    with Store(_isolated_store_path) as store:
        add_accounts(store, admin_only=True)
    return AppStore(_isolated_store_path)




# --- the demo store, built once per test session ---------------------------------------------

@pytest.fixture(scope="session")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """This worker's own copies of the demo store: one the app opens, one the tests read their
    expectations from (DuckDB lets one process hold a file, so they are separate files)."""
    import shutil

    source = build_demo_once(tmp_path_factory)
    folder = tmp_path_factory.mktemp("demo-copy")
    copies = {}
    for name in ("app", "expected"):
        copies[name] = folder / f"{name}.duckdb"
        shutil.copyfile(source, copies[name])
    return copies


@pytest.fixture(scope="session")
def demo_expected(demo_files: dict[str, Path]) -> Store:
    """The demo store, read-only, for computing what a page should say."""
    store = Store(demo_files["expected"], read_only=True)
    yield store
    store.close()


@pytest.fixture
def demo_app(demo_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at this worker's copy of the demo store (pages only read it)."""
    monkeypatch.setenv("IMPACT_DB", str(demo_files["app"]))
    return demo_files["app"]
