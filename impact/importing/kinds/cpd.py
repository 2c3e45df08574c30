"""CPD and collaboration activity each term: what was done, by whom, and what came of it.

One row per school, year, term, activity and staff role: several sessions of the same activity
in a term are added up. Outcomes (self-assessment before and after, lessons judged good or
better, confidence) are optional, as schools measure different things.
"""

from __future__ import annotations

import pandas as pd

from impact.domain import cpd
from impact.domain.academic_years import year_bounds
from impact.importing import cells
from impact.importing.kinds.attainment import academic_year_column, term_column
from impact.importing.kinds.base import (
    Context,
    TemplateKind,
    Validated,
    rows_problem,
    school_name_column,
    urn_column,
)
from impact.importing.layout import ROW, Column, Layout, check_duplicates
from impact.importing.reading import Sheet


def _scale(value: object) -> float:
    result = cells.number(value)
    low, high = cpd.SELF_ASSESSMENT_RANGE
    if not low <= result <= high:
        raise cells.CellError("a rating from 1 to 5")
    return result


def _staff(value: object) -> int:
    result = cells.whole_number(value)
    if not 0 <= result <= 1000:
        raise cells.CellError("a number of staff between 0 and 1,000")
    return result


def _hours(value: object) -> float:
    result = cells.number(value)
    if not 0 <= result <= 500:
        raise cells.CellError("a number of hours between 0 and 500")
    return result


def _activity_date_help() -> str:
    return "Optional: the day it happened (or began), day first. Must be in the academic year."


class CpdKind(TemplateKind):
    code = "cpd"
    label = "CPD and collaboration"
    what = "school, year, term, activity and staff role"
    purpose = ("Each term, the joint CPD and collaboration the school took part in: peer "
               "reviews, review days, joint moderation, INSET, coaching; who took part, for how "
               "long, and what changed.")
    tables = ("cpd_activities",)
    layout = Layout(
        columns=(
            urn_column(), school_name_column(), academic_year_column(),
            term_column(example="Autumn"),
            Column("activity", "Activity",
                   cells.from_finder(cpd.find_activity, "an activity from the drop-down list"),
                   synonyms=("activity type", "type of activity", "cpd activity"),
                   choices=cpd.ACTIVITIES, example="Review day",
                   help="What was done: pick from the drop-down list.",
                   expected="an activity from the drop-down list"),
            Column("staff_role", "Staff role",
                   cells.from_finder(cpd.find_role, "a staff role from the drop-down list"),
                   synonyms=("role", "staff", "who", "participants"), choices=cpd.STAFF_ROLES,
                   example="Teachers", help="Who took part.",
                   expected="a staff role from the drop-down list"),
            Column("staff_count", "Staff taking part", _staff,
                   synonyms=("staff count", "number of staff", "staff numbers", "headcount"),
                   example=6, help="How many staff took part.",
                   expected="a number of staff"),
            Column("hours_each", "Hours each", _hours, required=False, allow_blank=True,
                   synonyms=("hours", "hours per person", "duration (hours)", "duration"),
                   example=3, help="Hours each person spent, added up over the term."),
            Column("activity_date", "Activity date", cells.date, required=False,
                   allow_blank=True, synonyms=("date",), example="12/10/2023",
                   help=_activity_date_help()),
            Column("self_assessment_before", "Self-assessment before", _scale, required=False,
                   allow_blank=True,
                   synonyms=("self assessment before", "before", "confidence before",
                             "rating before"),
                   example=2.5, help="Staff's average self-assessment before, from 1 to 5."),
            Column("self_assessment_after", "Self-assessment after", _scale, required=False,
                   allow_blank=True,
                   synonyms=("self assessment after", "after", "confidence after",
                             "rating after"),
                   example=3.8, help="Staff's average self-assessment after, from 1 to 5."),
            Column("lessons_good_or_better", "Lessons good or better (%)", cells.percent_raw,
                   required=False, allow_blank=True,
                   synonyms=("lessons good or better", "% lessons good or better",
                             "good or better lessons"),
                   example="80%", help="Share of lessons seen judged good or better."),
            Column("staff_confidence", "Staff confidence", _scale, required=False,
                   allow_blank=True, synonyms=("confidence",), example=4,
                   help="Staff's average confidence afterwards, from 1 to 5."),
            Column("description", "Description", cells.text, required=False, allow_blank=True,
                   synonyms=("notes", "details", "comment", "comments"),
                   example="Review day with partner schools on reading",
                   help="Optional: a few words on what was done."),
        ),
        one_of=(("urn", "school_name"),),
    )
    notes = (
        "One row per school, term, activity and staff role; add up several sessions of the "
        "same activity in a term.",
        "Ratings run from 1 (low) to 5 (high). Percentages may be written 80%, 80 or 0.8.",
    )

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:
        table, frame, problems, warnings = self.begin(sheets, context)
        if table is None:
            return Validated(self.code, {}, problems, warnings)
        if "lessons_good_or_better" in frame:
            values = frame["lessons_good_or_better"]
            scale = cells.percent_scale(values.dropna())
            header = f"figure in column {table.header('lessons_good_or_better')!r}"
            if scale == 100.0:
                warnings.append(cells.fraction_warning(header, "0.8 means 80%"))
            tiny = cells.below_one_percent(values, scale)
            if tiny.any():
                warnings.append(cells.below_one_warning(
                    "figures", frame.loc[tiny, ROW].astype(int).tolist()))
            numbers = values.map(lambda v: None if v is None else
                                 float(v) * (1.0 if v.had_sign else scale))
            for i in frame.index[numbers.notna()]:
                if not 0 <= numbers[i] <= 100:
                    problems.append(rows_problem(table, frame.at[i, ROW],
                                                 "lessons_good_or_better",
                                                 table.data.at[i, "lessons_good_or_better"],
                                                 "out of range: a percentage from 0 to 100"))
            frame["lessons_good_or_better"] = numbers.astype("float64").round(6)
        if "activity_date" in frame:
            for i in frame.index[frame["activity_date"].notna() & frame["academic_year"].notna()]:
                first, last = year_bounds(frame.at[i, "academic_year"])
                day = frame.at[i, "activity_date"]
                if not first <= day <= last:
                    problems.append(rows_problem(
                        table, frame.at[i, ROW], "activity_date", table.data.at[i, "activity_date"],
                        f"this date is outside the academic year {frame.at[i, 'academic_year']} "
                        f"({first:%d/%m/%Y} to {last:%d/%m/%Y}); correct the date or the year"))
        key = ["urn", "academic_year", "term", "activity", "staff_role"]
        values_cols = ["staff_count", "hours_each", "activity_date", "self_assessment_before",
                       "self_assessment_after", "lessons_good_or_better", "staff_confidence",
                       "description"]
        present = [v for v in values_cols if v in frame]
        good = frame.dropna(subset=key)
        good, p, w = check_duplicates(good, key, present, table.headers, table.sheet, self.what,
                                      written=table.data)
        problems += p
        warnings += w
        out = good[[*key, *present, ROW]].copy()
        if "staff_count" in out:
            out["staff_count"] = pd.array(
                [None if v is None or pd.isna(v) else int(v) for v in out["staff_count"]],
                dtype="Int64")
        summary = {"schools": int(out["urn"].nunique()), "rows": len(out),
                   "years": sorted(out["academic_year"].unique().tolist())}
        return Validated(self.code, {"cpd_activities": out}, problems, warnings, summary,
                         headers=table.headers)


KIND = CpdKind()
