"""The termly attainment return: one row per school, year, term, measure and pupil group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from impact.domain import measures as m
from impact.domain import missing_values
from impact.domain.academic_years import TERMS, parse_academic_year, parse_term
from impact.domain.pupil_groups import PUPIL_GROUPS, find_group
from impact.domain.small_numbers import hidden_rule
from impact.importing import cells
from impact.importing.cells import CellError, Percent
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
# A school's year group or whole-school cohort; national and local figures are far larger
# (about 650,000 pupils sit KS2 tests in England each year), see `benchmarks`.
MAX_SCHOOL_COHORT = 5000


@dataclass(frozen=True)
class Missing:
    """A cell that says why there is no figure (`c`, `x`, `SUPP`, …)."""

    code: str


def parse_value(value: Any) -> Percent | Missing:
    code = missing_values.find_code(value)
    if code is not None:
        return Missing(code)
    try:
        return cells.percent_raw(value)
    except CellError:
        raise CellError("a number, a percentage, or c (suppressed) / x (not available)") from None


def _measure_code(text: str) -> str | None:
    found = m.find_measure(text)
    return found.code if found else None


def _known(code: object) -> bool:
    return isinstance(code, str) and code in m.BY_CODE


def academic_year_column() -> Column:
    return Column("academic_year", "Academic year",
                  cells.from_finder(parse_academic_year, "an academic year such as 2023/24"),
                  synonyms=("year", "academic year", "acad year", "school year", "time period",
                            "time_period"),
                  help="The academic year, written 2023/24 (2023-24 and 2023/2024 also work).",
                  example="2023/24", expected="an academic year such as 2023/24")


def term_column(allow_blank: bool = False, example: str = "Summer") -> Column:
    # Where a blank term is allowed (statutory results are Summer), the column may be left out.
    return Column("term", "Term", cells.from_finder(parse_term, "Autumn, Spring or Summer"),
                  required=not allow_blank, allow_blank=allow_blank,
                  synonyms=("term name", "school term"),
                  help="Autumn, Spring or Summer. Statutory results (KS2, phonics, GLD, KS4) "
                       "belong to Summer; leave it blank for them if you like.",
                  example=example, choices=TERMS, expected="Autumn, Spring or Summer")


def measure_column() -> Column:
    return Column("measure", "Measure",
                  cells.from_finder(_measure_code, "one of the measures in the drop-down list"),
                  synonyms=("indicator", "measure name", "metric"),
                  help="What the figure measures: pick from the drop-down list.",
                  example=m.measure("ks2_rwm_exp").label,
                  choices=tuple(x.label for x in m.MEASURES),
                  expected="one of the measures in the drop-down list")


def group_column() -> Column:
    return Column("pupil_group", "Pupil group",
                  cells.from_finder(find_group, "a pupil group from the drop-down list"),
                  required=False, allow_blank=True,
                  synonyms=("group", "pupil characteristic", "characteristic", "breakdown",
                            "subgroup"),
                  help="Which pupils the figure is about; blank means all pupils.",
                  example="All pupils", choices=tuple(PUPIL_GROUPS.values()),
                  expected="a pupil group from the drop-down list")


def cohort_size_column() -> Column:
    return Column("cohort_size", "Cohort size", cells.whole_number, allow_blank=True,
                  synonyms=("number of pupils", "pupils", "cohort", "n", "denominator",
                            "number in cohort", "eligible pupils", "telig"),
                  help="How many pupils the figure is about (the denominator).",
                  example=28, expected="the number of pupils, a whole number")


def value_column() -> Column:
    return Column("value", "Value", parse_value, allow_blank=True,
                  synonyms=("result", "figure", "score", "percentage", "%", "value (%)"),
                  help="The figure. Percentages may be written 45%, 45 or 0.45 (0.45 is read "
                       "as 45% only when every percentage written without % in the file is "
                       "between 0 and 1; write 1% as 1%). Write c if it is hidden because the "
                       f"group is {hidden_rule()}, x if not available. Never write 0 for a "
                       "hidden figure.",
                  example="64%", expected="a number, or c / x")


def fill_pupil_group(frame: pd.DataFrame, table: Any) -> None:
    """A blank pupil group (or no such column) means all pupils; one that could not be read
    stays empty, so the row is not mistaken for an all-pupils row."""
    if "pupil_group" not in frame:
        frame["pupil_group"] = "all"
        return
    blank = cells.blank_mask(table.data["pupil_group"])
    frame.loc[blank, "pupil_group"] = "all"


class AttainmentKind(TemplateKind):
    code = "attainment"
    label = "Attainment"
    what = "school, year, term, measure and pupil group"
    purpose = ("Each term, the school's results: statutory results once a year (Summer) and "
               "teacher assessments each term, with how many pupils each figure is about.")
    tables = ("attainment",)
    layout = Layout(
        columns=(urn_column(), school_name_column(), academic_year_column(),
                 term_column(allow_blank=True), measure_column(), group_column(),
                 cohort_size_column(), value_column()),
        one_of=(("urn", "school_name"),),
    )
    notes = (
        "One row per school, academic year, term, measure and pupil group.",
        "Percentages: 45%, 45 and 0.45 all mean 45 per cent. A number between 0 and 1 is read "
        "as a fraction only when every percentage written without a % sign in the file is "
        "between 0 and 1; a figure with a % sign is always a percentage.",
        f"A hidden figure ({hidden_rule()}) is c, not 0. A figure you do not have is x.",
    )

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:
        table, frame, problems, warnings = self.begin(sheets, context)
        if table is None:
            return Validated(self.code, {}, problems, warnings)
        fill_pupil_group(frame, table)
        problems += self._check_terms(frame, table)
        value_problems, value_warnings = self._read_values(frame, table)
        problems += value_problems
        warnings += value_warnings
        frame["source"] = SOURCE
        key = ["urn", "academic_year", "term", "measure", "pupil_group"]
        good = frame.dropna(subset=[k for k in key if k in frame])
        frame, dup_problems, dup_warnings = check_duplicates(
            good, key, ["cohort_size", "value", "value_note"], table.headers, table.sheet,
            self.what, written=table.data)
        problems += dup_problems
        warnings += dup_warnings
        out = frame[[*key, "cohort_size", "value", "value_note", "source", ROW]]
        summary = {"schools": int(out["urn"].nunique()), "rows": len(out),
                   "years": sorted(out["academic_year"].unique().tolist()),
                   "measures": sorted(out["measure"].unique().tolist())}
        return Validated(self.code, {"attainment": out}, problems, warnings, summary,
                         headers=table.headers)

    def _check_terms(self, frame: pd.DataFrame, table: Any) -> list[Problem]:
        problems = []
        if "term" not in frame:
            frame["term"] = None
        known = frame["measure"].notna()
        statutory = cells.map_distinct(
            frame["measure"], lambda c: _known(c) and m.measure(c).statutory).astype(bool)
        raw_blank = (cells.blank_mask(table.data["term"]) if "term" in table.data
                     else pd.Series(True, index=frame.index))
        blank = frame["term"].isna()
        frame.loc[raw_blank & statutory, "term"] = "Summer"  # not a term that could not be read
        message = ("this cell is empty; teacher assessments need their term: Autumn, Spring "
                   "or Summer" if "term" in table.data else
                   "teacher assessments need their term: add a Term column saying Autumn, "
                   "Spring or Summer")
        for i in frame.index[blank & known & ~statutory & raw_blank]:
            problems.append(rows_problem(table, frame.at[i, ROW], "term", "", message))
        for i in frame.index[~blank & statutory & (frame["term"] != "Summer")]:
            problems.append(rows_problem(
                table, frame.at[i, ROW], "term", table.data.at[i, "term"],
                f"{m.measure(frame.at[i, 'measure']).short} is a statutory result, reported "
                "once a year: write Summer"))
        return problems

    def _read_values(self, frame: pd.DataFrame, table: Any, max_cohort: int = MAX_SCHOOL_COHORT
                     ) -> tuple[list[Problem], list[str]]:
        problems: list[Problem] = []
        warnings: list[str] = []
        index = frame.index
        raw = (table.data["value"] if "value" in table.data
               else pd.Series(None, index=index, dtype=object))
        value = frame["value"] if "value" in frame else pd.Series(None, index=index, dtype=object)
        code = frame["measure"]
        parsed = value.to_numpy()
        is_missing = pd.Series([isinstance(v, Missing) for v in parsed], index=index, dtype=bool)
        is_number = pd.Series([isinstance(v, Percent) for v in parsed], index=index, dtype=bool)
        had_sign = pd.Series([isinstance(v, Percent) and v.had_sign for v in parsed],
                             index=index, dtype=bool)
        known = code.notna()
        is_percent = cells.map_distinct(
            code, lambda c: _known(c) and m.measure(c).is_percent).astype(bool)
        percents = value[is_number & is_percent]
        scale = cells.percent_scale(percents)
        header = f"percentage in column {table.header('value')!r}"
        if scale == 100.0:
            warnings.append(cells.fraction_warning(header, "0.45 means 45%"))
        tiny = cells.below_one_percent(percents, scale)
        if tiny.any():
            warnings.append(cells.below_one_warning(
                "percentages", frame.loc[tiny[tiny].index, ROW].astype(int).tolist()))
        numbers = pd.Series([float(v) if isinstance(v, Percent) else np.nan for v in parsed],
                            index=index, dtype="float64")
        numbers[is_percent & ~had_sign] *= scale
        numbers = numbers.round(6)
        lows = cells.map_distinct(code, lambda c: m.measure(c).minimum if _known(c) else np.nan)
        highs = cells.map_distinct(code, lambda c: m.measure(c).maximum if _known(c) else np.nan)
        empty = ~is_missing & ~is_number & cells.blank_mask(raw)
        for i in index[empty]:
            problems.append(rows_problem(
                table, frame.at[i, ROW], "value", "",
                "this cell is empty; write the figure, or c if it is hidden because the group "
                f"is {hidden_rule()}, or x if it is not available"))
        signed_wrong = is_number & known & ~is_percent & had_sign
        for i in index[signed_wrong]:
            problems.append(rows_problem(
                table, frame.at[i, ROW], "value", raw[i],
                f"{m.measure(code[i]).short} is not a percentage; write the number without %"))
        in_range = (numbers >= lows.astype("float64")) & (numbers <= highs.astype("float64"))
        for i in index[is_number & known & ~signed_wrong & ~in_range]:
            measure = m.measure(code[i])
            problems.append(rows_problem(
                table, frame.at[i, ROW], "value", raw[i],
                f"out of range: {measure.short} must be between {measure.minimum:g} and "
                f"{measure.maximum:g}"))
        if "cohort_size" in frame:  # a required column: locate() stops the file without it
            size = frame["cohort_size"]
            size_blank = size.isna() & cells.blank_mask(table.data["cohort_size"])
            for i in index[is_number & size_blank]:
                problems.append(rows_problem(
                    table, frame.at[i, ROW], "cohort_size", "",
                    "this cell is empty; write how many pupils the figure is about"))
            counts = pd.to_numeric(size, errors="coerce").astype("float64")
            bad_size = counts.notna() & ((counts < 0) | (counts > max_cohort))
            for i in index[bad_size]:
                problems.append(rows_problem(
                    table, frame.at[i, ROW], "cohort_size", table.data.at[i, "cohort_size"],
                    f"out of range: a cohort is between 0 and {max_cohort:,} pupils"))
            frame["cohort_size"] = pd.array(counts.to_numpy(), dtype="Int64")
        frame["value"] = numbers
        frame["value_note"] = pd.Series(
            [v.code if isinstance(v, Missing) else None for v in value], index=index,
            dtype=object)
        return problems, warnings


KIND = AttainmentKind()
