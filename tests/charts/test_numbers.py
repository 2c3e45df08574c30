"""A figure as shown: hidden for small groups, a symbol for missing values, never 0."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from impact.charts import numbers
from impact.domain import measures as m


@pytest.mark.parametrize(("value", "note", "pupils", "unit", "shown"), [
    (64.4, None, 30, m.PERCENT, "64%"),
    (0.0, None, 30, m.PERCENT, "0%"),           # a real zero, about 30 pupils
    (0.0, None, 5, m.PERCENT, "c"),             # about 5 pupils: hidden, not 0
    (None, "c", 3, m.PERCENT, "c"),
    (None, "SUPP", None, m.PERCENT, "c"),
    (None, "x", None, m.PERCENT, "x"),
    (None, "NE", None, m.PERCENT, "z"),
    (float("nan"), None, 30, m.PERCENT, "x"),
    (pd.NA, None, 30, m.SCORE, "x"),
    (104.25, None, 30, m.SCORE, "104.2"),
    (0.456, None, 30, m.PROGRESS, "+0.46"),
    (-1.2, None, 30, m.PROGRESS, "−1.20"),
    (0.001, None, 30, m.PROGRESS, "0.00"),
])
def test_shown(value, note, pupils, unit, shown):
    assert numbers.shown(value, note, pupils, unit) == shown


def test_plotted_is_none_for_anything_not_shown():
    assert numbers.plotted(50.0, 30) == 50.0
    assert numbers.plotted(50.0, 5) is None
    assert numbers.plotted(None, 30) is None
    assert numbers.plotted(math.nan, 30) is None
    assert numbers.plotted(61.0, None) == 61.0, "a national figure has no cohort size here"


def test_small_and_low_reliability_groups():
    assert [numbers.is_small_group(n) for n in (0, 5, 6, None)] == [True, True, False, False]
    assert [numbers.is_low_reliability(n) for n in (5, 6, 10, 11)] == [False, True, True, False]
