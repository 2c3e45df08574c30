"""The estimator on the demo store, whose planted effects `impact.demo.PLANTED` describes.

The demo is one draw (seed `impact.demo.SEED`) of a world with known effects, so these tests
check that draw, as a person opening the demo would see it: the cohort with a planted
improvement shows it (its interval excludes zero and covers what was planted), the cohort
with none shows no clear difference, and the cohort that joined after a dip is called out.
How often a draw of this world does so, across the generator's seeds, is in
bench/results/did_simulation.md ("The demo's planted effects"), and the demo's docstring
says it. The bench computes those figures from `bench.simulate_did.demo_panel`, which the
last test checks gives exactly the numbers the store gives.
"""

from __future__ import annotations

import pytest

from bench.simulate_did import demo_panel
from impact.analysis import impact_estimate
from impact.analysis.did import staggered_did
from impact.store import Store

demo = pytest.importorskip("impact.demo")

pytestmark = pytest.mark.slow

COMPARISONS = ("not_yet_joined", "never_joined")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("demo_estimates")
    path = folder / "demo.duckdb"
    demo.build(path, directory=folder / "files")
    store = Store(path, read_only=True)
    yield store
    store.close()


def _estimate(store: Store, plan: dict, **options):
    return impact_estimate(store, cohort=f"{plan['partnership']} / {plan['cohort']}",
                           measure=plan["measure"], **options)


def _target(plan: dict, comparison: str) -> float:
    """What the estimator is aiming at: its answer on the planted effect alone (the effect
    phases in, so the average over the years after joining is a little under the full one)."""
    outcomes, timing, effect_only = demo_panel(demo.SEED, plan["cohort"], plan["measure"])
    return staggered_did(effect_only, timing, control=comparison, draws=0).overall


@pytest.mark.parametrize("comparison", COMPARISONS)
def test_the_improving_cohort_shows_the_planted_effect(demo_store: Store, comparison: str):
    plan = demo.PLANTED["improving"]
    e = _estimate(demo_store, plan, comparison=comparison)
    assert e.status == "ok" and e.base == "pre_mean"
    assert {s.urn for s in e.joining_schools} == set(plan["urns"])
    assert {s.first_treated_year for s in e.joining_schools} == {plan["first_summer"]}
    target = _target(plan, comparison)
    assert plan["effect_points"] * plan["phase_in"][0] < target < plan["effect_points"]
    assert 0 < e.low < target < e.high, (e.low, e.effect, e.high, target)
    assert e.sentence.startswith("Reading, writing and maths rose about")
    assert not e.pre_trend.flagged and not e.dip.flagged


@pytest.mark.parametrize("comparison", COMPARISONS)
def test_the_no_effect_cohort_shows_no_clear_difference(demo_store: Store, comparison: str):
    plan = demo.PLANTED["no_effect"]
    e = _estimate(demo_store, plan, comparison=comparison)
    assert e.status == "ok"
    assert {s.urn for s in e.joining_schools} == set(plan["urns"])
    assert e.low < plan["effect_points"] == 0.0 < e.high
    assert "no clear difference" in e.sentence
    assert all(c.bridges_break for c in e.cohorts)  # joined 2021: base years to 2018/19


def test_the_cohort_that_joined_after_a_dip_is_called_out(demo_store: Store):
    plan = demo.PLANTED["regression_to_mean"]
    e = _estimate(demo_store, plan)
    assert e.dip.flagged
    assert e.evidence.padlocks <= 1
    assert e.words.dip is not None and "bounce-back" in e.words.dip
    assert "0 of" not in e.words.dip, "never '0 of 3 schools had a bad year' beside a dip flag"
    assert "joined after a dip" in e.evidence.explanation
    # from the mean of the years before joining, a one-off dip moves the estimate far less
    # than from the dipped year itself
    last = _estimate(demo_store, plan, base="last", draws=199)
    assert abs(e.effect) < abs(last.effect)


def test_the_bench_sees_the_demo_as_the_store_does(demo_store: Store):
    """bench/simulate_did.py estimates the demo's power from `demo_panel` without building a
    store; for the shipped seed that must give the store's own numbers."""
    plan = demo.PLANTED["improving"]
    outcomes, timing, _ = demo_panel(demo.SEED, plan["cohort"], plan["measure"])
    for base in ("pre_mean", "last"):
        direct = staggered_did(outcomes, timing, draws=199, base=base)
        stored = _estimate(demo_store, plan, draws=199, base=base)
        assert (stored.effect, stored.low, stored.high) == pytest.approx(
            (direct.overall, direct.low, direct.high))


def test_score_effect_sizes_use_the_pooled_pre_joining_sd(demo_store: Store):
    plan = demo.PLANTED["improving"]
    e = impact_estimate(demo_store, cohort=f"{plan['partnership']} / {plan['cohort']}",
                        measure="ks2_read_score", draws=199)
    size = e.effect_size
    assert size.kind == "standardised_mean_difference"
    used = [s.urn for s in e.joining_schools] + [s.urn for s in e.comparison_schools]
    rows = demo_store.query(
        "SELECT academic_year, value FROM attainment WHERE measure = 'ks2_read_score' "
        "AND pupil_group = 'all' AND term = 'Summer' AND value IS NOT NULL "
        "AND academic_year < '2018/19' AND list_contains($urns, urn)", {"urns": used})
    squares = rows.groupby("academic_year")["value"].apply(
        lambda v: ((v - v.mean()) ** 2).sum()).sum()
    dof = (rows.groupby("academic_year").size() - 1).sum()
    sd = (squares / dof) ** 0.5
    assert size.value == pytest.approx(e.effect / sd)
    assert f"({sd:.2f})" in size.basis
    assert "spread between schools" in size.basis
