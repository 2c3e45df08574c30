"""Cohen's h, standardised differences and the EEF months table, boundaries included."""

import math

import pytest

from impact.analysis.effect_sizes import (
    cohens_h,
    cohens_h_for_change,
    months_progress,
    pooled_sd,
    standardised_mean_difference,
)


def test_cohens_h_known_values():
    assert cohens_h(0.5, 0.5) == 0.0
    assert cohens_h(0.6, 0.5) == pytest.approx(0.2014, abs=1e-4)
    assert cohens_h(0.5, 0.6) == pytest.approx(-0.2014, abs=1e-4)
    assert cohens_h(1.0, 0.0) == pytest.approx(math.pi)
    # Cohen's "small" effect: 0.45 vs 0.55 gives about 0.2
    assert cohens_h(0.55, 0.45) == pytest.approx(0.2003, abs=1e-4)


def test_the_same_points_mean_more_near_the_ceiling():
    assert cohens_h(0.95, 0.85) > cohens_h(0.60, 0.50)


def test_cohens_h_for_a_change_in_points():
    assert cohens_h_for_change(60.0, 10.0) == pytest.approx(cohens_h(0.6, 0.5))
    assert cohens_h_for_change(3.0, 10.0) == pytest.approx(cohens_h(0.03, 0.0))


def test_cohens_h_refuses_percentages_as_proportions():
    with pytest.raises(ValueError):
        cohens_h(60, 50)


@pytest.mark.parametrize("size, months", [
    (0.0, 0), (0.01, 0), (-0.01, 0), (0.02, 1), (0.09, 1), (0.10, 2), (0.18, 2), (0.19, 3),
    (0.26, 3), (0.27, 4), (0.35, 4), (0.36, 5), (0.44, 5), (0.45, 6), (0.52, 6), (0.53, 7),
    (0.61, 7), (0.62, 8), (0.69, 8), (0.70, 9), (0.78, 9), (0.79, 10), (0.87, 10),
    (0.88, 11), (0.95, 11), (0.96, 12), (1.5, 12), (-0.02, -1), (-0.30, -4), (-0.96, -12),
    # between the printed two-decimal bands: rounded half up first
    (0.094, 1), (0.095, 2), (0.185, 3), (0.0149, 0), (0.015, 1),
])
def test_months_follow_the_eef_table(size, months):
    assert months_progress(size) == months


def test_months_of_nothing_is_nothing():
    assert months_progress(None) is None
    assert months_progress(float("nan")) is None


def test_standardised_mean_difference():
    assert standardised_mean_difference(1.5, 3.0) == 0.5
    with pytest.raises(ValueError):
        standardised_mean_difference(1.0, 0.0)


def test_pooled_sd_is_within_years_not_across():
    # Each year the schools differ by ±1 around a mean that rises by 10 a year: the SD between
    # schools is 1, however far the years apart are.
    years = [[9.0, 11.0], [19.0, 21.0], [29.0, 31.0]]
    assert pooled_sd(years) == pytest.approx(math.sqrt(2.0))  # (n-1) = 1 per year: 2/1
    assert pooled_sd([[1.0, 2.0, 3.0]]) == pytest.approx(1.0)
    assert pooled_sd([[5.0], []]) is None
