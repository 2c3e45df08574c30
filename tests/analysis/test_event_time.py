"""When a school's results first count as "after joining": the 14 September census rule."""

import datetime as dt

import pytest

from impact.analysis.event_time import (
    event_time,
    first_treated_start,
    first_treated_year,
    joining_year,
)


@pytest.mark.parametrize("joined, first", [
    (dt.date(2019, 9, 1), "2019/20"),    # by the census: this year's results count
    (dt.date(2019, 9, 14), "2019/20"),   # on census day
    (dt.date(2019, 9, 15), "2020/21"),   # the day after: next year's
    (dt.date(2020, 1, 6), "2020/21"),    # mid-year: next year's
    (dt.date(2019, 7, 20), "2019/20"),   # in the summer holiday before: in by the census
    (dt.date(2019, 8, 31), "2019/20"),
])
def test_first_treated_year(joined, first):
    assert first_treated_year(joined) == first


def test_joining_year_is_the_year_containing_the_date():
    assert joining_year(dt.date(2020, 1, 6)) == "2019/20"
    assert joining_year(dt.date(2019, 9, 1)) == "2019/20"
    assert joining_year(dt.date(2019, 8, 31)) == "2018/19"


def test_event_time_counts_years_from_the_first_treated_year():
    assert event_time("2019/20", "2019/20") == 0
    assert event_time("2018/19", "2019/20") == -1
    assert event_time("2021/22", "2018/19") == 3  # COVID years keep their place


def test_first_treated_start_accepts_timestamps_and_blanks():
    import pandas as pd

    assert first_treated_start(pd.Timestamp("2016-09-20")) == 2017.0
    assert first_treated_start(dt.date(2016, 9, 1)) == 2016.0
    assert first_treated_start(None) != first_treated_start(None)  # NaN
