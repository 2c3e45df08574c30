"""The Set up page's tables: partnerships, cohorts, who is in each, contacts, projects, what a
refused change got wrong, and the changes made on the page. Every blank shows as blank (never
`<NA>`, `nan` or `None`), dates as GOV.UK writes them."""

from __future__ import annotations

import pandas as pd

from impact.importing.edits import PREFIX
from impact.importing.pipeline import ImportPlan
from impact.reports.dates import long_date
from impact.reports.projects import projects_table, text

__all__ = ["changes_made_here", "changes_table", "cohorts_table", "contacts_table",
           "members_table", "partnerships_table", "projects_table", "refusals_table", "text"]
from impact.reports.upload import history_table


def _count(value: object) -> str:
    shown = text(value)
    return shown or "0"


def partnerships_table(partnerships: pd.DataFrame) -> pd.DataFrame:
    """`queries/partnerships.sql` for people."""
    return pd.DataFrame({
        "Partnership": partnerships["partnership"].map(text),
        "Type": partnerships["partnership_type"].map(text),
        "Cohorts": partnerships["cohorts"].map(_count),
        "Schools": partnerships["schools"].map(_count),
    }, columns=["Partnership", "Type", "Cohorts", "Schools"]).reset_index(drop=True)


def cohorts_table(cohorts: pd.DataFrame) -> pd.DataFrame:
    """`queries/cohorts.sql` for people."""
    return pd.DataFrame({
        "Partnership": cohorts["partnership"].map(text),
        "Cohort": cohorts["cohort"].map(text),
        "Focus": cohorts["focus"].map(text),
        "Started": cohorts["start_date"].map(long_date),
        "Schools now": cohorts["schools_now"].map(_count),
        "Schools ever": cohorts["schools_ever"].map(_count),
    }, columns=["Partnership", "Cohort", "Focus", "Started", "Schools now", "Schools ever"]
    ).reset_index(drop=True)


def members_table(members: pd.DataFrame) -> pd.DataFrame:
    """`queries/cohort_members.sql` for people: who is in the cohort, and from when."""
    return pd.DataFrame({
        "School": members["name"].map(text),
        "URN": members["urn"].map(lambda u: str(int(u))),
        "Joined": members["joined_date"].map(long_date),
        "Left": members["left_date"].map(lambda d: long_date(d) or "Still in"),
    }, columns=["School", "URN", "Joined", "Left"]).reset_index(drop=True)


def contacts_table(schools: pd.DataFrame) -> pd.DataFrame:
    """`queries/member_schools.sql` for people: each school's contact for returns."""
    return pd.DataFrame({
        "School": schools["name"].map(text),
        "URN": schools["urn"].map(lambda u: str(int(u))),
        "Contact": schools["contact_name"].map(text),
        "Email": schools["contact_email"].map(lambda e: text(e) or "None set up"),
    }, columns=["School", "URN", "Contact", "Email"]).reset_index(drop=True)


def refusals_table(plan: ImportPlan) -> pd.DataFrame:
    """Why a change made on the page cannot be saved: the column, the value and the problem
    (no row numbers: the person never saw the file the change became)."""
    rows = []
    if plan.unusable:
        rows.append({"What": "", "Value": "", "Problem": plan.unusable})
    for problem in plan.problems:
        rows.append({"What": problem.column or "", "Value": problem.value or "",
                     "Problem": problem.message[0].upper() + problem.message[1:]})
    return pd.DataFrame(rows, columns=["What", "Value", "Problem"])


def changes_made_here(uploads: pd.DataFrame) -> pd.DataFrame:
    """The upload history, only the changes made on the Set up page (newest first)."""
    mine = uploads[uploads["file_name"].astype(str).str.startswith(PREFIX)]
    return mine.reset_index(drop=True)


def changes_table(uploads: pd.DataFrame) -> pd.DataFrame:
    return history_table(changes_made_here(uploads))
