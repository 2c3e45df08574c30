"""DfE performance tables (key stage 2 and key stage 4) exactly as the DfE publishes them.

School rows become attainment figures (table `attainment`, term Summer, source
"DfE performance tables"), each with its cohort size; the local authority and England rows
become the comparison lines (table `benchmarks`). Schools in the file that the store does not
know yet are added to `schools` (URN, name, phase, type, local authority) so they can serve as
comparison schools; a school already in the store keeps the details the trust gave it.

Checked against real files: the final KS2 and KS4 tables for Surrey (LA 936) for 2016-17,
2017-18 and 2018-19 in `shared/realdata`, and the DfE's column dictionaries for 2018-19
(`meta/ks2_meta_2018-2019.csv`, `meta/ks4_final_meta_2018-2019.csv`). What they do:

- columns change every year (290 to 326 KS2 columns, 416 to 507 KS4): every column is found by
  its header name, and a measure whose column a year lacks is simply not imported for it;
- `RECTYPE` says what a row is, differently for each key stage (KS2: 1 and 2 schools, 3 local
  authority, 4 England all schools, 5 England state-funded; KS4: 1 and 2 schools, 4 local
  authority, 5 England all schools, 7 England state-funded);
- figures are text: `78%`, `5.30%`, `1.7`, `106`; codes stand where a number would be (`SUPP`,
  `NE`, `NA`, `NP`, `NEW`, `LOWCOV`, `SP`, `RE`, a lone space) and are stored as "no value,
  for this reason" (value NULL, value_note the code), never as 0;
- schools with no pupils at the end of the key stage have ragged rows of 24 to 27 fields: the
  reader pads them, and they bring no figures.

Decisions:
- The national comparison line is the **state-funded** England row (KS2 RECTYPE 5, KS4
  RECTYPE 7), stored as area `E92000001` "England (state-funded)": the schools a partnership
  compares itself with are state-funded, and it is the row with a Progress 8 figure (the
  all-schools row leaves it blank). The all-schools row is skipped, and the summary says so.
- Each pupil group's figure carries that group's own denominator where the DfE gives one:
  KS2 `TELIG`, `TFSM6CLA1A` (disadvantaged), `TNotFSM6CLA1A`, `BELIG`, `GELIG`, `TEALGRP2`;
  KS4 `TPUP`, `TFSM6CLA1A`, `TNOTFSM6CLA1A`, `BPUP`, `GPUP`, `TEALGRP2`, and for Progress 8
  the pupils actually in the measure (`P8PUP`, `P8PUP_FSM6CLA1A`, …).
- Progress scores keep their published 95% confidence limits in `lower` and `upper`
  (KS2 `READPROG_LOWER`/`_UPPER`, KS4 `P8CILOW`/`P8CIUPP`, and per pupil group).
- Earlier years' figures repeated in a table (`PTRWM_EXP_17` in the 2018-19 table) are not
  imported from it: each year comes from its own table. They tell the year, though (see
  `impact.importing.public.years`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from impact.domain import areas
from impact.domain import measures as m
from impact.domain.small_numbers import hidden_rule
from impact.importing.kinds.base import Context, Option, Validated
from impact.importing.layout import ROW
from impact.importing.problems import Problem, UnusableFile, shown
from impact.importing.public import school_rows, scope
from impact.importing.public.figures import EXPECTED, read_figures
from impact.importing.public.local_authorities import la_name
from impact.importing.public.published import (
    Published,
    find_header,
    first_header_rows,
)
from impact.importing.public.summary import Skips, plural
from impact.importing.public.years import choose_year, year_from_suffixes
from impact.importing.reading import Sheet

SOURCE = "DfE performance tables"
ENGLAND_CODE = areas.ENGLAND_CODE
ENGLAND_NAME = "England (state-funded)"
PROBLEMS_PER_COLUMN = 50

YEAR_OPTION = Option(
    "academic_year", "Academic year",
    help="Which academic year the table is about, such as 2018/19. Usually worked out from "
         "the file's name or columns; give it if the importer asks.",
    kind="text")


@dataclass(frozen=True)
class Series:
    """One published column read as one measure for one pupil group."""

    measure: str
    group: str
    value: str
    size: str | None
    lower: str | None = None
    upper: str | None = None


@dataclass(frozen=True)
class KeyStage:
    code: str
    label: str
    stage: str  # "KS2" / "KS4"
    required: tuple[str, ...]
    school_types: tuple[str, ...]
    la_type: str
    national_type: str
    national_all_type: str
    series: tuple[Series, ...]
    year_pattern: re.Pattern[str]
    phase: str  # for new schools whose age range says nothing better


def _ks2_series() -> tuple[Series, ...]:
    groups = (("all", "", "TELIG"), ("disadvantaged", "_FSM6CLA1A", "TFSM6CLA1A"),
              ("not_disadvantaged", "_NotFSM6CLA1A", "TNotFSM6CLA1A"),
              ("boys", "_B", "BELIG"), ("girls", "_G", "GELIG"), ("eal", "_EAL", "TEALGRP2"))
    plain = (("ks2_rwm_exp", "PTRWM_EXP"), ("ks2_rwm_high", "PTRWM_HIGH"),
             ("ks2_read_score", "READ_AVERAGE"), ("ks2_mat_score", "MAT_AVERAGE"))
    progress = (("ks2_read_progress", "READPROG"), ("ks2_writ_progress", "WRITPROG"),
                ("ks2_mat_progress", "MATPROG"))
    out = [Series(code, group, column + suffix, size)
           for code, column in plain for group, suffix, size in groups]
    out += [Series(code, group, column + suffix, size, f"{column}{suffix}_LOWER",
                   f"{column}{suffix}_UPPER")
            for code, column in progress for group, suffix, size in groups]
    return tuple(out)


def _ks4_series() -> tuple[Series, ...]:
    # (group, suffix on ATT8SCR / P8MEA, pupils at the end of KS4, pupils in Progress 8)
    groups = (("all", "", "TPUP", "P8PUP"),
              ("disadvantaged", "_FSM6CLA1A", "TFSM6CLA1A", "P8PUP_FSM6CLA1A"),
              ("not_disadvantaged", "_NFSM6CLA1A", "TNOTFSM6CLA1A", "P8PUP_NFSM6CLA1A"),
              ("eal", "_EAL", "TEALGRP2", "P8PUP_EAL"),
              ("boys", "_BOYS", "BPUP", "P8PUP_BOYS"),
              ("girls", "_GIRLS", "GPUP", "P8PUP_GIRLS"))
    basics = {"all": "PTL2BASICS_{}", "disadvantaged": "PTFSM6CLA1ABASICS_{}",
              "not_disadvantaged": "PTNOTFSM6CLA1ABASICS_{}", "eal": "PTL2BASICSEAL_{}",
              "boys": "PBL2BASICS_{}", "girls": "PGL2BASICS_{}"}
    out = [Series("ks4_att8", group, "ATT8SCR" + suffix, pupils)
           for group, suffix, pupils, _ in groups]
    out += [Series("ks4_p8", group, "P8MEA" + suffix, p8, "P8CILOW" + suffix,
                   "P8CIUPP" + suffix) for group, suffix, _, p8 in groups]
    for grade in ("94", "95"):
        out += [Series(f"ks4_basics_{grade}", group, basics[group].format(grade), pupils)
                for group, _, pupils, _ in groups]
    return tuple(out)


KS2 = KeyStage(
    "dfe_ks2", "DfE performance tables: key stage 2", "KS2", ("RECTYPE", "URN", "TELIG"),
    ("1", "2"), "3", "5", "4", _ks2_series(),
    re.compile(r"^(?:ptrwm_exp|ptrwm_high|readprog|writprog|matprog|read_average|"
               r"mat_average|telig)_([12]\d)$"),
    "Primary")
KS4 = KeyStage(
    "dfe_ks4", "DfE performance tables: key stage 4", "KS4", ("RECTYPE", "URN", "TPUP"),
    ("1", "2"), "4", "7", "5", _ks4_series(),
    re.compile(r"^(?:att8scr|p8mea|p8pup|ptl2basics(?:_9[45])?)_([12]\d)(?:_|$)"),
    "Secondary")

# NFTYPE codes (meta/abbreviations_2019_performance_tables) in GIAS's words for school types.
SCHOOL_TYPES = {
    "AC": "Academy sponsor led", "ACC": "Academy converter", "CY": "Community school",
    "VA": "Voluntary aided school", "VC": "Voluntary controlled school",
    "FD": "Foundation school", "F": "Free schools", "FS": "Free schools special",
    "CYS": "Community special school", "FDS": "Foundation special school",
    "ACS": "Academy special sponsor led", "ACCS": "Academy special converter",
    "NMSS": "Non-maintained special school", "IND": "Other independent school",
    "INDSPEC": "Other independent special school", "INDSPS": "Other independent special school",
    "CTC": "City technology college", "FUTC": "University technical college",
    "FSS": "Studio schools", "PRU": "Pupil referral unit", "AP": "Alternative provision",
    "FAP": "Free schools alternative provision", "F1619": "Free schools 16 to 19",
    "ACCAP": "Academy alternative provision converter",
    "ACAP": "Academy alternative provision sponsor led",
    "ACC1619": "Academy 16-19 converter", "AC1619": "Academy 16 to 19 sponsor led",
    "CHS": "Community hospital school", "FHS": "Foundation hospital school",
}


class PerformanceTables:
    """A DfE performance table for one key stage (see the module docstring)."""

    options = (YEAR_OPTION, *scope.OPTIONS)

    def __init__(self, stage: KeyStage) -> None:
        self.stage = stage
        self.code = stage.code
        self.label = stage.label

    def option_choices(self, option: str, sheets: list[Sheet]) -> list[str]:
        if option != scope.SCOPE_LAS:
            return []
        found = find_header(sheets, self.stage.required)
        if found is None:
            return []
        return scope.distinct_names(self._school_las(Published.from_sheet(*found)).values())

    def _school_las(self, table: Published) -> dict[int, str]:
        """Each school row's local authority, named as the file's LA rows name it (worked out
        once per table: the options and the validation both ask)."""
        cache = ("school_las", self.code)
        if cache not in table.derived:
            table.derived[cache] = self._find_school_las(table)
        return table.derived[cache]  # type: ignore[return-value]

    def _find_school_las(self, table: Published) -> dict[int, str]:
        rectype, lea, name = table.text("RECTYPE"), table.text("LEA"), table.text("SCHNAME")
        la = rectype == self.stage.la_type
        la_names = {code: _la_label(code, written)
                    for code, written in zip(lea[la].tolist(), name[la].tolist(), strict=True)}
        school = np.isin(rectype, self.stage.school_types)
        urns, _, _ = school_rows.read_urns(table.column("URN"))
        rows = np.flatnonzero(school & ~pd.isna(urns))
        labels = {code: la_names.get(code) or la_name(code) for code in set(lea[rows].tolist())}
        return {urn: labels[code] for urn, code in zip(urns[rows].tolist(), lea[rows].tolist(),
                                                       strict=True) if labels[code]}

    def detect(self, sheets: list[Sheet], file_name: str) -> float:
        values = {s.value.casefold() for s in self.stage.series}
        required = {r.casefold() for r in self.stage.required}
        for keys in first_header_rows(sheets):
            if required <= keys and keys & values:
                return 0.99
        return 0.0

    # --- validation ----------------------------------------------------------------------

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:
        stage = self.stage
        found = find_header(sheets, stage.required)
        if found is None:
            raise UnusableFile(
                f"This is not a {stage.label} file: its header row needs the columns "
                f"{', '.join(stage.required)}. Upload the CSV file as downloaded from the "
                "DfE's school performance tables.")
        sheet, header_row = found
        table = Published.from_sheet(sheet, header_row)
        series = [s for s in stage.series if table.has(s.value)]
        if not series:
            raise UnusableFile(
                f"This {stage.label} file has none of the measures this product tracks "
                f"(such as {stage.series[0].value}). Check it is the final table as the DfE "
                "publishes it.")
        problems: list[Problem] = []
        warnings: list[str] = []
        skips = Skips()

        headers = [k for k in table.positions]
        year_choice = choose_year(context.options.get("academic_year"), sheet.name,
                                  year_from_suffixes(headers, stage.year_pattern))
        if year_choice.year is None:
            return Validated(self.code, {}, [Problem(None, None, None, year_choice.problem or
                                                     "say which academic year this is")],
                             warnings)
        year = year_choice.year
        if year_choice.warning:
            warnings.append(year_choice.warning)

        rectype = table.text("RECTYPE")
        school = np.isin(rectype, stage.school_types)
        la = rectype == stage.la_type
        national = rectype == stage.national_type
        national_all = rectype == stage.national_all_type
        name = table.text("SCHNAME")
        urn_text = table.text("URN")
        blank = (rectype == "") & (urn_text == "") & (name == "")
        unknown = ~(school | la | national | national_all | blank)
        skips.add(f"England row for all schools, independent ones included (RECTYPE "
                  f"{stage.national_all_type}): the state-funded England row (RECTYPE "
                  f"{stage.national_type}) is the national comparison", int(national_all.sum()))
        if unknown.any():
            kinds = sorted(set(rectype[unknown].tolist()))
            skips.add(f"rows whose record type (RECTYPE {', '.join(repr(k) for k in kinds)}) "
                      "is not a school, local authority or England row", int(unknown.sum()))

        urns, urn_blank, urn_bad = school_rows.read_urns(table.column("URN"))
        for i in np.flatnonzero(school & (urn_blank | urn_bad))[:PROBLEMS_PER_COLUMN]:
            problems.append(Problem(int(table.rows[i]), table.header("URN"),
                                    shown(table.column("URN")[i]),
                                    "expected the school's 6-digit URN on a school row",
                                    table.sheet))
        problems += _repeats(table, school & ~urn_blank & ~urn_bad,
                             urns.to_numpy(dtype=np.int64, na_value=0), "URN", "school")
        lea = table.text("LEA")
        problems += _repeats(table, la, lea, "LEA", "local authority")
        if national.sum() > 1:
            rows = ", ".join(str(int(r)) for r in table.rows[national])
            problems.append(Problem(None, table.header("RECTYPE"), stage.national_type,
                                    f"rows {rows} are all England rows; expected one",
                                    table.sheet))
        for i in np.flatnonzero(la & (lea == ""))[:PROBLEMS_PER_COLUMN]:
            problems.append(Problem(int(table.rows[i]), table.header("LEA"), "",
                                    "expected the local authority's number on a local "
                                    "authority row", table.sheet))

        kept = np.flatnonzero((school & ~urn_blank & ~urn_bad) | (la & (lea != "")) | national)
        long, cell_problems, notes = _read_series(table, series, kept)
        problems += cell_problems
        warnings += notes
        skips.missing_codes(long["value_note"].to_numpy())
        long["academic_year"] = constant(year, len(long))
        long["term"] = constant("Summer", len(long))
        long["source"] = constant(SOURCE, len(long))

        row_index = long.pop("_index").to_numpy()
        is_school = school[row_index]
        attainment = long[is_school]  # a new frame already (a boolean selection)
        attainment.insert(0, "urn", urns[row_index[is_school]])
        attainment = attainment[["urn", "academic_year", "term", "measure", "pupil_group",
                                 "cohort_size", "value", "value_note", "source", "lower",
                                 "upper", ROW]].reset_index(drop=True)
        attainment["urn"] = attainment["urn"].astype("int64")

        benchmarks = self._benchmarks(table, long[~is_school], row_index[~is_school], la,
                                      lea, name)

        with_figures = np.zeros(len(table), dtype=bool)
        with_figures[row_index[is_school]] = True
        skips.add(f"school rows with no {stage.stage} results in this table (no pupils at the "
                  "end of the key stage, or a new school)",
                  int((school & ~urn_blank & ~urn_bad & ~with_figures).sum()))
        schools = self._new_schools(table, np.flatnonzero(with_figures), urns, lea, la, name,
                                    context)

        measures = sorted(set(attainment["measure"].unique().tolist())
                          | set(benchmarks["measure"].unique().tolist()))
        summary = {
            "schools": int(attainment["urn"].nunique()),
            "years": [year],
            "year_from": year_choice.how,
            "measures": measures,
            "attainment_rows": len(attainment),
            "benchmark_rows": len(benchmarks),
            "benchmark_areas": sorted(set(benchmarks["area_name"].unique().tolist())),
            "new_schools": len(schools),
            "skipped": skips.as_list(),
        }
        missing = int(long["value_note"].notna().sum())
        if missing:
            warnings.append(f"{plural(missing, 'figure')} in this file have no value (a code "
                            f"such as SUPP for {hidden_rule()}): each is stored as missing, "
                            "with its reason, never as 0.")
        frames = {"schools": schools, "attainment": attainment, "benchmarks": benchmarks}
        school_las = self._school_las(table)
        return scope.keep(Validated(self.code, frames, problems, warnings, summary,
                                    headers={"urn": table.header("URN")}),
                          context, school_las, school_las.values())

    def _benchmarks(self, table: Published, long: pd.DataFrame, row_index: np.ndarray,
                    la: np.ndarray, lea: np.ndarray, name: np.ndarray) -> pd.DataFrame:
        out = long.copy()
        is_la = la[row_index]
        codes = np.where(is_la, lea[row_index], ENGLAND_CODE)
        names = np.array([_la_label(code, written) if local else ENGLAND_NAME
                          for code, written, local in zip(codes.tolist(),
                                                          name[row_index].tolist(),
                                                          is_la.tolist(), strict=True)],
                         dtype=object)
        out.insert(0, "area_type", np.where(is_la, "local_authority", "national"))
        out.insert(1, "area_code", codes)
        out.insert(2, "area_name", names)
        return out[["area_type", "area_code", "area_name", "academic_year", "term", "measure",
                    "pupil_group", "cohort_size", "value", "value_note", "source", "lower",
                    "upper", ROW]].reset_index(drop=True)

    def _new_schools(self, table: Published, rows: np.ndarray, urns: pd.arrays.IntegerArray,
                     lea: np.ndarray, la: np.ndarray, name: np.ndarray,
                     context: Context) -> pd.DataFrame:
        la_names = {code: _la_label(code, written)
                    for code, written in zip(lea[la].tolist(), name[la].tolist(), strict=True)}
        codes = lea[rows]
        frame = pd.DataFrame({
            "urn": urns[rows],
            "name": name[rows],
            "phase": self._phases(table.text("RECTYPE")[rows], table.text("AGERANGE")[rows]),
            "school_type": [SCHOOL_TYPES.get(t, t or None)
                            for t in table.text("NFTYPE")[rows].tolist()],
            "local_authority": [la_names.get(c) or la_name(c) for c in codes.tolist()],
            ROW: table.rows[rows],
        })
        return school_rows.new_schools(frame, context)

    def _phases(self, rectypes: np.ndarray, age_ranges: np.ndarray) -> list[str]:
        """`_phase` of each row, each distinct (record type, age range) worked out once."""
        known: dict[tuple[str, str], str] = {}
        out = []
        for pair in zip(rectypes.tolist(), age_ranges.tolist(), strict=True):
            phase = known.get(pair)
            if phase is None:
                phase = known[pair] = self._phase(*pair)
            out.append(phase)
        return out

    def _phase(self, rectype: str, age_range: str) -> str:
        if rectype == "2":
            return "Special"
        match = re.match(r"^(\d+)\s*-\s*(\d+)$", age_range)
        if not match:
            return self.stage.phase
        low, high = int(match.group(1)), int(match.group(2))
        if low <= 7 and high >= 15:
            return "All-through"
        if high <= 12:
            return "Primary"
        if low >= 10:
            return "Secondary"
        if low >= 8 and high <= 14:
            return "Middle"
        return self.stage.phase


def _la_label(code: str, written: str) -> str:
    return written or la_name(code) or f"Local authority {code}"


def _repeats(table: Published, mask: np.ndarray, keys: np.ndarray, column: str,
             what: str) -> list[Problem]:
    """A problem for each row that repeats an earlier row's key (a URN, an LA number)."""
    index = np.flatnonzero(mask)
    if len(index) < 2:
        return []
    frame = pd.DataFrame({"key": keys[index], "row": table.rows[index]})
    repeated = frame[frame.duplicated("key", keep=False)]
    problems = []
    for key_value, group in repeated.groupby("key", sort=False):
        first = int(group["row"].iloc[0])
        for row in group["row"].iloc[1:]:
            problems.append(Problem(int(row), table.header(column), str(key_value),
                                    f"row {int(row)} repeats the {what} of row {first}; a "
                                    f"{what} appears once in a performance table",
                                    table.sheet))
    return problems


