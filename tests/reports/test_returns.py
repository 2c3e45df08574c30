"""Who has not sent the return that is due: the latest term that has ended (not the term under
way), a return as any results or CPD row for the term, yearly-only schools checked for the
latest summer's results, leavers and late joiners not chased, each missing school named with
its contact and a reminder ready to copy."""

from __future__ import annotations

import datetime as dt
import urllib.parse

import pandas as pd

from impact.domain.academic_years import last_ended_term
from impact.reports import returns

MEMBERS = pd.DataFrame({
    "urn": [1, 2, 3, 4, 5, 6], "name": ["Ash", "Birch", "Cedar", "Damson", "Elm", "Fir"],
    "joined_date": ["2019-09-01", "2019-09-01", "2019-09-01", "2019-09-01", "2019-09-01",
                    "2026-09-01"],
    "left_date": [None, None, None, None, "2024-08-31", None],
    "contact_name": ["Ann Ash", "Bob Birch", None, None, None, None],
    "contact_email": ["ann@ash.example", "bob@birch.example", None, "office@damson.example",
                      None, None]})


def _returns(*rows):
    return pd.DataFrame(rows, columns=["urn", "academic_year", "term", "attainment_rows",
                                       "termly_rows", "cpd_rows"])


RETURNS = _returns(
    (1, "2025/26", "Summer", 3, 3, 0),   # Ash sent the summer's teacher assessments
    (1, "2026/27", "Autumn", 3, 3, 0),   # … and this term's already
    (2, "2025/26", "Spring", 5, 3, 2),   # Birch last sent in the spring
    (3, "2025/26", "Summer", 8, 0, 0),   # Cedar sends only yearly results: the summer's in
    (4, "2024/25", "Summer", 8, 0, 0),   # Damson sends only yearly results: 2025/26 missing
    (5, "2023/24", "Autumn", 0, 0, 1),   # Elm left in 2024
)
TODAY = dt.date(2026, 12, 5)  # during the Autumn term of 2026/27


def test_the_term_checked_is_the_latest_that_has_ended():
    assert last_ended_term(TODAY) == ("2025/26", "Summer")
    assert last_ended_term(dt.date(2027, 1, 4)) == ("2026/27", "Autumn")
    assert last_ended_term(dt.date(2027, 3, 31)) == ("2026/27", "Autumn")
    assert last_ended_term(dt.date(2027, 4, 1)) == ("2026/27", "Spring")
    assert last_ended_term(dt.date(2027, 9, 1)) == ("2026/27", "Summer")
    check = returns.returns_check(MEMBERS, RETURNS, TODAY)
    assert (check.academic_year, check.term) == ("2025/26", "Summer")
    assert "the term checked here is Summer 2025/26" in check.why
    assert "during the Autumn 2026/27 term" in check.why
    assert "1 school has already sent something for Autumn 2026/27" in check.why


def test_missing_schools_are_listed_plainly_with_their_contact_and_last_return():
    check = returns.returns_check(MEMBERS, RETURNS, TODAY)
    assert check.expected == 4, "Elm has left and Fir joined after the summer term"
    assert check.received == 2  # Ash for the summer; Cedar's yearly results
    missing = check.missing.set_index("School")
    assert list(missing.index) == ["Birch", "Damson"]
    assert missing.loc["Birch", "Last return"] == "Spring 2025/26"
    assert missing.loc["Birch", "What we look for"] == \
        "Any results or CPD records for Summer 2025/26"
    assert missing.loc["Birch", "Contact"] == "Bob Birch"
    assert missing.loc["Birch", "Email"] == "bob@birch.example"
    assert missing.loc["Damson", "What we look for"].startswith("Yearly results for 2025/26")
    assert missing.loc["Damson", "URN"] == 4
    assert check.headline == "2 of 4 schools have not sent a return for Summer 2025/26"
    assert returns.addresses(check) == "bob@birch.example; office@damson.example"


def test_a_reminder_names_the_school_the_term_and_the_contact():
    check = returns.returns_check(MEMBERS, RETURNS, TODAY)
    birch = next(s for s in check.schools if s.school == "Birch")
    note = returns.reminder(birch, check, partnership="Oak Trust", sender="Sam (data manager)")
    assert note.to == "bob@birch.example"
    assert note.subject == "Summer 2025/26 return: Birch"
    assert note.body.startswith("Dear Bob Birch,")
    assert "Birch (URN 2)" in note.body and "Spring 2025/26" in note.body
    assert "for Oak Trust" in note.body and note.body.rstrip().endswith("Sam (data manager)")
    assert note.text.startswith("To: bob@birch.example\nSubject: Summer 2025/26 return: Birch")
    parsed = urllib.parse.urlparse(note.mailto)
    assert parsed.scheme == "mailto" and parsed.path == "bob@birch.example"
    assert urllib.parse.parse_qs(parsed.query)["subject"] == [note.subject]
    damson = next(s for s in check.schools if s.school == "Damson")
    yearly = returns.reminder(damson, check)
    assert yearly.subject == "2025/26 yearly results: Damson"
    assert yearly.body.startswith("Dear colleague,")


def test_a_school_with_no_contact_says_so():
    members = MEMBERS.assign(contact_email=None, contact_name=None)
    check = returns.returns_check(members, RETURNS, TODAY)
    assert set(check.missing["Email"]) == {returns.NO_CONTACT}
    note = returns.reminder(check.schools[0], check)
    assert note.to is None and note.mailto is None
    assert returns.addresses(check) == ""


def test_a_school_that_has_sent_nothing_is_chased():
    check = returns.returns_check(MEMBERS.iloc[:1], _returns(), TODAY)
    assert check.missing["Last return"].tolist() == ["Nothing sent yet"]


def test_everyone_in_says_so():
    check = returns.returns_check(MEMBERS.iloc[:1], RETURNS, TODAY)
    assert check.missing.empty
    assert check.headline == "Every school has sent its Summer 2025/26 return"
