"""Schools, partnerships, cohorts and who joined when, in one flat sheet a data manager fills.

One row per school per cohort it belongs to (a school in no cohort has one row with the
partnership columns blank). A school's details may repeat on each of its rows or be given once;
rows that state different details for the same school are a problem.

A blank cell leaves what is stored as it is (`writing.TableSpec.blank_keeps`): a sheet that
names existing schools by URN only, to add them to a new cohort, keeps their phase, type,
local authority, pupils and capacity, which the comparisons depend on. To empty a stored
value, write `clear` in its cell. A row with no URN but a Partnership sets up that partnership
(and its cohort) before any school joins it: the Set up page writes its edits that way.
"""

from __future__ import annotations

import pandas as pd

from impact.importing import cells
from impact.importing.kinds.base import (
    Context,
    TemplateKind,
    Validated,
    rows_problem,
    take_clears,
    unclearable,
    without_repeats,
)
from impact.importing.layout import ROW, Column, Layout, Table, consolidate, parse_columns
from impact.importing.problems import Problem
from impact.importing.reading import Sheet
from impact.importing.writing import clear_column

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

SCHOOL_FIELDS = ["name", "phase", "school_type", "local_authority", "pupils", "capacity",
                 "contact_name", "contact_email"]
# What `clear` may empty; names, keys and the joined date cannot be empty.
CLEARABLE = ("phase", "school_type", "local_authority", "pupils", "capacity", "contact_name",
             "contact_email", "partnership_type", "focus", "start_date", "left_date")
