"""The store's tables named the way a spreadsheet names a row: each table's natural key.

A row is a school by its URN, a figure by school, year, term, measure and pupil group: the
same words a template's columns use, so that an upload is compared with the store on them,
an export writes them back out, and export then import changes nothing. Writing
(`impact.importing.writing`), undo and export all read this one list.

`REFERENCES` says which keys point at which rows (a figure's URN at a school, a membership's
cohort at a cohort): the store has no foreign keys, so undo uses them to make sure it never
leaves a row pointing at a school, cohort or partnership that no longer exists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableSpec:
    name: str
    key: tuple[str, ...]
    values: tuple[str, ...]
    label: str  # what its rows are called in a sentence: "attainment figures"
    structure: bool = False  # set up by the trust: admins only (impact.auth.rights)
    one: str = ""  # one of its rows: "attainment figure"
    # Set up by hand (impact.importing.writing): a blank incoming value keeps the stored one.
    blank_keeps: bool = False

    def count(self, n: int) -> str:
        """"1 attainment figure", "2,040 attainment figures"."""
        return f"1 {self.one or self.label}" if n == 1 else f"{n:,} {self.label}"

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.key, *self.values, "upload_id")


_OFSTED_VALUES = (
    "framework", "inspection_type", "overall_effectiveness", "quality_of_education",
    "behaviour_and_attitudes", "personal_development", "leadership_and_management",
    "early_years", "sixth_form", "inclusion", "curriculum_and_teaching", "achievement",
    "attendance_and_behaviour", "personal_development_and_wellbeing",
    "leadership_and_governance", "post_16", "safeguarding", "source",
)

TABLES: dict[str, TableSpec] = {t.name: t for t in (
    TableSpec("schools", ("urn",), ("name", "phase", "school_type", "local_authority", "pupils",
                                    "capacity", "contact_name", "contact_email"), "schools",
              structure=True, one="school", blank_keeps=True),
    TableSpec("partnerships", ("partnership",), ("partnership_type",), "partnerships",
              structure=True, one="partnership", blank_keeps=True),
    TableSpec("cohorts", ("partnership", "cohort"), ("focus", "start_date"), "cohorts",
              structure=True, one="cohort", blank_keeps=True),
    TableSpec("memberships", ("urn", "partnership", "cohort"), ("joined_date", "left_date"),
              "memberships", structure=True, one="membership", blank_keeps=True),
    TableSpec("attainment", ("urn", "academic_year", "term", "measure", "pupil_group"),
              ("cohort_size", "value", "value_note", "source", "lower", "upper"),
              "attainment figures", one="attainment figure"),
    TableSpec("benchmarks", ("area_type", "area_code", "academic_year", "term", "measure",
                             "pupil_group"),
              ("area_name", "cohort_size", "value", "value_note", "source", "lower", "upper"),
              "national and local benchmark figures", structure=True,
              one="national or local benchmark figure"),
    TableSpec("ofsted_inspections", ("urn", "inspection_date"), _OFSTED_VALUES,
              "Ofsted inspections", one="Ofsted inspection"),
    TableSpec("cpd_activities", ("urn", "academic_year", "term", "activity", "staff_role"),
              ("staff_count", "hours_each", "activity_date", "self_assessment_before",
               "self_assessment_after", "lessons_good_or_better", "staff_confidence",
               "description"), "CPD records", one="CPD record"),
    TableSpec("improvement_projects", ("urn", "project"),
              ("partnership", "area", "lead_name", "lead_urn", "start_date", "end_date",
               "status", "measure", "findings", "action_plan", "presented_date"),
              "improvement projects", one="improvement project", blank_keeps=True),
)}

# Parents before children: the order rows are written in, and (reversed) undone in.
WRITE_ORDER = tuple(TABLES)


@dataclass(frozen=True)
class Reference:
    """Rows of `child` whose `columns` name a row of `parent` by its natural key."""

    child: str
    parent: str
    columns: tuple[str, ...]  # in the child, in the order of the parent's key


REFERENCES: tuple[Reference, ...] = (
    Reference("cohorts", "partnerships", ("partnership",)),
    Reference("memberships", "partnerships", ("partnership",)),
    Reference("memberships", "cohorts", ("partnership", "cohort")),
    Reference("memberships", "schools", ("urn",)),
    Reference("attainment", "schools", ("urn",)),
    Reference("ofsted_inspections", "schools", ("urn",)),
    Reference("cpd_activities", "schools", ("urn",)),
    Reference("improvement_projects", "schools", ("urn",)),
    Reference("improvement_projects", "schools", ("lead_urn",)),
    Reference("improvement_projects", "partnerships", ("partnership",)),
)


def references_to(parent: str) -> tuple[Reference, ...]:
    """The links that point at rows of `parent`."""
    return tuple(r for r in REFERENCES if r.parent == parent)
