"""Improvement projects (case study 003, "Developing Leadership through Partnership").

A host school names an area of need; a colleague from another school takes it on, collects
data there, and presents findings and an action plan to the host's senior team. One row per
project, named by its host school and a short title (the natural key), so a later upload with
the same host and title updates the project: its status, end date, findings.

As in the schools template, a blank cell leaves what is stored as it is and `clear` empties it
(the area and the start date cannot be emptied: they are what the project is, and the start
date is where its event-time line begins). A head may record projects hosted by their own
school; the trust's data manager any school's.
"""

from __future__ import annotations

import pandas as pd

from impact.domain import measures as m
from impact.domain import projects
from impact.importing import cells
from impact.importing.kinds.base import (
    Context,
    TemplateKind,
    Validated,
    resolve_schools,
    rows_problem,
    school_name_column,
    take_clears,
    unclearable,
    urn_column,
    without_repeats,
)
from impact.importing.layout import ROW, Column, Layout, check_duplicates, parse_columns
from impact.importing.problems import Problem
from impact.importing.reading import Sheet
from impact.importing.writing import clear_column

FIELDS = ("partnership", "area", "lead_name", "lead_urn", "start_date", "end_date", "status",
          "measure", "findings", "action_plan", "presented_date")
CLEARABLE = ("partnership", "lead_name", "lead_urn", "end_date", "status", "measure",
             "findings", "action_plan", "presented_date")
NOT_CLEARABLE = ("urn", "school_name", "project", "area", "start_date")


def _measure(value: object) -> str:
    found = m.find_measure(cells.text(value))
    if found is None:
        raise cells.CellError("a measure from the drop-down list")
    return found.code


