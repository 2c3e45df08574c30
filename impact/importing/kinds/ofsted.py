"""Ofsted inspections, one row per inspection, each area graded on its own framework's scale.

The framework follows from the inspection date (a Framework column, if given, must agree).
Grades are checked against that framework's scale and stored as written on it: a 2023 `Good`
and a 2026 `Strong standard` are never put on one scale.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from impact.domain import ofsted
from impact.importing import cells
from impact.importing.kinds.base import (
    Context,
    TemplateKind,
    Validated,
    rows_problem,
    school_name_column,
    urn_column,
)
from impact.importing.layout import ROW, Column, Layout, check_duplicates
from impact.importing.problems import Problem
from impact.importing.reading import Sheet

SOURCE = "School return"

_AREA_SYNONYMS: dict[str, tuple[str, ...]] = {
    "overall_effectiveness": ("overall", "overall grade", "oe"),
    "leadership_and_management": ("effectiveness of leadership and management",),
    "early_years": ("early years provision", "early years provision (where applicable)",
                    "eyfs"),
    "sixth_form": ("sixth form provision", "sixth form provision (where applicable)"),
    "post_16": ("post 16", "post-16 provision", "sixth form (report card)"),
    "safeguarding": ("safeguarding is effective?", "safeguarding standards",
                     "safeguarding effective"),
}
_ALL_GRADES = tuple(dict.fromkeys(
    ofsted.FOUR_POINT + ofsted.FIVE_POINT + ofsted.MET + ofsted.EFFECTIVE))


def _area_column(code: str) -> Column:
    area = ofsted.AREAS[code]
    return Column(code, area.label, cells.text, required=False, allow_blank=True,
                  synonyms=_AREA_SYNONYMS.get(code, ()), choices=_ALL_GRADES,
                  example="Good" if code in ofsted.GRADED.scales and code != "safeguarding"
                  else ("Yes" if code == "safeguarding" else None),
                  help=_area_help(code))


def _area_help(code: str) -> str:
    used = [f.label.split(" (")[0] for f in ofsted.FRAMEWORKS.values() if code in f.scales]
    return "Graded in: " + "; ".join(used) + ". Leave blank where not graded."


def _framework(value: object) -> ofsted.Framework:
    found = ofsted.find_framework(cells.text(value))
    if found is None:
        raise cells.CellError("graded, key judgements or report card (or leave it blank)")
    return found


class OfstedKind(TemplateKind):
    code = "ofsted"
    label = "Ofsted inspections"
    what = "school and inspection date"
    purpose = ("Each inspection's date and grades, on the scale Ofsted used at the time: "
               "1 to 4 before September 2024, key judgements only until 9 November 2025, "
               "report cards after.")
    tables = ("ofsted_inspections",)
    layout = Layout(
        columns=(
            urn_column(), school_name_column(),
            Column("inspection_date", "Inspection date", cells.date,
                   synonyms=("date", "inspection start date", "date of inspection",
                             "inspection end date"),
                   help="The first day of the inspection, day first (dd/mm/yyyy).",
                   example="14/03/2023", expected="a date written day first, such as 14/03/2023"),
            Column("framework", "Framework", _framework, required=False, allow_blank=True,
                   synonyms=("inspection framework",),
                   choices=tuple(f.code.replace("_", " ") for f in ofsted.FRAMEWORKS.values()),
                   help="Optional: worked out from the date. graded (to 1 September 2024), key "
                        "judgements (to 9 November 2025), report card (after)."),
            Column("inspection_type", "Inspection type", cells.text, required=False,
                   allow_blank=True, synonyms=("type of inspection", "event type"),
                   example="Graded inspection", help="Optional, e.g. Graded, Ungraded."),
            *(_area_column(code) for code in ofsted.AREAS),
        ),
        one_of=(("urn", "school_name"),),
    )
    notes = (
        "One row per inspection. Grades before 2 September 2024: Outstanding, Good, Requires "
        "improvement, Inadequate (or 1 to 4). From 2 September 2024 there is no overall grade. "
        "From 10 November 2025 report cards grade each area Exceptional, Strong standard, "
        "Expected standard, Needs attention or Urgent improvement; safeguarding Met or Not met.",
        "Leave a cell blank (or write 9 / Not judged) where an area was not graded.",
    )

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:
        table, frame, problems, warnings = self.begin(sheets, context)
        if table is None:
            return Validated(self.code, {}, problems, warnings)
        problems += self._grades(frame, table)
        frame["source"] = SOURCE
        key = ["urn", "inspection_date"]
        areas = [a for a in ofsted.AREAS if a in frame]
        good = frame.dropna(subset=key)
        good, p, w = check_duplicates(good, key, ["framework", "inspection_type", *areas],
                                      table.headers, table.sheet, self.what,
                                      written=table.data)
        problems += p
        warnings += w
        columns = [*key, "framework", *(["inspection_type"] if "inspection_type" in good else []),
                   *areas, "source", ROW]
        out = good[columns]
        summary = {"schools": int(out["urn"].nunique()), "inspections": len(out),
                   "frameworks": sorted(out["framework"].dropna().unique().tolist())}
        return Validated(self.code, {"ofsted_inspections": out}, problems, warnings, summary,
                         headers=table.headers)

    def _grades(self, frame: pd.DataFrame, table) -> list[Problem]:
        problems: list[Problem] = []
        today = dt.date.today()
        frameworks: list[str | None] = []
        for i, row in frame.iterrows():
            day = row.get("inspection_date")
            if day is None or pd.isna(day):
                frameworks.append(None)
                continue
            if day > today:
                problems.append(rows_problem(table, row[ROW], "inspection_date",
                                             table.data.at[i, "inspection_date"],
                                             "this date is in the future; give the date the "
                                             "inspection started"))
            framework = ofsted.framework_for(day)
            stated = row.get("framework")
            if stated is not None and not pd.isna(stated) and stated.code != framework.code:
                problems.append(rows_problem(
                    table, row[ROW], "framework", table.data.at[i, "framework"],
                    f"an inspection on {day:%d/%m/%Y} was under {framework.label}; correct the "
                    "date or the framework (or leave Framework blank)"))
            frameworks.append(framework.code)
            for area in ofsted.AREAS:
                if area not in frame:
                    continue
                value = row[area]
                if cells.is_blank(value):
                    frame.at[i, area] = None
                    continue
                scale = framework.scales.get(area)
                if scale is None:
                    try:  # "9" or "Not judged" in an area the framework lacks is fine
                        graded = ofsted.parse_grade(value, ofsted.FOUR_POINT) is not None
                    except ValueError:
                        graded = True
                    if graded:
                        problems.append(rows_problem(
                            table, row[ROW], area, table.data.at[i, area],
                            f"{ofsted.AREAS[area].label} is not graded under {framework.label}; "
                            "leave it blank"))
                    frame.at[i, area] = None
                    continue
                try:
                    frame.at[i, area] = ofsted.parse_grade(value, scale)
                except ValueError:
                    problems.append(rows_problem(
                        table, row[ROW], area, table.data.at[i, area],
                        f"under {framework.label} this is graded {', '.join(scale)}"))
                    frame.at[i, area] = None
        frame["framework"] = pd.Series(frameworks, index=frame.index, dtype=object)
        return problems


KIND = OfstedKind()
