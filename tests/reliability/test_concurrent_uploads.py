"""Many people at once, as the Streamlit server serves them: one Store shared by threads.

Eight heads upload their own school's return at the same moment while other people's pages
run every named query: nobody sees an error, nothing hangs, no upload is ever seen half
written, and afterwards every row of every file is in the store as its file said. Two uploads
for the same rows, previewed from the same state and confirmed together: one goes in whole,
the other is told in a sentence and nothing of it is written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from impact.store import Store
from tests.factories import loaded_store
from tests.reliability.concurrency import (
    head_of,
    page_queries,
    race,
    rows_lost,
    same_school_files,
    school_files,
    upload_round,
)

URNS = list(range(100001, 100009))


@pytest.fixture(scope="module")
def eight_schools_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("eight") / "eight.duckdb"
    with Store(path) as store:
        loaded_store(store, n_schools=8)
    return path


@pytest.fixture
def eight_schools(eight_schools_file, tmp_path) -> Store:
    """Eight schools with figures of every kind; a fresh copy for each test."""
    path = tmp_path / "eight.duckdb"
    shutil.copyfile(eight_schools_file, path)
    with Store(path) as store:
        yield store


def test_the_readers_run_the_pages_queries(eight_schools):
    queries, broken = page_queries(eight_schools)
    names = {name for name, _ in queries}
    assert {"uploads", "known_schools", "table_counts", "store_revision"} <= names, broken
    # A query that fails on its own is its page's business, not this test's; but most run.
    assert len(names) >= 10, (names, broken)


def test_eight_schools_upload_at_once_while_pages_are_read(eight_schools):
    before = eight_schools.scalar("SELECT count(*) FROM uploads")
    uploads = school_files(URNS, seed=1, rows_each=200)
    done = upload_round(eight_schools, uploads, readers=4, timeout=180)
    assert done.hung == [], f"deadlock: {done.hung} still running"
    assert done.errors == [], "\n".join(done.errors)
    assert all(u.upload_id is not None for u in uploads)
    assert done.reads > 0
    assert eight_schools.scalar("SELECT count(*) FROM uploads") == before + len(uploads)
    assert rows_lost(eight_schools, uploads) == 0
    # Each upload's rows carry its own number: none was merged into or overwritten by another.
    for job in uploads:
        urn = next(iter(job.actor.urns))
        table = {"attainment": "attainment", "ofsted": "ofsted_inspections",
                 "cpd": "cpd_activities"}[job.kind]
        stamped = eight_schools.scalar(
            f"SELECT count(*) FROM {table} WHERE upload_id = ?", [job.upload_id])
        assert stamped == job.plan.rows_added + job.plan.rows_updated
        assert eight_schools.scalar(f"SELECT count(DISTINCT urn) FROM {table} "
                                    "WHERE upload_id = ?", [job.upload_id]) == 1
        assert eight_schools.scalar(f"SELECT min(urn) FROM {table} WHERE upload_id = ?",
                                    [job.upload_id]) == urn


@pytest.mark.parametrize("kind, fmt", [("attainment", "xlsx"), ("cpd", "csv"),
                                       ("ofsted", "xlsx")])
def test_two_uploads_for_the_same_rows_one_wins_the_other_is_told(eight_schools, kind, fmt):
    first, second = same_school_files(100003, seed=7, kind=kind, fmt=fmt)
    result = race(eight_schools, first, second, head_of(100003))
    assert result.stale_message == (
        f"While you were checking {result.loser}, another upload changed some of the same "
        "rows. Nothing from your file was saved: look at the preview again, then confirm.")
