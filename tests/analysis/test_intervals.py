"""Wilson intervals, checked by hand against the brief's example and the edges."""

import math

import pytest

from impact.analysis.intervals import percent_interval, wilson_interval


def test_twelve_of_twenty_is_about_39_to_78_percent():
    low, high = wilson_interval(12, 20)
    assert low == pytest.approx(0.3866, abs=5e-4)
    assert high == pytest.approx(0.7812, abs=5e-4)


def test_formula_by_hand_for_30_of_50():
    z, n, p = 1.96, 50, 0.6
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    expected = ((centre - spread) / (1 + z * z / n), (centre + spread) / (1 + z * z / n))
    assert wilson_interval(30, 50) == pytest.approx(expected)


def test_none_of_them_still_has_an_upper_end_above_zero():
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.2775, abs=5e-4)


def test_all_of_them_still_has_a_lower_end_below_one():
    low, high = wilson_interval(10, 10)
    assert high == 1.0
    assert low == pytest.approx(0.7225, abs=5e-4)


def test_percent_interval_takes_stored_percentages():
    low, high = percent_interval(60.0, 20)
    assert (round(low, 1), round(high, 1)) == (38.7, 78.1)


def test_bigger_cohorts_give_narrower_intervals():
    small = wilson_interval(6, 10)
    large = wilson_interval(60, 100)
    assert large[1] - large[0] < small[1] - small[0]


@pytest.mark.parametrize("k, n", [(1, 0), (-1, 10), (11, 10)])
def test_impossible_counts_are_refused(k, n):
    with pytest.raises(ValueError):
        wilson_interval(k, n)
