"""The base store every fuzzed file meets, built once per session through the import pipeline
and copied for each example (a copy takes milliseconds; building it takes a second or two)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.harness import build_base_store


@pytest.fixture(scope="session")
def base_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_base_store(tmp_path_factory.mktemp("reliability-base") / "base.duckdb")
