"""Ofsted "state-funded schools inspections and outcomes" files, as Ofsted publishes them.

Each row is a school with its latest graded inspection and, in older layouts, the previous
graded inspection; both become rows of `ofsted_inspections` (one per school and inspection
date), so importing next year's file adds the new inspections and keeps the old ones (the
upsert on URN and inspection date never deletes). Schools the store does not know yet are
added to `schools`; a school already in the store keeps the details the trust gave it.

Every grade is stored as a label on its own framework's scale (see `impact.domain.ofsted`);
the framework follows from the inspection date, never from the column it came from. Grade 9,
`Not judged` and `NULL` mean not graded; so do 8 and 0, which the real 2023 file uses only in
the early years column (47 schools), where no grade on the 1 to 4 scale was given; the
summary counts them.

Layouts, and how far each was checked:
- **2023 layout, verified against a real file** (`ofsted_mi_2023-08-31_…_resaved.csv`, West
  Midlands, 1,621 schools): `Inspection start date` with `Overall effectiveness`,
  `Quality of education`, …, `Safeguarding is effective?`, and the `Previous …` columns with
  `Previous inspection start date`. Both published forms are taken: the original (Windows-1252,
  CRLF, whole numbers) and the re-saved one (a leading unnamed index column, `2.0` grades,
  `103120.0` URNs); the original form in the tests is made from the re-saved file.
- **2024/25 layout (key judgements only), not verified against a real file**: the same
  columns, with `Overall effectiveness` `Not judged` for inspections from 2 September 2024.
- **2025/26 layout (report cards), not verified against a real file**: built from the column
  names Ofsted's "most recent inspections" sheet publishes (`Safeguarding standards`,
  `Inclusion`, `Inclusion - date of grade`, …, `Leadership and governance`, and the previous
  framework's grades under `Inspection start date of latest OEIF graded inspection`,
  `Latest OEIF overall effectiveness`, …). An area whose `- date of grade` differs from the
  inspection start date is stored with the inspection on that date.

Decisions:
- An inspection of a predecessor school (Ofsted's "Does the latest graded inspection relate to
  the URN of the current school?" = No, typically before an academy conversion) is stored under
  the current school's URN, as Ofsted's file lists it; the summary counts them.
- Ungraded inspections and their outcome sentences ("School remains Good") are not stored: they
  carry no grade on any scale. The summary counts them.
- The inspection type is not written: the previous-inspection columns do not give it, so a
  type written from this year's file would be blanked when the same inspection moves to the
  previous columns next year. Leaving it out leaves any stored type alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from impact.domain import ofsted
from impact.importing import cells
from impact.importing.kinds.base import Context, Option, Validated
from impact.importing.layout import ROW
from impact.importing.problems import Problem, UnusableFile
from impact.importing.public import school_rows, scope
from impact.importing.public.published import (
    Published,
    find_header,
    first_header_rows,
    key,
    read_dates,
)
from impact.importing.public.summary import Skips, plural
from impact.importing.reading import Sheet

SOURCE = "Ofsted management information"
ODD_NOT_GRADED = {"0", "8"}  # seen only in the early years columns of the real 2023 file
NOT_GRADED = {"", "9", *ODD_NOT_GRADED, "not judged", "not graded", "null", "n/a", "na", "-",
              "not applicable"}
PROBLEM_LIMIT = 200

# Where each area's grade sits in each block of columns; the first header a file has is used.
_LATEST: dict[str, tuple[str, ...]] = {
    "overall_effectiveness": ("Overall effectiveness",),
    "quality_of_education": ("Quality of education",),
    "behaviour_and_attitudes": ("Behaviour and attitudes",),
    "personal_development": ("Personal development",),
    "leadership_and_management": ("Effectiveness of leadership and management",),
    "early_years": ("Early years provision (where applicable)",
                    "Early years (where applicable)", "Early years"),
    "sixth_form": ("Sixth form provision (where applicable)",),
    "safeguarding": ("Safeguarding is effective?", "Safeguarding standards"),
    "inclusion": ("Inclusion",),
    "curriculum_and_teaching": ("Curriculum and teaching",),
    "achievement": ("Achievement",),
    "attendance_and_behaviour": ("Attendance and behaviour",),
    "personal_development_and_wellbeing": ("Personal development and wellbeing",
                                           "Personal development and well-being"),
    "leadership_and_governance": ("Leadership and governance",),
    "post_16": ("Post-16 provision (where applicable)", "Post-16 provision"),
}
_GRADE_DATES: dict[str, tuple[str, ...]] = {
    "safeguarding": ("Safeguarding standards - date of grade",),
    "inclusion": ("Inclusion - date of grade",),
    "curriculum_and_teaching": ("Curriculum and teaching - date of grade",),
    "achievement": ("Achievement - date of grade",),
    "attendance_and_behaviour": ("Attendance and behaviour - date of grade",),
    "personal_development_and_wellbeing": ("Personal development and wellbeing - date of grade",),
    "early_years": ("Early years - date of grade",),
    "post_16": ("Post-16 provision - date of grade",),
    "leadership_and_governance": ("Leadership and governance - date of grade",),
}
_OEIF: dict[str, tuple[str, ...]] = {
    "overall_effectiveness": ("Latest OEIF overall effectiveness",),
    "quality_of_education": ("Latest OEIF quality of education",),
    "behaviour_and_attitudes": ("Latest OEIF behaviour and attitudes",),
    "personal_development": ("Latest OEIF personal development",),
    "leadership_and_management": ("Latest OEIF effectiveness of leadership and management",),
    "safeguarding": ("Latest OEIF safeguarding is effective?",),
    "early_years": ("Latest OEIF early years provision (where applicable)",),
    "sixth_form": ("Latest OEIF sixth form provision (where applicable)",),
}
_PREVIOUS: dict[str, tuple[str, ...]] = {
    "overall_effectiveness": ("Previous graded inspection overall effectiveness",
                              "Previous overall effectiveness"),
    "quality_of_education": ("Previous quality of education",),
    "behaviour_and_attitudes": ("Previous behaviour and attitudes",),
    "personal_development": ("Previous personal development",),
    "leadership_and_management": ("Previous effectiveness of leadership and management",),
    "safeguarding": ("Previous safeguarding is effective?",),
    "early_years": ("Previous early years provision (where applicable)",),
    "sixth_form": ("Previous sixth form provision (where applicable)",),
}


@dataclass(frozen=True)
class Block:
    name: str
    date: tuple[str, ...]
    areas: dict[str, tuple[str, ...]]
    grade_dates: dict[str, tuple[str, ...]]


BLOCKS = (
    Block("latest", ("Inspection start date",), _LATEST, _GRADE_DATES),
    Block("latest OEIF", ("Inspection start date of latest OEIF graded inspection",), _OEIF,
          {}),
    Block("previous", ("Previous inspection start date",), _PREVIOUS, {}),
)
_GRADE_HEADERS = {key(h) for b in BLOCKS for names in b.areas.values() for h in names}


class OfstedManagementInformation:
    code = "ofsted_mi"
    label = "Ofsted inspections and outcomes (as published)"
    options: tuple[Option, ...] = scope.OPTIONS

    def option_choices(self, option: str, sheets: list[Sheet]) -> list[str]:
        if option != scope.SCOPE_LAS:
            return []
        found = find_header(sheets, ("URN", "Inspection start date"))
        if found is None:
            return []
        return scope.distinct_names(_school_las(Published.from_sheet(*found)).values())

    def detect(self, sheets: list[Sheet], file_name: str) -> float:
        for keys in first_header_rows(sheets):
            if ("urn" in keys and "inspection start date" in keys
                    and keys & {"ofsted phase", "laestab", "web link",
                                "web link (opens in new window)"}
                    and keys & _GRADE_HEADERS):
                return 0.98
        return 0.0

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:
        found = find_header(sheets, ("URN", "Inspection start date"))
        if found is None:
            raise UnusableFile(
                "This is not an Ofsted inspections and outcomes file: its header row needs the "
                "columns URN and Inspection start date. Upload the file as Ofsted publishes "
                "it (CSV or .xlsx).")
        table = Published.from_sheet(*found)
        problems: list[Problem] = []
        skips = Skips()

        urns, urn_blank, urn_bad = school_rows.read_urns(table.column("URN"))
        names = table.text(table.first("School name") or "School name")
        empty_row = urn_blank & (names == "")
        for i in np.flatnonzero(~empty_row & (urn_blank | urn_bad))[:PROBLEM_LIMIT]:
            problems.append(Problem(int(table.rows[i]), table.header("URN"),
                                    cells.text(table.column("URN")[i]),
                                    "expected the school's 6-digit URN", table.sheet))
        usable = ~urn_blank & ~urn_bad

        long, date_problems = _grades_long(table, usable)
        problems += date_problems
        inspections, grade_problems = _inspections(table, long, urns)
        problems += grade_problems

        odd = long["raw"].isin(ODD_NOT_GRADED) & long["area"].notna()
        skips.add("grades written 0 or 8, which are not on Ofsted's 1 to 4 scale (read as not "
                  "graded)", int(odd.sum()))
        inspected = np.zeros(len(table), dtype=bool)
        inspected[long["_index"].to_numpy(dtype=np.int64)] = True
        skips.add("schools in the file never inspected (no inspection start date)",
                  int((usable & ~inspected).sum()))
        ungraded = table.first("Date of latest ungraded inspection")
        if ungraded:
            skips.add("ungraded inspections (their outcome, such as 'School remains Good', "
                      "is not a grade on any scale, so it is not stored)",
                      int((usable & (table.text(ungraded) != "")).sum()))

        predecessor = 0
        relates = table.first(
            "Does the latest graded inspection relate to the URN of the current school?",
            "Does the latest full inspection relate to the URN of the current school?")
        if relates:
            predecessor = int((usable & (np.char.lower(table.text(relates).astype(str))
                                         == "no")).sum())
        schools = self._new_schools(table, np.flatnonzero(usable & inspected), urns, context)

        warnings = []
        if predecessor:
            warnings.append(
                f"{plural(predecessor, 'school')}' latest graded inspection was of a "
                "predecessor school (before an academy conversion, for instance); as in "
                "Ofsted's file, it is stored under the current school's URN.")
        frameworks = inspections["framework"].value_counts().to_dict()
        summary = {
            "schools": int(inspections["urn"].nunique()),
            "inspections": len(inspections),
            "frameworks": {str(k): int(v) for k, v in sorted(frameworks.items())},
            "years": sorted({_year(d) for d in set(inspections["inspection_date"].tolist())}),
            "new_schools": len(schools),
            "predecessor_inspections": predecessor,
            "skipped": skips.as_list(),
        }
        school_las = _school_las(table)
        return scope.keep(
            Validated(self.code, {"schools": schools, "ofsted_inspections": inspections},
                      problems, warnings, summary, headers={"urn": table.header("URN")}),
            context, school_las, school_las.values())

    def _new_schools(self, table: Published, rows: np.ndarray, urns: pd.arrays.IntegerArray,
                     context: Context) -> pd.DataFrame:
        kinds = table.text(table.first("Type of education") or "Type of education")[rows]
        frame = pd.DataFrame({
            "urn": urns[rows],
            "name": table.text(table.first("School name") or "School name")[rows],
            "phase": school_rows.phases(table.text("Ofsted phase")[rows], kinds),
            "school_type": np.where(kinds == "", None, kinds),
            "local_authority": _or_none(table.text("Local authority")[rows]),
            "pupils": school_rows.read_counts(table.column("Total number of pupils")[rows]),
            ROW: table.rows[rows],
        })
        return school_rows.new_schools(frame, context)


def _school_las(table: Published) -> dict[int, str]:
    """Each school's local authority as the file names it."""
    urns, _, _ = school_rows.read_urns(table.column("URN"))
    las = table.text("Local authority")
    return {int(u): la for u, la in zip(urns.tolist(), las.tolist(), strict=True)
            if u is not pd.NA and u is not None and la}


