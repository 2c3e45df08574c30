"""The paired before-and-after interval, checked by hand."""

import math

import pandas as pd
import pytest

from impact.analysis.paired import mean_change


def test_three_pairs_by_hand():
    # changes 1, 2, 2: mean 5/3, sd sqrt(1/3); t(0.975, 2 df) = 4.302653
    mean, low, high, n = mean_change(pd.Series([1, 2, 3]), pd.Series([2, 4, 5]))
    half = 4.302653 * math.sqrt(1 / 3) / math.sqrt(3)
    assert n == 3
    assert mean == pytest.approx(5 / 3)
    assert (low, high) == pytest.approx((5 / 3 - half, 5 / 3 + half), abs=1e-5)


def test_only_complete_pairs_count_and_one_pair_is_not_enough():
    assert mean_change(pd.Series([1.0, None]), pd.Series([3.0, 4.0])) is None
    # three rows, but only one has both ratings
    assert mean_change(pd.Series([1.0, None, 2.0]), pd.Series([3.0, 4.0, None])) is None


def test_identical_changes_have_no_spread():
    assert mean_change(pd.Series([1, 2, 3]), pd.Series([3, 4, 5])) == (2.0, 2.0, 2.0, 3)