def _read_series(table: Published, series: list[Series], rows: np.ndarray
                 ) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """Every (row, series) cell as one long frame: one row per figure or code stated.

    Each distinct column (a measure, a denominator shared by several measures, a confidence
    limit) is read once. Cells are laid out series-major (all rows of the first series, then
    the next), so a figure's series is `position // len(rows)` and its row
    `position % len(rows)`.
    """
    n = len(rows)
    columns: list[str | None] = [None]  # position 0: a column the file lacks (empty cells)
    for s in series:
        for name in (s.value, s.size, s.lower, s.upper):
            if name and table.has(name) and name not in columns:
                columns.append(name)
    where = {name: i for i, name in enumerate(columns)}

    def slot(name: str | None) -> int:
        return where.get(name, 0) if name and table.has(name) else 0

    raw = table.matrix(columns, rows)
    read = read_figures(raw.T)  # columns x rows, flattened
    grid_value = read.value.reshape(len(columns), n)
    fractions = _fraction_columns(raw, grid_value, columns, series)
    for j in fractions:
        grid_value[j] = np.round(grid_value[j] * 100.0, 6)  # 0.29 * 100 is 28.999999999999996
    grid_note = read.note.reshape(len(columns), n)
    grid_present = read.present.reshape(len(columns), n)
    grid_bad = read.bad.reshape(len(columns), n)

    def take(grid: np.ndarray, attribute: str) -> np.ndarray:
        return grid[[slot(getattr(s, attribute)) for s in series]].ravel()

    value = take(grid_value, "value")
    note = take(grid_note, "value")
    stated = take(grid_present, "value")
    bad = take(grid_bad, "value")
    size = take(grid_value, "size")
    size_bad = take(grid_bad, "size")
    lower, lower_bad = take(grid_value, "lower"), take(grid_bad, "lower")
    upper, upper_bad = take(grid_value, "upper"), take(grid_bad, "upper")
    spec_of = np.repeat(np.arange(len(series)), n)
    row_of = np.tile(np.arange(n), len(series))

    problems: list[Problem] = []
    measures = [m.measure(s.measure) for s in series]
    lows = np.array([x.minimum for x in measures], dtype=np.float64)[spec_of]
    highs = np.array([x.maximum for x in measures], dtype=np.float64)[spec_of]
    with np.errstate(invalid="ignore"):
        out_of_range = np.isfinite(value) & ((value < lows) | (value > highs))
        whole = np.isfinite(size) & (np.floor(size) == size) & (size >= 0)
    size_bad = stated & (size_bad | (np.isfinite(size) & ~whole))

    def report(mask: np.ndarray, column_of: list[str | None], expected: object) -> None:
        positions = np.flatnonzero(mask)
        per_column: dict[int, int] = {}
        for position in positions:
            spec = int(spec_of[position])
            per_column[spec] = per_column.get(spec, 0) + 1
            if per_column[spec] > PROBLEMS_PER_COLUMN:
                continue
            row = int(rows[row_of[position]])
            column = column_of[spec] or ""
            message = expected(spec) if callable(expected) else expected
            problems.append(Problem(int(table.rows[row]), table.header(column),
                                    shown(table.column(column)[row]), f"expected {message}",
                                    table.sheet))
        for spec, count in per_column.items():
            if count > PROBLEMS_PER_COLUMN:
                problems.append(Problem(None, table.header(column_of[spec] or ""), None,
                                        f"{count - PROBLEMS_PER_COLUMN} more cells in this "
                                        "column cannot be read either", table.sheet))

    report(bad, [s.value for s in series], EXPECTED)
    report(out_of_range & ~bad, [s.value for s in series],
           lambda spec: f"a value between {measures[spec].minimum:g} and "
                        f"{measures[spec].maximum:g} for {measures[spec].short}")
    report(size_bad, [s.size for s in series],
           "the number of pupils (a whole number) or a code such as SUPP or NA")
    report(stated & lower_bad, [s.lower for s in series], EXPECTED)
    report(stated & upper_bad, [s.upper for s in series], EXPECTED)

    keep = np.flatnonzero(stated)
    cohort = pd.array(np.where(whole[keep], size[keep], 0).astype(np.int64), dtype="Int64")
    cohort[~whole[keep]] = pd.NA
    frame = pd.DataFrame({
        "_index": rows[row_of[keep]],
        "measure": _labels([s.measure for s in series], spec_of[keep]),
        "pupil_group": _labels([s.group for s in series], spec_of[keep]),
        "cohort_size": cohort,
        "value": value[keep],
        "value_note": pd.Series(note[keep], dtype=object),
        "lower": lower[keep],
        "upper": upper[keep],
        ROW: table.rows[rows[row_of[keep]]],
    })
    notes = []
    if fractions:
        names = ", ".join(table.header(columns[j] or "") for j in sorted(fractions))
        notes.append(f"Percentages in {names} were numbers between 0 and 1 (as Excel stores "
                     "78%), so each was read as a fraction: 0.78 means 78%.")
    return frame, problems, notes


