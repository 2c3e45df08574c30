"""Pearson's r with Fisher's interval, checked by hand."""

import math

import pytest

from impact.analysis.correlation import pearson_with_interval


def test_five_schools_by_hand():
    # deviations x: -2 -1 0 1 2, y: -2 0 1 0 1: r = 6 / sqrt(10 * 6)
    result = pearson_with_interval([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    r = 6 / math.sqrt(60)
    assert result.n == 5
    assert result.r == pytest.approx(r)
    half = 1.959964 / math.sqrt(5 - 3)
    assert result.low == pytest.approx(math.tanh(math.atanh(r) - half))
    assert result.high == pytest.approx(math.tanh(math.atanh(r) + half))
    assert result.low == pytest.approx(-0.34008, abs=1e-4)
    assert result.high == pytest.approx(0.98424, abs=1e-4)


def test_too_few_or_no_variation_gives_nothing():
    assert pearson_with_interval([1, 2, 3], [1, 2, 4]) is None
    assert pearson_with_interval([1, 1, 1, 1], [1, 2, 3, 4]) is None
    assert pearson_with_interval([1, 2, float("nan"), 4, 5], [1, 2, 3, float("nan"), 5]) is None


def test_a_perfect_line_still_has_a_finite_interval():
    result = pearson_with_interval([1, 2, 3, 4], [2, 4, 6, 8])
    assert result.r == pytest.approx(1.0, abs=1e-5)
    assert -1 < result.low < result.high <= 1
