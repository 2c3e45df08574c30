"""The estimator on the demo store, whose planted effects `impact.demo.PLANTED` describes.

The demo's cohorts are four schools each, of about 60 pupils a year. With one base year (the
last before joining) and small-sample intervals (t on 3 degrees of freedom), an honest 95%
interval for such a cohort is about ±9 points: it covers the planted +6 and the planted 0,
but cannot exclude 0 for the +6 (the strict xfail below records that, so it fails loudly if
the demo or the estimator changes enough for it to pass).
"""

from __future__ import annotations

import pytest

from impact.analysis import impact_estimate
from impact.store import Store

demo = pytest.importorskip("impact.demo")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("demo_estimates")
    path = folder / "demo.duckdb"
    demo.build(path, directory=folder / "files")
    store = Store(path, read_only=True)
    yield store
    store.close()


def _estimate(store: Store, plan: dict):
    return impact_estimate(store, cohort=f"{plan['partnership']} / {plan['cohort']}",
                           measure=plan["measure"])


def test_the_improving_cohorts_interval_covers_the_planted_effect(demo_store: Store):
    plan = demo.PLANTED["improving"]
    e = _estimate(demo_store, plan)
    assert e.status == "ok"
    assert {s.urn for s in e.joining_schools} == set(plan["urns"])
    assert e.low < plan["effect_points"] < e.high
    assert e.joining_schools[0].first_treated_year == plan["first_summer"]


@pytest.mark.xfail(strict=True, reason="four schools cannot show +6 points clearly: the "
                   "interval is about ±9 (see the module docstring)")
def test_the_improving_cohorts_interval_excludes_zero(demo_store: Store):
    e = _estimate(demo_store, demo.PLANTED["improving"])
    assert e.low > 0


def test_the_no_effect_cohort_shows_no_clear_difference(demo_store: Store):
    plan = demo.PLANTED["no_effect"]
    e = _estimate(demo_store, plan)
    assert e.status == "ok"
    assert e.low < plan["effect_points"] == 0.0 < e.high
    assert "no clear difference" in e.sentence
    assert all(c["bridges_break"] for c in e.cohorts)  # joined 2021: base year 2018/19


def test_the_cohort_that_joined_after_a_dip_is_called_out(demo_store: Store):
    plan = demo.PLANTED["regression_to_mean"]
    e = _estimate(demo_store, plan)
    assert e.pre_trend.flagged or e.dip.flagged
    assert e.evidence.padlocks <= 1
    assert any("dip" in n or "bounce-back" in n for n in e.notes) or e.pre_trend.flagged


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
