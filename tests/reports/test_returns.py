"""Who has not sent this term's return: this term from today's date, a return as any results
or CPD row for the term, yearly-only schools checked for last summer's results, leavers not
chased."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from impact.reports import returns

MEMBERS = pd.DataFrame({
    "urn": [1, 2, 3, 4, 5, 6], "name": ["Ash", "Birch", "Cedar", "Damson", "Elm", "Fir"],
    "joined_date": ["2019-09-01", "2019-09-01", "2019-09-01", "2019-09-01", "2019-09-01",
                    "2027-01-01"],
    "left_date": [None, None, None, None, "2024-08-31", None]})


def _returns(*rows):
    return pd.DataFrame(rows, columns=["urn", "academic_year", "term", "attainment_rows",
                                       "termly_rows", "cpd_rows"])


RETURNS = _returns(
    (1, "2026/27", "Autumn", 3, 3, 0),   # Ash sent teacher assessments this term
    (2, "2025/26", "Summer", 5, 3, 2),   # Birch last sent in the summer
    (2, "2026/27", "Spring", 0, 0, 1),   # … and next term's CPD early: not this term
    (3, "2025/26", "Summer", 8, 0, 0),   # Cedar sends only yearly results: last summer's in
    (4, "2024/25", "Summer", 8, 0, 0),   # Damson sends only yearly results: last summer missing
    (5, "2023/24", "Autumn", 0, 0, 1),   # Elm left in 2024
)


def test_this_term_comes_from_todays_date():
    check = returns.returns_check(MEMBERS, RETURNS, dt.date(2026, 11, 22))
    assert (check.academic_year, check.term) == ("2026/27", "Autumn")
    assert returns.returns_check(MEMBERS, RETURNS, dt.date(2027, 2, 1)).term == "Spring"
    assert returns.returns_check(MEMBERS, RETURNS, dt.date(2027, 6, 1)).term == "Summer"


def test_missing_schools_are_listed_plainly_with_their_last_return():
    check = returns.returns_check(MEMBERS, RETURNS, dt.date(2026, 11, 22))
    assert check.expected == 4, "Elm has left and Fir has not joined yet"
    assert check.received == 2  # Ash this term; Cedar's yearly results
    missing = check.missing.set_index("School")
    assert list(missing.index) == ["Birch", "Damson"]
    assert missing.loc["Birch", "Last return"] == "Spring 2026/27"
    assert missing.loc["Birch", "What we look for"] == \
        "Any results or CPD records for Autumn 2026/27"
    assert missing.loc["Damson", "What we look for"].startswith("Yearly results for 2025/26")
    assert missing.loc["Damson", "URN"] == 4
    assert check.headline == "2 of 4 schools have not sent a return for Autumn 2026/27"


def test_a_school_that_has_sent_nothing_is_chased():
    check = returns.returns_check(MEMBERS.iloc[:1], _returns(), dt.date(2026, 11, 22))
    assert check.missing["Last return"].tolist() == ["Nothing sent yet"]


def test_everyone_in_says_so():
    check = returns.returns_check(MEMBERS.iloc[:1], RETURNS, dt.date(2026, 11, 22))
    assert check.missing.empty
    assert check.headline == "Every school has sent its Autumn 2026/27 return"
