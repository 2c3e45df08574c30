"""Impact estimates made in a background thread per store revision
(`impact.analysis.precomputed`), on a real store built through the templates: the same typed
estimates as a direct call, made once per revision, never shown for another revision."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from impact.analysis import impact_estimate
from impact.analysis.estimate import Estimate
from impact.analysis.pairings import suggest_pairings
from impact.analysis.precomputed import (
    KIND,
    PAIRINGS,
    TREND,
    Estimates,
    Pending,
    default_derived_jobs,
    default_jobs,
    estimate_params,
    trend_params,
)
from impact.analysis.trends import trend
from impact.charts.tiles import HEADLINE_ORDER
from impact.store import Store
from tests.analysis.conftest import attainment_rows, build_store
from tests.factories import load

COHORT = ("North Trust", "Cohort A")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store(build_store(tmp_path / "panel.duckdb"))
    yield opened
    opened.close()


def test_the_defaults_are_every_cohort_with_the_headline_measures_that_have_results(store):
    jobs = default_jobs(store, HEADLINE_ORDER)
    assert [j["cohort"] for j in jobs] == ["North Trust / Cohort A", "South Cluster / Cohort A"]
    assert {j["measure"] for j in jobs} == {"ks2_rwm_exp"}
    assert all(j["group"] == "all" and j["comparison"] == "not_yet_joined" for j in jobs)


def test_warmed_estimates_are_the_direct_ones_made_once(store):
    made = Estimates(store)
    jobs = default_jobs(store, HEADLINE_ORDER)
    made.warm(jobs)
    found = made.wait(jobs[0], 120)
    assert isinstance(found, Estimate)
    direct = impact_estimate(store, **jobs[0])
    # seeded: the very same numbers as the page would have worked out itself
    assert (found.effect, found.low, found.high) == (direct.effect, direct.low, direct.high)
    assert found.effect is not None
    assert made.wait(jobs[1], 120) is not None
    assert made.get(jobs[0]) is found  # kept, not made again
    assert not made.warm_needed()
    made.close()


def test_an_estimate_not_yet_made_is_pending_then_ready(store):
    gate = threading.Event()

    def slow(opened: Store, **params: object) -> Estimate:
        gate.wait(60)
        return impact_estimate(opened, **params)

    made = Estimates(store, make=slow)
    params = estimate_params(*COHORT, "ks2_rwm_exp", comparison="never_joined")
    first = made.get(params)
    assert isinstance(first, Pending)
    assert first.cohort == "North Trust / Cohort A"
    assert not made.ready([first])
    gate.set()
    found = made.wait(params, 120)
    assert isinstance(found, Estimate) and found.comparison == "never_joined"
    assert made.ready([first])
    made.close()


def test_after_an_upload_the_earlier_revisions_estimate_is_not_shown(store):
    made = Estimates(store)
    params = estimate_params(*COHORT, "ks2_rwm_exp")
    before = made.wait(params, 120)
    assert isinstance(before, Estimate)
    load(store, "attainment", attainment_rows(effect=20.0, seed=5), name="again.xlsx")
    assert made.warm_needed()
    after = made.get(params)
    assert isinstance(after, Pending)  # the new revision's estimate is being made
    after = made.wait(params, 120)
    assert isinstance(after, Estimate)
    assert after.effect != before.effect
    direct = impact_estimate(store, **params)
    assert (after.effect, after.low, after.high) == (direct.effect, direct.low, direct.high)
    made.close()


def test_a_name_that_matches_nothing_gives_its_sentence_and_errors_are_raised_where_asked(
        store):
    made = Estimates(store)
    unknown = made.wait(estimate_params("North Trust", "No such cohort", "ks2_rwm_exp"), 120)
    assert isinstance(unknown, str) and "No such cohort" in unknown

    def broken(opened: Store, **params: object) -> Estimate:
        raise RuntimeError("the analysis broke")

    failing = Estimates(store, make=broken)
    params = estimate_params(*COHORT, "ks2_rwm_exp")
    assert isinstance(failing.get(params), Pending)
    with pytest.raises(RuntimeError, match="the analysis broke"):
        failing.wait(params, 120)
    made.close()
    failing.close()


def _idle(made: Estimates, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not made.idle() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_trends_and_pairings_are_made_in_the_background_as_the_pages_ask_for_them(store):
    today = dt.date(2025, 1, 15)
    jobs = default_derived_jobs(store, HEADLINE_ORDER, today)
    kinds = {j[KIND] for j in jobs}
    assert kinds == {TREND, PAIRINGS}
    made = Estimates(store)
    wanted = trend_params("ks2_rwm_exp", partnership="North Trust")
    asked = {"partnership": "North Trust", "group": "all", "today": today}
    assert made.made(TREND, wanted) is None  # not made yet: the page works it out
    made.warm(jobs)
    _idle(made)
    found = made.made(TREND, wanted)
    direct = trend(store, **wanted)
    assert found is not None and [ln.name for ln in found.lines] == \
        [ln.name for ln in direct.lines]
    for mine, theirs in zip(found.lines, direct.lines, strict=True):
        pd.testing.assert_frame_equal(mine.data, theirs.data)
    pairs = made.made(PAIRINGS, asked)
    assert pairs is not None
    assert pairs == suggest_pairings(store, **asked)
    # another revision's are never given
    load(store, "attainment", attainment_rows(effect=20.0, seed=5), name="again.xlsx")
    assert made.made(TREND, wanted) is None
    made.close()


def test_kept_estimates_share_each_schools_entry_and_equal_the_direct_ones(store):
    made = Estimates(store)
    jobs = default_jobs(store, HEADLINE_ORDER)
    made.warm(jobs)
    first, second = (made.wait(job, 120) for job in jobs[:2])
    assert isinstance(first, Estimate) and isinstance(second, Estimate)
    # every field as the direct call makes it: sharing the entries changes no result
    assert first == impact_estimate(store, **jobs[0])
    assert second == impact_estimate(store, **jobs[1])
    ours = {s.urn: s for s in first.comparison_schools}
    both = [s for s in second.comparison_schools if s.urn in ours]
    assert both  # the two cohorts compare with some of the same schools
    assert all(s is ours[s.urn] for s in both)  # one entry per school, not one per estimate
    made.close()
