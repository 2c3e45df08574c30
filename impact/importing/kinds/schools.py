"""Schools, partnerships, cohorts and who joined when, in one flat sheet a data manager fills.

One row per school per cohort it belongs to (a school in no cohort has one row with the
partnership columns blank). A school's details may repeat on each of its rows or be given once;
rows that state different details for the same school are a problem.
"""

from __future__ import annotations

import pandas as pd

from impact.importing import cells
from impact.importing.kinds.base import Context, TemplateKind, Validated, rows_problem
from impact.importing.layout import ROW, Column, Layout, consolidate
from impact.importing.problems import Problem
from impact.importing.reading import Sheet

PHASES = ("Nursery", "Primary", "Middle", "Secondary", "All-through", "Special", "16 plus",
          "Not applicable")
_PHASE_SYNONYMS = {p.lower(): p for p in PHASES} | {
    "first": "Primary", "first school": "Primary", "infant": "Primary", "junior": "Primary",
    "middle deemed primary": "Middle", "middle deemed secondary": "Middle",
    "all through": "All-through", "16+": "16 plus", "post-16": "16 plus", "sixth form": "16 plus",
    "special school": "Special", "n/a": "Not applicable",
}
PARTNERSHIP_TYPES = ("Multi-academy trust", "Cluster", "Federation", "School-to-school programme",
                     "Teaching school hub", "Other")
_TYPE_SYNONYMS = {t.lower(): t for t in PARTNERSHIP_TYPES} | {
    "mat": "Multi-academy trust", "trust": "Multi-academy trust",
    "single-academy trust": "Other", "programme": "School-to-school programme",
    "school to school programme": "School-to-school programme", "hub": "Teaching school hub",
    "collaboration": "Cluster", "partnership": "Cluster",
}
DEFAULT_COHORT = "All schools"

SCHOOL_FIELDS = ["name", "phase", "school_type", "local_authority", "pupils", "capacity"]


def _count(value: object) -> int:
    result = cells.whole_number(value)
    if not 0 <= result <= 10000:
        raise cells.CellError("a number of pupils between 0 and 10,000")
    return result