class ProjectsKind(TemplateKind):
    code = "projects"
    label = "Improvement projects"
    what = "host school and project"
    purpose = ("Improvement projects between partner schools: the host school's area of need, "
               "the colleague from another school who takes it on, when, how far it has got, "
               "and what they found.")
    tables = ("improvement_projects",)
    layout = Layout(
        columns=(
            urn_column(), school_name_column(),
            Column("project", "Project", cells.text,
                   synonyms=("project title", "title", "project name"),
                   example="Feedback in Year 5 maths",
                   help="A short title. The host school and this title name the project: "
                        "upload the same two again to update it.",
                   expected="a short title for the project"),
            Column("partnership", "Partnership", cells.text, required=False, allow_blank=True,
                   synonyms=("trust", "programme"), example="Example Trust",
                   help="The partnership the project belongs to, if any."),
            Column("area", "Area of need",
                   cells.from_finder(projects.find_area, "an area from the drop-down list"),
                   synonyms=("area", "need", "focus", "area of focus"),
                   choices=projects.AREAS, example="Quality of feedback",
                   help="What the host school wants looked at; pick from the list (Other for "
                        "anything else, and say what in the title).",
                   expected="an area from the drop-down list"),
            Column("lead_name", "Lead colleague", cells.text, required=False, allow_blank=True,
                   synonyms=("lead", "colleague", "project lead", "lead name"),
                   example="A. Teacher", help="The colleague from another school who takes "
                                              "the project on."),
            Column("lead_urn", "Lead's school URN", cells.urn, required=False,
                   allow_blank=True, synonyms=("lead school urn", "lead's school",
                                               "lead school", "colleague's school urn"),
                   example=100001, help="The URN of the colleague's own school (not the host).",
                   expected="a 6-digit URN"),
            Column("start_date", "Start date", cells.date,
                   synonyms=("started", "start", "date started"), example="01/10/2022",
                   help="When the project began, day first. The host's results are lined up "
                        "on this date.", expected="a date written day first"),
            Column("end_date", "End date", cells.date, required=False, allow_blank=True,
                   synonyms=("ended", "end", "finish date"), example="31/03/2023",
                   help="When it ended, if it has."),
            Column("status", "Status",
                   cells.from_finder(projects.find_status, "a status from the drop-down list"),
                   required=False, allow_blank=True, synonyms=("stage", "progress"),
                   choices=projects.STATUSES, example="Under way"),
            Column("measure", "Measure to watch", _measure, required=False, allow_blank=True,
                   synonyms=("measure", "outcome", "outcome measure"),
                   choices=tuple(x.label for x in m.MEASURES),
                   example="Teacher assessment: % on track in maths",
                   help="The result the host hopes the project will move, if there is one."),
            Column("findings", "Findings", cells.text, required=False, allow_blank=True,
                   synonyms=("what was found", "summary of findings"),
                   example="Feedback is frequent but rarely acted on.",
                   help="What the colleague found."),
            Column("action_plan", "Action plan", cells.text, required=False, allow_blank=True,
                   synonyms=("actions", "next steps"),
                   example="Weekly feedback lessons in Year 5 from January.",
                   help="What the host school will do."),
            Column("presented_date", "Presented on", cells.date, required=False,
                   allow_blank=True, synonyms=("presented", "date presented"),
                   example="24/03/2023",
                   help="When the findings were presented to the host's senior team."),
        ),
        one_of=(("urn", "school_name"),),
    )
    notes = (
        "One row per project. The host school (URN or exact name) and the Project title name "
        "it: upload the same host and title again to update its status or findings.",
        "The lead colleague comes from another school in the partnership, not the host.",
        "A blank cell leaves what is already stored as it is; write the word "
        f"{cells.CLEAR_WORD} in a cell to empty it (the area and start date cannot be "
        "emptied).",
        "Dates are day first: 14/09/2021.",
    )

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:
        table, problems, warnings = self.locate(sheets)
        if problems:
            return Validated(self.code, {}, problems, warnings)
        table, skipped = self.drop_example(table)
        warnings += skipped
        clears = take_clears(table, (*CLEARABLE, *NOT_CLEARABLE))
        refused = unclearable(table, clears, NOT_CLEARABLE,
                              "cannot be cleared: write the right value, or leave the cell "
                              "blank to keep it")
        problems += refused
        frame, cell_problems = parse_columns(table, self.layout)
        problems += without_repeats(cell_problems, refused)
        frame["urn"], school_problems, school_warnings = resolve_schools(frame, table, context)
        problems += school_problems
        warnings += school_warnings
        for field_name, mask in clears.items():
            if field_name in CLEARABLE:
                frame[clear_column(field_name)] = mask.astype(bool)
        known = set(context.schools["urn"].astype(int)) if not context.schools.empty else set()
        problems += self._rules(frame, table, known)
        usable = frame[frame["urn"].notna() & frame["project"].notna()].copy()
        usable["urn"] = usable["urn"].astype("int64")
        present = [f for f in FIELDS if f in usable]
        flags = [clear_column(f) for f in CLEARABLE if clear_column(f) in usable]
        rows, repeats, repeat_warnings = check_duplicates(
            usable[["urn", "project", *present, *flags, ROW]], ["urn", "project"], present,
            table.headers, table.sheet, "host school and project", written=table.data)
        problems += repeats
        warnings += repeat_warnings
        if "lead_urn" in rows:
            rows["lead_urn"] = rows["lead_urn"].astype("Int64")
        summary = {"projects": len(rows), "host_schools": int(rows["urn"].nunique())}
        return Validated(self.code, {"improvement_projects": rows}, problems, warnings,
                         summary, headers=table.headers)

    def _rules(self, frame: pd.DataFrame, table, known: set[int]) -> list[Problem]:
        problems: list[Problem] = []
        if "lead_urn" in frame:
            for i in frame.index[frame["lead_urn"].notna()]:
                lead = int(frame.at[i, "lead_urn"])
                host = frame.at[i, "urn"]
                if lead not in known:
                    problems.append(rows_problem(
                        table, frame.at[i, ROW], "lead_urn", table.data.at[i, "lead_urn"],
                        "no school with this URN has been set up; check the number, or add "
                        "the school with the schools template first"))
                elif host is not None and not pd.isna(host) and lead == int(host):
                    problems.append(rows_problem(
                        table, frame.at[i, ROW], "lead_urn", table.data.at[i, "lead_urn"],
                        "the lead colleague comes from another school: give their own "
                        "school's URN, not the host's"))
        for later, earlier, what in (("end_date", "start_date", "end"),
                                     ("presented_date", "start_date", "be presented")):
            if later not in frame or earlier not in frame:
                continue
            both = frame[later].notna() & frame[earlier].notna()
            for i in frame.index[both]:
                if frame.at[i, later] < frame.at[i, earlier]:
                    problems.append(rows_problem(
                        table, frame.at[i, ROW], later, table.data.at[i, later],
                        f"a project cannot {what} before it starts: this date must be on or "
                        f"after the start date ({cells.text(frame.at[i, earlier])})"))
        return problems


KIND = ProjectsKind()
