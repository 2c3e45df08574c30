"""Which schools have not sent the return that is due: the list a data manager chases, with
whom to write to and a reminder ready to copy.

The term checked is the latest term that has ended (`academic_years.last_ended_term`): a
term's return is due once the term is over, so on 5 December 2026, during the Autumn term of
2026/27, the return that counts is Summer 2025/26 (a first visit in December no longer says
every school is missing an Autumn return nobody could have sent yet). The page says which term
it checks and why, and counts the schools that have already sent the term under way.

A *return* is any attainment or CPD row for that school for that academic year and term.
Schools that have only ever sent yearly (statutory, Summer) results are not chased every term:
their results come once a year, so for them we look for the latest finished summer's results,
and say so. A school that has sent nothing at all is chased like any other. Schools are
expected if they had joined by the end of the term checked and have not left.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from dataclasses import dataclass

import pandas as pd

from impact.domain.academic_years import (
    academic_year_of,
    format_academic_year,
    last_ended_term,
    start_year,
    term_bounds,
    term_of,
    term_order,
)
from impact.reports.dates import long_date

MISSING_COLUMNS = ["School", "URN", "Contact", "Email", "Last return", "What we look for"]
NO_CONTACT = "No contact set up"


@dataclass(frozen=True)
class MissingReturn:
    """One school whose return is missing, and who to ask for it."""

    urn: int
    school: str
    contact_name: str | None
    contact_email: str | None
    last_return: str
    wanted: str


@dataclass(frozen=True)
class Reminder:
    """A reminder ready to copy: who to, the subject and the message, and a mailto link."""

    to: str | None
    subject: str
    body: str

    @property
    def text(self) -> str:
        """The whole reminder as one block to copy into an email."""
        head = f"To: {self.to}\n" if self.to else ""
        return f"{head}Subject: {self.subject}\n\n{self.body}"

    @property
    def mailto(self) -> str | None:
        if not self.to:
            return None
        query = urllib.parse.urlencode({"subject": self.subject, "body": self.body},
                                       quote_via=urllib.parse.quote)
        return f"mailto:{urllib.parse.quote(self.to, safe='@')}?{query}"


@dataclass(frozen=True)
class ReturnsCheck:
    academic_year: str        # the term checked: the latest that has ended
    term: str
    today: dt.date
    expected: int             # schools expected to have sent it
    received: int
    schools: tuple[MissingReturn, ...]
    yearly_year: str          # whose summer results yearly-only schools are checked for
    early: int = 0            # schools that have already sent the term under way

    @property
    def this_term(self) -> str:
        return f"{self.term} {self.academic_year}"

    @property
    def term_under_way(self) -> str:
        return f"{term_of(self.today)} {academic_year_of(self.today)}"

    @property
    def missing(self) -> pd.DataFrame:
        """School, URN, Contact, Email, Last return, What we look for; by school name."""
        rows = [{"School": s.school, "URN": s.urn, "Contact": s.contact_name or "",
                 "Email": s.contact_email or NO_CONTACT, "Last return": s.last_return,
                 "What we look for": s.wanted} for s in self.schools]
        return pd.DataFrame(rows, columns=MISSING_COLUMNS)

    @property
    def headline(self) -> str:
        if self.expected == 0:
            return "No school in this partnership is expected to send a return yet"
        if not self.schools:
            return f"Every school has sent its {self.this_term} return"
        n = len(self.schools)
        return (f"{n} of {self.expected} school{'s' if self.expected != 1 else ''} "
                f"{'has' if n == 1 else 'have'} not sent a return for {self.this_term}")

    @property
    def why(self) -> str:
        """Which term is checked and why, in plain words."""
        _, ends = term_bounds(academic_year_of(self.today), term_of(self.today))
        early = ""
        if self.early:
            early = (f" {self.early} school{'s have' if self.early != 1 else ' has'} already "
                     f"sent something for {self.term_under_way}.")
        return (f"A term's return is due once the term has ended. Today is "
                f"{long_date(self.today)}, during the {self.term_under_way} term (it ends on "
                f"{long_date(ends)}), so the term checked here is {self.this_term}, the latest "
                f"that has ended. A return is any results or CPD record for it; schools that "
                f"only ever send yearly results are checked for their {self.yearly_year} "
                f"summer results.{early}")


def _period(year: str, term: str) -> str:
    return f"{term} {year}"


def _text(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    text = " ".join(str(value).split())
    return text or None


def current_members(members: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Schools in the partnership today (joined on or before today, not yet left), once each."""
    if members.empty:
        return members
    joined = pd.to_datetime(members["joined_date"], errors="coerce")
    left = pd.to_datetime(members["left_date"], errors="coerce")
    now = pd.Timestamp(today)
    keep = (joined.isna() | (joined <= now)) & (left.isna() | (left > now))
    return members[keep].drop_duplicates("urn").reset_index(drop=True)


