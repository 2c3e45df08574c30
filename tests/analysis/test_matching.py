"""Nearest neighbours on prior attainment, disadvantage, size and phase."""

import pandas as pd

from impact.analysis.matching import nearest_neighbours


def features():
    return pd.DataFrame({
        "phase": ["Primary", "Primary", "Primary", "Primary", "Secondary", "Primary"],
        "prior_attainment": [50.0, 51.0, 70.0, 49.0, 50.0, None],
        "disadvantaged_share": [0.30, 0.31, 0.10, 0.29, 0.30, 0.30],
        "pupils": [200, 210, 400, 190, 200, 205],
    }, index=[1, 2, 3, 4, 5, 6])


def test_the_nearest_schools_of_the_same_phase_come_first():
    found = nearest_neighbours(features(), treated=[1], pool=[2, 3, 4, 5, 6], k=3)
    assert found["match"].tolist()[:2] in ([2, 4], [4, 2])
    assert 5 not in found["match"].tolist()  # a secondary is never matched to a primary
    assert found["rank"].tolist() == [1, 2, 3]
    assert found["distance"].is_monotonic_increasing


def test_a_missing_feature_is_skipped_not_treated_as_zero():
    found = nearest_neighbours(features(), treated=[1], pool=[3, 6], k=1)
    assert found["match"].tolist() == [6]


def test_treated_schools_are_not_their_own_comparison():
    found = nearest_neighbours(features(), treated=[1, 2], pool=[1, 2, 3, 4], k=2)
    assert set(found["match"]) <= {3, 4}