def _or_none(values: np.ndarray) -> np.ndarray:
    return np.where(values == "", None, values).astype(object)


def _year(day: dt.date) -> str:
    from impact.domain.academic_years import academic_year_of

    return academic_year_of(day)


def _grades_long(table: Published, usable: np.ndarray) -> tuple[pd.DataFrame, list[Problem]]:
    """One row per (school row, inspection date, area) with the grade as written."""
    problems: list[Problem] = []
    parts = []
    for block in BLOCKS:
        date_column = table.first(*block.date)
        if date_column is None:
            continue
        dates, bad = read_dates(table.column(date_column))
        for i in np.flatnonzero(bad & usable)[:PROBLEM_LIMIT]:
            problems.append(Problem(int(table.rows[i]), table.header(date_column),
                                    cells.text(table.column(date_column)[i]),
                                    "expected a date written day first, such as 14/03/2023",
                                    table.sheet))
        dated = usable & np.array([d is not None for d in dates], dtype=bool)
        index = np.flatnonzero(dated)
        # An inspection with no grade at all is still an inspection: keep its date.
        parts.append(_part(index, dates[index], None, np.full(len(index), "", dtype=object),
                           date_column))
        for area, headers in block.areas.items():
            column = table.first(*headers)
            if column is None:
                continue
            raw = table.text(column)
            given = usable & (raw != "")
            for i in np.flatnonzero(given & ~dated)[:PROBLEM_LIMIT]:
                if raw[i].casefold() in NOT_GRADED:
                    continue
                problems.append(Problem(int(table.rows[i]), table.header(column), raw[i],
                                        f"this grade has no inspection date: fill in "
                                        f"{table.header(date_column)!r}", table.sheet))
            own_dates = dates.copy()
            date_of_grade = table.first(*block.grade_dates.get(area, ()))
            if date_of_grade:
                graded_on, bad_on = read_dates(table.column(date_of_grade))
                for i in np.flatnonzero(bad_on & given)[:PROBLEM_LIMIT]:
                    problems.append(Problem(int(table.rows[i]), table.header(date_of_grade),
                                            cells.text(table.column(date_of_grade)[i]),
                                            "expected a date written day first",
                                            table.sheet))
                has_own = np.array([d is not None for d in graded_on], dtype=bool)
                own_dates = np.where(has_own, graded_on, dates)
            keep = np.flatnonzero(given & np.array([d is not None for d in own_dates]))
            parts.append(_part(keep, own_dates[keep], area, raw[keep], column))
    if not parts:
        raise UnusableFile(
            "This Ofsted file has no inspection dates this importer knows (such as "
            "'Inspection start date'). Upload the file as Ofsted publishes it.")
    long = pd.concat(parts, ignore_index=True)
    return long, problems