def expected_members(members: pd.DataFrame, today: dt.date, academic_year: str, term: str
                     ) -> pd.DataFrame:
    """Schools that had joined by the end of the term checked and have not left by today."""
    if members.empty:
        return members
    _, ends = term_bounds(academic_year, term)
    joined = pd.to_datetime(members["joined_date"], errors="coerce")
    left = pd.to_datetime(members["left_date"], errors="coerce")
    keep = ((joined.isna() | (joined <= pd.Timestamp(ends)))
            & (left.isna() | (left > pd.Timestamp(today))))
    return members[keep].drop_duplicates("urn").reset_index(drop=True)


def returns_check(members: pd.DataFrame, returns: pd.DataFrame, today: dt.date
                  ) -> ReturnsCheck:
    """`members`: urn, name, joined_date, left_date and, where known, contact_name and
    contact_email (`queries/member_schools.sql`); `returns`: urn, academic_year, term,
    attainment_rows, termly_rows, cpd_rows (`queries/returns_by_term.sql`)."""
    year, term = last_ended_term(today)
    yearly = year if term == "Summer" else format_academic_year(start_year(year) - 1)
    schools = expected_members(members, today, year, term)
    missing: list[MissingReturn] = []
    received = 0
    by_school = dict(tuple(returns.groupby("urn", sort=False))) if not returns.empty else {}
    nothing = returns.iloc[0:0]
    for school in schools.to_dict("records"):
        own = by_school.get(school["urn"], nothing)
        termly = own.empty or bool((own["termly_rows"] > 0).any() or (own["cpd_rows"] > 0).any())
        if termly:
            sent = not own[(own["academic_year"] == year) & (own["term"] == term)].empty
            wanted = f"Any results or CPD records for {_period(year, term)}"
        else:
            sent = not own[(own["academic_year"] == yearly) & (own["term"] == "Summer")
                           & (own["attainment_rows"] > 0)].empty
            wanted = (f"Yearly results for {yearly} (this school sends only its yearly "
                      "results)")
        if sent:
            received += 1
            continue
        if own.empty:
            last = "Nothing sent yet"
        else:
            latest = max(zip(own["academic_year"], own["term"], strict=True),
                         key=lambda p: (start_year(p[0]), term_order(p[1])))
            last = _period(*latest)
        name = _text(school.get("name")) or str(school["urn"])
        missing.append(MissingReturn(int(school["urn"]), name, _text(school.get("contact_name")),
                                     _text(school.get("contact_email")), last, wanted))
    missing.sort(key=lambda s: (s.school.casefold(), s.urn))
    now_year, now_term = academic_year_of(today), term_of(today)
    early = 0 if returns.empty else int(returns[
        (returns["academic_year"] == now_year) & (returns["term"] == now_term)
        & returns["urn"].isin(schools["urn"] if not schools.empty else [])]["urn"].nunique())
    return ReturnsCheck(year, term, today, len(schools), received, tuple(missing), yearly,
                        early)


def reminder(school: MissingReturn, check: ReturnsCheck, partnership: str | None = None,
             sender: str | None = None) -> Reminder:
    """A short, friendly reminder for one school's missing return."""
    greeting = f"Dear {school.contact_name}," if school.contact_name else "Dear colleague,"
    place = f" for {partnership}" if partnership else ""
    yearly = school.wanted.startswith("Yearly")
    what = (f"your {check.yearly_year} yearly results" if yearly
            else f"your {check.this_term} return (results or CPD records for that term)")
    last = ("We have not had a return from you yet." if school.last_return == "Nothing sent yet"
            else f"The latest we have from you is for {school.last_return}.")
    body = "\n".join([
        greeting, "",
        f"Our records{place} do not yet show {what} for {school.school} (URN {school.urn}). "
        f"{last}",
        "",
        "Could you upload it on the Upload page of the partnership dashboard (the template is "
        "there), or send it to me? If it has already gone, please let me know and I will "
        "check.",
        "",
        "Thank you,",
        sender or "",
    ]).rstrip() + "\n"
    subject = (f"{check.yearly_year} yearly results" if yearly else f"{check.this_term} return")
    return Reminder(school.contact_email, f"{subject}: {school.school}", body)


def addresses(check: ReturnsCheck) -> str:
    """Every missing school's contact email, separated by semicolons (for one email's To or
    Bcc line); schools without one are left out."""
    return "; ".join(dict.fromkeys(s.contact_email for s in check.schools if s.contact_email))


def term_dates_sentence(today: dt.date) -> str:
    """How the term checked was worked out, in one sentence (as `ReturnsCheck.why`)."""
    year, term = last_ended_term(today)
    return (f"Today is {long_date(today)}, during the {term_of(today)} term of "
            f"{academic_year_of(today)}; the term checked is {term} {year}, the latest that "
            "has ended.")
