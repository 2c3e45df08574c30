"""The Cohorts page's counts and tables."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from impact.reports import cohorts

MEMBERS = pd.DataFrame({
    "partnership": ["Oak Trust"] * 3, "cohort": ["One", "One", "Two"],
    "urn": [100001, 100002, 100001], "name": ["Ash", "Birch", "Ash"],
    "joined_date": pd.to_datetime(["2019-09-01", "2019-09-01", "2021-09-01"]),
    "left_date": pd.to_datetime([None, "2022-07-31", None]),
})
COHORTS = pd.DataFrame({"partnership": ["Oak Trust"] * 2, "cohort": ["One", "Two"],
                        "focus": ["Teaching", None],
                        "start_date": pd.to_datetime(["2019-09-01", None]),
                        "schools_now": [1, 1], "schools_ever": [2, 1]})


def test_a_school_in_two_cohorts_counts_once_and_leavers_are_not_counted_now():
    summary = cohorts.partnership_summary(COHORTS, MEMBERS, "Oak Trust",
                                          today=dt.date(2024, 1, 1))
    assert (summary.cohorts, summary.schools_now, summary.schools_ever) == (2, 1, 2)
    assert summary.headline == "Oak Trust: 1 school in 2 cohorts"


def test_tables_show_dates_as_people_write_them():
    table = cohorts.cohorts_table(COHORTS)
    assert table.to_dict("list") == {"Cohort": ["One", "Two"], "Focus": ["Teaching", ""],
                                     "Started": ["1 September 2019", ""],
                                     "Schools now": [1, 1], "Schools ever": [2, 1]}
    (first, one), (second, two) = cohorts.members_tables(MEMBERS, today=dt.date(2024, 1, 1))
    assert (first, second) == ("One", "Two")
    assert one["Left"].tolist() == ["Still in", "31 July 2022"]
    assert two["Joined"].tolist() == ["1 September 2021"]