class SchoolsKind(TemplateKind):
    code = "schools"
    label = "Schools and partnerships"
    what = "school"
    purpose = ("The schools in the partnership and comparison schools, the partnerships and "
               "cohorts they work in, and the date each school joined (and left).")
    tables = ("schools", "partnerships", "cohorts", "memberships")
    layout = Layout(columns=(
        Column("urn", "URN", cells.urn, synonyms=("school urn", "unique reference number"),
               help="The school's 6-digit unique reference number.", example=100000,
               expected="a 6-digit URN"),
        Column("name", "School name", cells.text, allow_blank=True,  # once per school: below
               synonyms=("school", "name", "establishment name", "establishmentname"),
               help="The school's name, as it should appear on every page.",
               example="Example Primary School", expected="the school's name"),
        Column("phase", "Phase", cells.choice(_PHASE_SYNONYMS, "a phase from the drop-down list"),
               required=False, allow_blank=True,
               synonyms=("phase of education", "phaseofeducation (name)", "ofsted phase"),
               choices=PHASES, example="Primary", help="Primary, Secondary, Special, …"),
        Column("school_type", "School type", cells.text, required=False, allow_blank=True,
               synonyms=("type", "type of establishment", "typeofestablishment (name)"),
               example="Academy converter", help="For example Academy converter, Community school."),
        Column("local_authority", "Local authority", cells.text, required=False,
               allow_blank=True, synonyms=("la", "la name", "la (name)", "local authority name"),
               example="Surrey", help="The local authority the school is in."),
        Column("pupils", "Pupils on roll", _count, required=False, allow_blank=True,
               synonyms=("pupils", "number of pupils", "numberofpupils", "roll", "nor"),
               example=210, help="Pupils on roll at the last census."),
        Column("capacity", "Capacity", _count, required=False, allow_blank=True,
               synonyms=("school capacity", "schoolcapacity", "places"), example=210,
               help="How many pupils the school has places for."),
        Column("partnership", "Partnership", cells.text, required=False, allow_blank=True,
               synonyms=("trust", "partnership name", "cluster", "programme", "group name"),
               example="Example Trust",
               help="The trust, cluster or programme. Leave blank for a comparison school in "
                    "no partnership."),
        Column("partnership_type", "Partnership type",
               cells.choice(_TYPE_SYNONYMS, "a partnership type from the drop-down list"),
               required=False, allow_blank=True, synonyms=("type of partnership", "group type"),
               choices=PARTNERSHIP_TYPES, example="Multi-academy trust"),
        Column("cohort", "Cohort", cells.text, required=False, allow_blank=True,
               synonyms=("cohort name", "group"), example="Cohort 1",
               help=f"The cohort within the partnership. Blank means {DEFAULT_COHORT!r}."),
        Column("focus", "Cohort focus", cells.text, required=False, allow_blank=True,
               synonyms=("focus",), example="Highest quality teaching",
               help="What the cohort works on together."),
        Column("start_date", "Cohort start date", cells.date, required=False, allow_blank=True,
               synonyms=("cohort start", "start date"), example="01/09/2019",
               help="When the cohort began, day first (dd/mm/yyyy)."),
        Column("joined_date", "Joined date", cells.date, required=False, allow_blank=True,
               synonyms=("joined", "date joined", "joined on"), example="01/09/2019",
               help="When this school joined the cohort, day first (dd/mm/yyyy)."),
        Column("left_date", "Left date", cells.date, required=False, allow_blank=True,
               synonyms=("left", "date left", "left on"), example=None,
               help="When it left, if it has; otherwise blank."),
    ))
    notes = (
        "One row per school per cohort it is in. A school in no partnership (a comparison "
        "school) has one row with the partnership columns left blank.",
        "A school's details may be repeated on each of its rows or given on the first only.",
        "Dates are day first: 14/09/2021.",
    )

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:
        table, frame, problems, warnings = self.begin(sheets)
        if table is None:
            return Validated(self.code, {}, problems, warnings)
        frame = frame[frame["urn"].notna()]
        headers = table.headers
        schools, p = consolidate(frame, ["urn"], SCHOOL_FIELDS, headers, table.sheet, "school")
        problems += p
        if "name" in schools:
            for row in schools.loc[schools["name"].isna(), ROW]:
                problems.append(rows_problem(
                    table, row, "name", "",
                    "this cell is empty; give the school's name (on at least one of its rows)"))
        frames: dict[str, pd.DataFrame] = {"schools": schools}
        if "partnership" in frame:
            problems += self._membership_rules(frame, table)
            members = frame[frame["partnership"].notna()].copy()
            for optional in ("cohort", "joined_date"):
                if optional not in members:
                    members[optional] = None
            defaulted = members["cohort"].isna()
            if defaulted.any():
                members.loc[defaulted, "cohort"] = DEFAULT_COHORT
            partnerships, p = consolidate(members, ["partnership"], ["partnership_type"],
                                          headers, table.sheet, "partnership")
            problems += p
            cohorts, p = consolidate(members, ["partnership", "cohort"],
                                     ["focus", "start_date"], headers, table.sheet, "cohort")
            problems += p
            memberships, p = consolidate(members.dropna(subset=["joined_date"]),
                                         ["urn", "partnership", "cohort"],
                                         ["joined_date", "left_date"], headers, table.sheet,
                                         "school in the same cohort")
            problems += p
            frames |= {"partnerships": partnerships, "cohorts": cohorts,
                       "memberships": memberships}
        summary = {"schools": len(schools),
                   "partnerships": len(frames.get("partnerships", [])),
                   "cohorts": len(frames.get("cohorts", [])),
                   "memberships": len(frames.get("memberships", []))}
        return Validated(self.code, frames, problems, warnings, summary, headers=table.headers)

    def _membership_rules(self, frame: pd.DataFrame, table) -> list[Problem]:
        problems = []
        has = frame["partnership"].notna()
        for field in ("partnership_type", "cohort", "focus", "start_date", "joined_date",
                      "left_date"):
            if field not in frame:
                continue
            for i in frame.index[~has & frame[field].notna()]:
                problems.append(rows_problem(
                    table, frame.at[i, ROW], field, table.data.at[i, field],
                    "this row has no Partnership, so it cannot have a "
                    f"{table.header(field)}; fill in the Partnership or clear this cell"))
        joined = frame["joined_date"] if "joined_date" in frame else \
            pd.Series(None, index=frame.index, dtype=object)
        raw_joined = table.data.get("joined_date")
        for i in frame.index[has & joined.isna()]:
            if raw_joined is not None and not cells.is_blank(raw_joined.at[i]):
                continue  # already reported as not a date
            problems.append(rows_problem(
                table, frame.at[i, ROW], "joined_date", "",
                "this cell is empty; a school in a partnership needs the date it joined, day "
                "first (dd/mm/yyyy)"))
        if "left_date" in frame:
            for i in frame.index[frame["left_date"].notna() & joined.notna()]:
                if frame.at[i, "left_date"] < joined[i]:
                    problems.append(rows_problem(
                        table, frame.at[i, ROW], "left_date", table.data.at[i, "left_date"],
                        "the school cannot leave before it joined: the left date must be after "
                        "the joined date"))
        return problems


KIND = SchoolsKind()
