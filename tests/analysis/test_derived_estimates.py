"""Impact estimates kept in the store with the revision they came from (`derived_estimates`,
`impact.analysis.precomputed.keep`/`stored`), on a real DuckDB file built through the
templates: a new server process (a new Store object on the same file) reads them without
making them again, and an undo's new revision never reads the rows of the one before."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from impact.analysis import impact_estimate
from impact.analysis.estimate import Estimate
from impact.analysis.precomputed import Estimates, Pending, estimate_params
from impact.analysis.serialised import from_json, to_json
from impact.auth import DEMO_ADMIN
from impact.importing.pipeline import undo_upload
from impact.store import Store
from tests.analysis.conftest import attainment_rows, build_store
from tests.factories import load

COHORT = ("North Trust", "Cohort A")


class Counting:
    """`impact_estimate`, counting how many estimates were actually worked out."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, store: Store, **params: object) -> Estimate:
        self.calls += 1
        return impact_estimate(store, **params)


def _rows(store: Store) -> list[tuple[str, str, str, str]]:
    return [tuple(r) for r in store.query(
        "SELECT revision, cohort, measure, kind FROM derived_estimates ORDER BY ALL"
    ).itertuples(index=False)]


def _revision_text(store: Store) -> str:
    return json.dumps(list(store.revision()), default=str)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return build_store(tmp_path / "panel.duckdb")


def test_an_estimate_is_the_same_typed_result_after_json(path):
    with Store(path) as store:
        made = impact_estimate(store, **estimate_params(*COHORT, "ks2_rwm_exp"))
    assert made.effect is not None and made.event_study and made.comparison_schools
    back = from_json(Estimate, to_json(made))
    assert back == made  # every field, nested dataclasses, tuples and lists alike
    assert type(back.pre_trend) is type(made.pre_trend)
    assert type(back.comparison_schools[0]) is type(made.comparison_schools[0])
    assert isinstance(back.event_study[0].cohorts, tuple)
    assert back.words.headline == made.words.headline  # what the pages say from it
    changed = dataclasses.replace(made, effect=made.effect + 1)
    assert from_json(Estimate, to_json(changed)) != made


def test_a_made_estimate_is_kept_and_a_new_process_reads_it_without_making_it(path):
    params = estimate_params(*COHORT, "ks2_rwm_exp")
    first_store = Store(path)
    counting = Counting()
    first = Estimates(first_store, make=counting)
    made = first.wait(params, 120)
    assert isinstance(made, Estimate) and counting.calls == 1
    revision = _revision_text(first_store)
    assert _rows(first_store) == [(revision, "North Trust / Cohort A", "ks2_rwm_exp",
                                   "estimate")]
    first.close()
    first_store.close()

    # a restarted server: a new Store object on the file, a new set of estimates
    again_store = Store(path)
    again = Counting()
    restarted = Estimates(again_store, make=again)
    found = restarted.get(params)  # no waiting: it is read, not made
    assert isinstance(found, Estimate)
    assert found == made
    restarted.warm([params])  # warming the same default makes nothing either
    assert restarted.wait(params, 1) == made
    assert restarted.idle() or restarted.wait(params, 5) == made
    assert again.calls == 0
    restarted.close()
    again_store.close()


def test_after_an_upload_and_its_undo_the_kept_rows_of_the_earlier_revision_are_not_used(
        path):
    params = estimate_params(*COHORT, "ks2_rwm_exp")
    store = Store(path)
    counting = Counting()
    made = Estimates(store, make=counting)
    original = made.wait(params, 120)
    assert isinstance(original, Estimate)

    upload = load(store, "attainment", attainment_rows(effect=20.0, seed=5), name="again.xlsx")
    changed = made.wait(params, 120)
    assert isinstance(changed, Estimate) and counting.calls == 2
    assert changed.effect != original.effect
    changed_revision = _revision_text(store)
    assert {r[0] for r in _rows(store)} == {changed_revision}  # the first revision's: gone
    made.close()

    undo_upload(store, upload.upload_id, DEMO_ADMIN)
    assert _revision_text(store) != changed_revision
    assert {r[0] for r in _rows(store)} == {changed_revision}  # kept, but of another revision
    after_undo = Counting()
    fresh = Estimates(store, make=after_undo)
    assert isinstance(fresh.get(params), Pending)  # not the row of the revision before
    restored = fresh.wait(params, 120)
    assert isinstance(restored, Estimate) and after_undo.calls == 1
    assert restored != changed
    assert (restored.effect, restored.low, restored.high) == \
        (original.effect, original.low, original.high)  # the figures as before the upload
    assert {r[0] for r in _rows(store)} == {_revision_text(store)}
    fresh.close()
    store.close()


def test_a_name_that_matches_nothing_keeps_its_sentence_and_a_read_only_store_its_memory(
        path):
    params = estimate_params("North Trust", "No such cohort", "ks2_rwm_exp")
    with Store(path) as store:
        made = Estimates(store)
        sentence = made.wait(params, 120)
        assert isinstance(sentence, str) and "No such cohort" in sentence
        made.close()
        assert [r[3] for r in _rows(store)] == ["sentence"]
    reader = Store(path, read_only=True)
    counting = Counting()
    again = Estimates(reader, make=counting)
    assert again.get(params) == sentence and counting.calls == 0
    other = estimate_params(*COHORT, "ks2_rwm_exp")
    assert isinstance(again.wait(other, 120), Estimate) and counting.calls == 1
    assert [r[3] for r in _rows(reader)] == ["sentence"]  # nothing written to it
    again.close()
    reader.close()
