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
from tests.pages.helpers import AppStore, build_store


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
    Store(_isolated_store_path).close()
    return AppStore(_isolated_store_path)