_NUMERIC_TEXT = re.compile(r"^\s*[-+]?[\d.,]+\s*%?\s*$")


def _fraction_columns(raw: np.ndarray, values: np.ndarray, columns: list[str | None],
                      series: list[Series]) -> set[int]:
    """Percentage columns a spreadsheet stored as fractions (0.78 for 78%).

    The DfE's CSV writes `78%` as text; a table opened in Excel and saved as .xlsx holds the
    number 0.78. A column is read as fractions only when none of its cells is text and every
    number lies between 0 and 1 (and one strictly between), the rule the templates use.
    """
    percent = {c for c in (s.value for s in series if m.measure(s.measure).is_percent)}
    out = set()
    for j, name in enumerate(columns):
        numbers = values[j][np.isfinite(values[j])]
        if name not in percent or not len(numbers) or numbers.min() < 0 or numbers.max() > 1 \
                or not ((numbers > 0) & (numbers < 1)).any():
            continue
        if not any(isinstance(v, str) and _NUMERIC_TEXT.match(v) for v in raw[:, j]):
            out.add(j)
    return out


def _labels(per_series: list[str], spec: np.ndarray) -> pd.Categorical:
    """A column of labels chosen by series number, as a categorical (cheap to build and to
    hand to DuckDB, unlike 600,000 separate strings)."""
    categories = list(dict.fromkeys(per_series))
    codes = np.array([categories.index(label) for label in per_series], dtype=np.int32)
    return pd.Categorical.from_codes(codes[spec], categories=categories)


def constant(value: object, n: int) -> pd.Categorical:
    """The same label on every one of `n` rows, as a categorical."""
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int32), categories=[value])


KS2_FORMAT = PerformanceTables(KS2)
KS4_FORMAT = PerformanceTables(KS4)
