"""The multiplier bootstrap (the default) against the school resampling it replaced, on the
simulation panels of bench/simulate_did.py: the same standard errors, intervals and pre-trend
checks within Monte Carlo error, at 3, 7 and 20 joining schools and with a large comparison
pool, for both bases and both comparison groups."""

from __future__ import annotations

import numpy as np
import pytest

from bench.simulate_did import Scenario, simulate_panel
from impact.analysis.did import (
    BASES,
    LAST,
    MULTIPLIER,
    NEVER_JOINED,
    NOT_YET_JOINED,
    RESAMPLE,
    staggered_did,
)

DRAWS = 999


def _pairs(scenario: Scenario, panels: int, seed: int, base: str, control: str):
    """(multiplier fit, resampling fit) for each simulated panel with an estimate."""
    rng = np.random.default_rng(seed)
    pairs = []
    for p in range(panels):
        outcomes, timing, _ = simulate_panel(rng, scenario)
        fits = [staggered_did(outcomes, timing, draws=DRAWS, seed=p, base=base,
                              control=control, bootstrap=kind)
                for kind in (MULTIPLIER, RESAMPLE)]
        if all(f.se is not None for f in fits):
            pairs.append(fits)
    assert len(pairs) >= panels // 2, "too few panels gave an estimate to compare"
    return pairs


@pytest.mark.parametrize("control", [NOT_YET_JOINED, NEVER_JOINED])
@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("schools", [3, 7, 20])
def test_the_same_standard_errors_as_resampling(schools, base, control):
    """With 999 draws a bootstrap standard error is off by about 2.2% (Monte Carlo error), so
    the ratio of two, averaged over the panels, within 4% of 1 is agreement; Gaussian
    multipliers on the joining schools' influence function give 0.86-0.87 with 3 schools and
    0.95 with 7, and fail here."""
    scenario = Scenario("x", 5.0, treated=schools, comparison=60 if schools >= 20 else 30,
                        control=control)
    pairs = _pairs(scenario, panels=8, seed=100 + schools, base=base, control=control)
    ratios = np.array([m.se / r.se for m, r in pairs])
    assert abs(ratios.mean() - 1) < 0.04, ratios
    for m, r in pairs:
        # the point estimate does not depend on the bootstrap; the interval is the same rule
        assert m.overall == r.overall
        assert m.valid_draws == DRAWS
        assert m.low < m.overall < m.high
        width = (m.high - m.low) / (r.high - r.low)
        assert width == pytest.approx(m.se / r.se)


@pytest.mark.parametrize("base", BASES)
def test_the_same_event_study_and_pre_trend_check_as_resampling(base):
    pairs = _pairs(Scenario("x", 0.0, pre_trend=1.0, treated=7, comparison=30), panels=8,
                   seed=7, base=base, control=NOT_YET_JOINED)
    ses = np.array([pm.se / pr.se for m, r in pairs
                    for pm, pr in zip(m.event_study, r.event_study, strict=True)
                    if pm.se and pr.se])
    assert ses.size > 0
    assert abs(ses.mean() - 1) < 0.04
    p_values = np.array([(m.pre_trend.p_value, r.pre_trend.p_value) for m, r in pairs])
    assert np.isfinite(p_values).all()
    # the p-values from the two bootstraps move together panel by panel
    assert np.abs(p_values[:, 0] - p_values[:, 1]).mean() < 0.06
    if base == LAST:  # the max-|t| test reads the whole joint distribution of the draws
        assert all(m.pre_trend.testable == r.pre_trend.testable for m, r in pairs)


def test_a_large_comparison_pool_drawn_from_its_covariance_agrees_with_resampling():
    """1,500 comparison schools: their weights are drawn through the covariance of their
    influence (not one multiplier per school), which must give resampling's spread."""
    pairs = _pairs(Scenario("x", 5.0, treated=20, comparison=1500), panels=4, seed=9,
                   base=BASES[0], control=NOT_YET_JOINED)
    ratios = np.array([m.se / r.se for m, r in pairs])
    assert abs(ratios.mean() - 1) < 0.05, ratios
    # the comparison schools matter to the spread: without them it would be smaller
    for m, _ in pairs:
        boot = m.raw["boot"][:, 0]
        assert np.isfinite(boot).all() and boot.std() > 0


def test_seeded_multiplier_draws_are_reproducible_and_differ_by_seed():
    outcomes, timing, _ = simulate_panel(np.random.default_rng(3), Scenario("x", 5.0))
    one = staggered_did(outcomes, timing, draws=199, seed=5)
    two = staggered_did(outcomes, timing, draws=199, seed=5)
    other = staggered_did(outcomes, timing, draws=199, seed=6)
    assert np.array_equal(one.raw["boot"], two.raw["boot"])
    assert not np.array_equal(one.raw["boot"], other.raw["boot"])


def test_an_unknown_bootstrap_is_refused():
    outcomes, timing, _ = simulate_panel(np.random.default_rng(3), Scenario("x", 5.0))
    with pytest.raises(ValueError, match="bootstrap"):
        staggered_did(outcomes, timing, draws=9, bootstrap="jackknife")
