"""Power cut mid-upload: a real importer process is killed with SIGKILL at random moments while
it writes a large return, and the store it leaves opens with all of that upload or none of it.

The bench (`python -m bench.reliability --kills 50`) repeats this with a 50,000-row file; here
a smaller one and three kills keep `make test` quick. Kill times are random (seeded from the
clock and printed, so a failure can be replayed with the bench's `--seed`).
"""

from __future__ import annotations

import time

import pytest

from tests.reliability.crash import kill_delays, kill_once, prepare

ROWS = 5_000


@pytest.fixture(scope="module")
def crash_setup(tmp_path_factory):
    return prepare(tmp_path_factory.mktemp("crash"), ROWS, "csv")


def test_the_undisturbed_import_writes_every_row(crash_setup):
    assert crash_setup.upload_rows == ROWS
    assert crash_setup.after_state != crash_setup.before_state
    assert len(crash_setup.after_state["uploads"]) == len(crash_setup.before_state["uploads"]) + 1


def test_killed_while_writing_the_store_holds_all_of_the_upload_or_none(crash_setup, tmp_path):
    seed = int(time.time())
    print(f"kill times seeded with {seed}")
    kills = [kill_once(crash_setup, delay, tmp_path / f"kill-{i}")
             for i, delay in enumerate(kill_delays(crash_setup, 3, seed))]
    assert all(k.outcome in ("none", "all") for k in kills)
    assert any(k.killed for k in kills), [vars(k) for k in kills]