NOT_CLEARABLE = ("urn", "name", "partnership", "cohort", "joined_date")
MEMBERSHIP_FIELDS = ("partnership_type", "cohort", "focus", "start_date", "joined_date",
                     "left_date")


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
        Column("urn", "URN", cells.urn, allow_blank=True,  # blank: a partnership set up alone
               synonyms=("school urn", "unique reference number"),
               help="The school's 6-digit unique reference number. Leave it blank only on a "
                    "row that sets up a partnership or cohort before any school joins it.",
               example=100000, expected="a 6-digit URN"),
        Column("name", "School name", cells.text, required=False, allow_blank=True,
               # needed for a school not set up yet (checked below), once per school
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
        Column("contact_name", "Contact name", cells.text, required=False, allow_blank=True,
               synonyms=("contact", "data contact", "returns contact"), example="Sam Jones",
               help="Who to remind when the school's termly return is missing."),
        Column("contact_email", "Contact email", cells.email, required=False,
               allow_blank=True, synonyms=("email", "contact e-mail", "e-mail",
                                           "email address", "data contact email",
                                           "school email"),
               example="office@example.sch.uk",
               help="The address the reminder for a missing return goes to."),
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
        "A blank cell leaves what is already stored as it is: to add schools already set up "
        "to a new cohort, the URN, Partnership, Cohort and Joined date are enough.",
        f"To empty a stored detail (a left date given by mistake, an old contact), write the "
        f"word {cells.CLEAR_WORD} in its cell. A school's name, URN, partnership, cohort and "
        "joined date cannot be emptied.",
        "To set up a partnership or cohort before any school joins it, leave the URN and the "
        "school's details blank and fill in the Partnership (and Cohort) columns.",
        "Dates are day first: 14/09/2021.",
    )

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:
        table, problems, warnings = self.locate(sheets)
        if problems:
            return Validated(self.code, {}, problems, warnings)
        table, skipped = self.drop_example(table)
        warnings += skipped
        clears = take_clears(table, (*CLEARABLE, *NOT_CLEARABLE))
        refused = unclearable(
            table, clears, NOT_CLEARABLE,
            f"cannot be cleared: write the right value, or leave the cell blank to keep it "
            f"({cells.CLEAR_WORD!r} empties details such as a left date or a contact)")
        problems += refused
        frame, cell_problems = parse_columns(table, self.layout)
        problems += without_repeats(cell_problems, refused)
        for field_name, mask in clears.items():
            if field_name in CLEARABLE:
                frame[clear_column(field_name)] = mask.where(mask, None).astype(object)
        headers = table.headers
        urn_blank = cells.blank_mask(table.data["urn"])
        has_partnership = (frame["partnership"].notna() if "partnership" in frame
                           else pd.Series(False, index=frame.index))
        problems += self._setup_rows(frame, table, urn_blank, has_partnership, clears)
        with_school = frame[frame["urn"].notna()]
        school_values = [*SCHOOL_FIELDS, *(clear_column(f) for f in SCHOOL_FIELDS
                                           if clear_column(f) in frame)]
        schools, p = consolidate(with_school, ["urn"], school_values, headers, table.sheet,
                                 "school")
        problems += p
        problems += _clear_conflicts(schools, table, SCHOOL_FIELDS, "school")
        known = set(context.schools["urn"].astype(int)) if not context.schools.empty else set()
        if "name" in schools:
            unnamed = schools["name"].isna() & ~schools["urn"].astype(int).isin(known)
            for row in schools.loc[unnamed, ROW]:
                problems.append(rows_problem(
                    table, row, "name", "",
                    "this cell is empty and no school with this URN is set up yet; give the "
                    "new school's name (on at least one of its rows)"))
        elif len(schools) and not schools["urn"].astype(int).isin(known).all():
            new = schools.loc[~schools["urn"].astype(int).isin(known)]
            problems.append(rows_problem(
                table, new[ROW].iloc[0], "name", "",
                "this school is not set up yet, so the file needs a School name column "
                "with its name"))
        # A school already set up, named only to place it in a cohort, sends nothing about
        # itself: its row would change nothing, and undo would count it as vouched for.
        stated = [c for c in school_values if c in schools]
        if stated and len(schools):
            says_something = schools[stated].notna().any(axis=1)
            schools = schools[says_something | ~schools["urn"].astype(int).isin(known)]
        elif len(schools):
            schools = schools[~schools["urn"].astype(int).isin(known)]
        frames: dict[str, pd.DataFrame] = {"schools": schools.reset_index(drop=True)}
        if "partnership" in frame:
            problems += self._membership_rules(with_school, table,
                                               clears.get("joined_date"))
            members = frame[has_partnership].copy()
            for optional in ("cohort", "joined_date"):
                if optional not in members:
                    members[optional] = None
            defaulted = members["cohort"].isna()
            if defaulted.any():
                members.loc[defaulted, "cohort"] = DEFAULT_COHORT
            partnerships, p = consolidate(members, ["partnership"],
                                          _with_clears(members, ["partnership_type"]),
                                          headers, table.sheet, "partnership")
            problems += p + _clear_conflicts(partnerships, table, ["partnership_type"],
                                             "partnership")
            cohorts, p = consolidate(members, ["partnership", "cohort"],
                                     _with_clears(members, ["focus", "start_date"]),
                                     headers, table.sheet, "cohort")
            problems += p + _clear_conflicts(cohorts, table, ["focus", "start_date"], "cohort")
            joined = members[members["urn"].notna()].dropna(subset=["joined_date"])
            memberships, p = consolidate(joined, ["urn", "partnership", "cohort"],
                                         _with_clears(joined, ["joined_date", "left_date"]),
                                         headers, table.sheet, "school in the same cohort")
            problems += p + _clear_conflicts(memberships, table, ["left_date"],
                                             "school in the same cohort")
            frames |= {"partnerships": partnerships, "cohorts": cohorts,
                       "memberships": memberships}
        summary = {"schools": len(schools),
                   "partnerships": len(frames.get("partnerships", [])),
                   "cohorts": len(frames.get("cohorts", [])),
                   "memberships": len(frames.get("memberships", []))}
        cleared = sorted(table.header(f) for f in clears if f in CLEARABLE)
        if cleared:
            summary["cleared"] = cleared
        return Validated(self.code, frames, problems, warnings, summary, headers=table.headers)

    def _setup_rows(self, frame: pd.DataFrame, table: Table, urn_blank: pd.Series,
                    has_partnership: pd.Series, clears: dict[str, pd.Series]
                    ) -> list[Problem]:
        """A row without a URN may only set up a partnership or cohort: it needs a
        Partnership, and cannot carry a school's details or dates."""
        problems = []
        for i in frame.index[urn_blank & ~has_partnership]:
            problems.append(rows_problem(
                table, frame.at[i, ROW], "urn", "",
                "this cell is empty; give the school's 6-digit URN (a row without a URN may "
                "only set up a partnership or cohort, and then needs its Partnership)"))
        setup_only = urn_blank & has_partnership
        for field_name in (*SCHOOL_FIELDS, "joined_date", "left_date"):
            stated = (frame[field_name].notna() if field_name in frame
                      else pd.Series(False, index=frame.index))
            if field_name in clears:
                stated = stated | clears[field_name].reindex(frame.index, fill_value=False)
            for i in frame.index[setup_only & stated]:
                problems.append(rows_problem(
                    table, frame.at[i, ROW], field_name, table.data.at[i, field_name] or "",
                    f"this row has no URN, so it sets up a partnership or cohort only and "
                    f"cannot have a {table.header(field_name)}; add the school's URN or empty "
                    "this cell"))
        return problems

    def _membership_rules(self, frame: pd.DataFrame, table: Table,
                          cleared_joined: pd.Series | None) -> list[Problem]:
        problems = []
        has = frame["partnership"].notna()
        for field in MEMBERSHIP_FIELDS:
            if field not in frame:
                continue
            for i in frame.index[~has & frame[field].notna()]:
                problems.append(rows_problem(
                    table, frame.at[i, ROW], field, table.data.at[i, field],
                    "this row has no Partnership, so it cannot have a "
                    f"{table.header(field)}; fill in the Partnership or empty this cell"))
        joined = frame["joined_date"] if "joined_date" in frame else \
            pd.Series(None, index=frame.index, dtype=object)
        raw_joined = table.data.get("joined_date")
        for i in frame.index[has & joined.isna()]:
            if raw_joined is not None and not cells.is_blank(raw_joined.at[i]):
                continue  # already reported as not a date
            if cleared_joined is not None and bool(cleared_joined.get(i, False)):
                continue  # already reported: a joined date cannot be cleared
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


def _with_clears(frame: pd.DataFrame, fields: list[str]) -> list[str]:
    return [*fields, *(clear_column(f) for f in fields if clear_column(f) in frame)]


def _clear_conflicts(frame: pd.DataFrame, table: Table, fields: list[str] | tuple[str, ...],
                     what: str) -> list[Problem]:
    """One row says `clear` and another states a value for the same thing."""
    problems = []
    for field_name in fields:
        flag = clear_column(field_name)
        if flag not in frame or field_name not in frame:
            continue
        both = frame[flag].eq(True) & frame[field_name].notna()
        for row in frame.loc[both, ROW]:
            problems.append(rows_problem(
                table, row, field_name, cells.CLEAR_WORD,
                f"one row for this {what} says {cells.CLEAR_WORD!r} in "
                f"{table.header(field_name)} and another gives a value; make them agree"))
    return problems


KIND = SchoolsKind()
