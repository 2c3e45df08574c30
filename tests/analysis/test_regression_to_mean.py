"""Joining after a dip: the rule, by hand."""

import pandas as pd
import pytest

from impact.analysis.regression_to_mean import cohort_dip, percent_noise, school_dip


def _before(values, size=30):
    return pd.DataFrame({"year": range(2014, 2014 + len(values)), "value": values,
                         "weight": size})


def test_a_school_that_joined_after_a_bad_year_is_flagged():
    dip = school_dip(1, _before([70, 72, 71, 55]), is_percent=True)
    assert dip.earlier_mean == 71
    assert dip.drop == 16
    assert dip.noise == pytest.approx(100 * (0.71 * 0.29 / 30) ** 0.5)
    assert dip.flagged


def test_an_ordinary_year_is_not():
    assert not school_dip(1, _before([70, 72, 71, 69]), is_percent=True).flagged


def test_a_small_school_needs_a_bigger_drop():
    # 13 points is more than 1.5 noise for 60 pupils, not for 12
    assert school_dip(1, _before([70, 72, 71, 58], size=60), is_percent=True).flagged
    assert not school_dip(1, _before([70, 72, 71, 58], size=12), is_percent=True).flagged


def test_one_year_before_joining_is_not_enough():
    assert school_dip(1, _before([70]), is_percent=True) is None


def test_score_measures_use_the_panels_wobble():
    dip = school_dip(1, _before([104, 105, 104.5, 101]), is_percent=False, noise=1.0)
    assert dip.flagged and dip.drop == pytest.approx(3.5)
    assert not school_dip(1, _before([104, 105, 104.5, 103.5]), is_percent=False,
                          noise=1.0).flagged


def test_a_cohort_of_small_dips_can_be_flagged_together():
    rows = []
    for unit in (1, 2, 3, 4):
        for year, value in zip(range(2014, 2018), [60, 61, 60, 51], strict=True):
            rows.append({"unit": unit, "year": year, "value": value, "weight": 30})
    panel = pd.DataFrame(rows)
    result = cohort_dip(panel, {u: 2018 for u in (1, 2, 3, 4)}, is_percent=True)
    assert result.schools_dipped == 0       # 9.3 points is within one school's noise
    assert result.average_drop == pytest.approx(9 + 1 / 3)
    assert result.flagged                   # but four schools all dipping is not chance


def test_percent_noise():
    assert percent_noise(50, 25) == pytest.approx(10.0)