def _part(index: np.ndarray, dates: np.ndarray, area: str | None, raw: np.ndarray,
          column: str) -> pd.DataFrame:
    """Rows of the long table; text kept as plain objects (pandas' string arrays are slow to
    filter and iterate at this size)."""
    n = len(index)
    return pd.DataFrame({
        "_index": index, "date": pd.Series(dates, dtype=object),
        "area": pd.Series([area] * n, dtype=object),
        "raw": pd.Series(raw, dtype=object),
        "column": pd.Series([column] * n, dtype=object)})


def _inspections(table: Published, long: pd.DataFrame, urns: pd.arrays.IntegerArray
                 ) -> tuple[pd.DataFrame, list[Problem]]:
    """The inspections, one row per school and date, grades on their framework's scale."""
    problems: list[Problem] = []
    long = long.copy()
    index = long["_index"].to_numpy(dtype=np.int64)
    long["urn"] = urns[index].to_numpy(dtype=np.int64, na_value=0)
    frameworks = {d: ofsted.framework_for(d).code for d in set(long["date"].tolist())}
    long["framework"] = long["date"].map(frameworks)
    # Each distinct (framework, area, grade as written) is read once; columns are taken as
    # Python lists first, since iterating pandas' string arrays row by row is slow.
    triples = list(zip(long["framework"].tolist(), long["area"].tolist(),
                       long["raw"].tolist(), strict=True))
    readings = {t: _grade(*t) for t in set(triples) if t[1] is not None}
    long["label"] = pd.Series([readings[t][0] if t[1] is not None else None for t in triples],
                              index=long.index, dtype=object)
    failed = [i for i, t in enumerate(triples) if t[1] is not None and readings[t][1]]
    for position in failed[:PROBLEM_LIMIT]:
        row = long.iloc[position]
        problems.append(Problem(int(table.rows[int(row["_index"])]),
                                table.header(row["column"]), row["raw"],
                                readings[triples[position]][1], table.sheet))

    stated = long[long["label"].notna()]
    conflicts = stated.groupby(["urn", "date", "area"])["label"].nunique()
    for (urn, day, area), _count in conflicts[conflicts > 1].items():
        rows = stated[(stated["urn"] == urn) & (stated["date"] == day)
                      & (stated["area"] == area)]
        first, other = rows.iloc[0], rows.iloc[-1]
        problems.append(Problem(
            int(table.rows[int(other["_index"])]), table.header(other["column"]), other["raw"],
            f"school {urn}'s inspection of {day:%d/%m/%Y} is given two different "
            f"{ofsted.AREAS[area].label} grades: {first['label']!r} in column "
            f"{table.header(first['column'])!r} and {other['label']!r} here", table.sheet))

    keys = long.groupby(["urn", "date"], sort=True).agg(
        framework=("framework", "first"), first_index=("_index", "min")).reset_index()
    wide = stated.drop_duplicates(["urn", "date", "area"]).pivot(
        index=["urn", "date"], columns="area", values="label")
    out = keys.merge(wide.reset_index(), on=["urn", "date"], how="left")
    for area in ofsted.AREAS:
        if area not in out:
            out[area] = None
        out[area] = out[area].astype(object).where(out[area].notna(), None)
    out["source"] = SOURCE
    out[ROW] = table.rows[out["first_index"].to_numpy(dtype=np.int64)]
    out = out.rename(columns={"date": "inspection_date"})
    columns = ["urn", "inspection_date", "framework", *ofsted.AREAS, "source", ROW]
    return out[columns].reset_index(drop=True), problems


def _grade(framework_code: str, area: str, raw: str) -> tuple[str | None, str | None]:
    """(label on the framework's scale or None if not graded, a problem sentence or None)."""
    framework = ofsted.FRAMEWORKS[framework_code]
    if raw.casefold() in NOT_GRADED:
        return None, None
    scale = framework.scales.get(area)
    if scale is None:
        return None, (f"{ofsted.AREAS[area].label} is not graded under "
                      f"{framework.label}; expected it blank or Not judged for an inspection "
                      "on this date")
    try:
        return ofsted.parse_grade(raw, scale), None
    except ValueError:
        return None, f"under {framework.label} this is graded {', '.join(scale)}"


FORMAT = OfstedManagementInformation()
