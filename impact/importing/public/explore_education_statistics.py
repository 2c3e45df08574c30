"""Tidy data files from Explore Education Statistics (EES), the DfE's statistics service.

EES files are "tidy": one row per time period, geography and combination of filters, one
column per indicator. `time_period` is `201819` for 2018/19 with `time_identifier`
"Academic year"; `geographic_level` says what a row is about: `National` rows
(`country_code` E92000001) and `Local authority` rows (`old_la_code`, the 3-digit number the
performance tables use, and `la_name`) become comparison lines (table `benchmarks`); `School`
rows (`school_urn`, `school_name`) become attainment figures, and their schools are added to
`schools` when the store does not know them. Other levels (regions, constituencies, trusts)
are skipped and counted.

Filters: every column with a `Total` level (`breakdown`, `sex`, `disadvantage`, `school_type`,
…; a `*_topic` column only names its breakdown). A row whose filters are all `Total` is all pupils;
a row with one non-Total filter is that pupil group when the product tracks it (disadvantaged,
not disadvantaged, boys, girls, EAL, SEND); crossed groups (disadvantaged boys) and groups the
product does not track are skipped and counted. When a file holds several `version`s of a
period (provisional, revised, final), the latest is used.

Symbols, as the Government Statistical Service sets them: `c` suppressed, `x` not available,
`z` not applicable, `low` rounds to zero, `u` low reliability; each is stored as "no value,
for this reason" (value NULL, value_note the symbol), never as 0.

How far this was checked: **there is no real EES file in `shared/realdata`.** The column and
indicator names below follow EES's open-data conventions as public code reading the KS2 and
KS4 files uses them (`pt_rwm_met_expected_standard`, `t_rwm_eligible_pupils`,
`avg_read_progress_score` with `_lower_CI`/`_upper_CI`, `avg_att8`, `avg_p8score` with
`p8score_CI_low`/`p8score_CI_upp`, `pt_l2basics_94`, `t_pupils`, and the 2024/25 school files'
`attainment8_average`, `progress8_average`, `engmath_94_percent`). The KS2 scaled-score names
(`avg_read_scaled_score`, `avg_mat_scaled_score`) are a best guess, not seen in any file. The
tests build small files in this shape.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from impact.domain import measures as m
from impact.domain.academic_years import parse_academic_year
from impact.domain.pupil_groups import find_group
from impact.importing.kinds.base import Context, Option, Validated
from impact.importing.layout import ROW
from impact.importing.problems import Problem, UnusableFile, shown
from impact.importing.public import school_rows, scope
from impact.importing.public.figures import EXPECTED, read_figures
from impact.importing.public.local_authorities import la_name
from impact.importing.public.performance_tables import ENGLAND_CODE, ENGLAND_NAME, constant
from impact.importing.public.published import (
    Published,
    find_header,
    first_header_rows,
    key,
)
from impact.importing.public.summary import Skips, plural
from impact.importing.reading import Sheet

SOURCE = "Explore Education Statistics"
PROBLEM_LIMIT = 200


@dataclass(frozen=True)
class Indicator:
    measure: str
    names: tuple[str, ...]  # the indicator's column, as EES has spelt it
    size: tuple[str, ...] = ()  # its denominator
    lower: tuple[str, ...] = ()
    upper: tuple[str, ...] = ()


INDICATORS = (
    Indicator("ks2_rwm_exp", ("pt_rwm_met_expected_standard",), ("t_rwm_eligible_pupils",)),
    Indicator("ks2_rwm_high", ("pt_rwm_met_higher_standard",), ("t_rwm_eligible_pupils",)),
    Indicator("ks2_read_score", ("avg_read_scaled_score", "read_average_scaled_score"),
              ("t_read_eligible_pupils",)),
    Indicator("ks2_mat_score", ("avg_mat_scaled_score", "mat_average_scaled_score"),
              ("t_mat_eligible_pupils",)),
    Indicator("ks2_read_progress", ("avg_read_progress_score",),
              ("t_read_progress_eligible_pupils",), ("avg_read_progress_score_lower_ci",),
              ("avg_read_progress_score_upper_ci",)),
    Indicator("ks2_writ_progress", ("avg_writta_progress_score",),
              ("t_writta_progress_eligible_pupils",), ("avg_writta_progress_score_lower_ci",),
              ("avg_writta_progress_score_upper_ci",)),
    Indicator("ks2_mat_progress", ("avg_mat_progress_score",),
              ("t_mat_progress_eligible_pupils",), ("avg_mat_progress_score_lower_ci",),
              ("avg_mat_progress_score_upper_ci",)),
    Indicator("ks4_att8", ("avg_att8", "attainment8_average"), ("t_pupils", "pupil_count")),
    Indicator("ks4_p8", ("avg_p8score", "progress8_average"),
              ("t_p8_pupils", "progress8_pupil_count", "t_pupils", "pupil_count"),
              ("p8score_ci_low", "progress8_lower_95_ci"),
              ("p8score_ci_upp", "progress8_upper_95_ci")),
    Indicator("ks4_basics_94", ("pt_l2basics_94", "engmath_94_percent"),
              ("t_pupils", "pupil_count")),
    Indicator("ks4_basics_95", ("pt_l2basics_95", "engmath_95_percent"),
              ("t_pupils", "pupil_count")),
)
_INDICATOR_NAMES = {key(n) for i in INDICATORS for n in i.names}
_GEOGRAPHY = {key(c) for c in (
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name",
    "region_code", "region_name", "old_la_code", "new_la_code", "la_name", "lad_code",
    "lad_name", "pcon_code", "pcon_name", "school_urn", "school_laestab", "school_name",
    "version", "trust_id", "trust_name", "opportunity_area_code",
    "opportunity_area_name", "local_enterprise_partnership_code",
    "local_enterprise_partnership_name")}
_GROUP_WORDS = {
    "disadvantaged all other": "not_disadvantaged",
    "not known to be disadvantaged": "not_disadvantaged",
    "all other pupils": "not_disadvantaged", "non-disadvantaged": "not_disadvantaged",
    "known or believed to be other than english": "eal", "other than english": "eal",
    "first language other than english": "eal",
    "any sen": "send", "sen": "send", "all sen": "send",
}
_VERSIONS = ("final", "revised", "provisional")


def _group(label: str) -> str | None:
    return find_group(label) or _GROUP_WORDS.get(" ".join(label.split()).casefold())


def _school_las(table: Published) -> dict[int, str]:
    """Each School row's local authority, by name (from its number when the name is blank)."""
    level = np.char.lower(table.text("geographic_level").astype(str))
    urns, _, _ = school_rows.read_urns(
        table.column(table.first("school_urn", "urn") or "school_urn"))
    names = table.text(table.first("la_name") or "la_name")
    codes = table.text(table.first("old_la_code") or "old_la_code")
    out: dict[int, str] = {}
    for i in np.flatnonzero((level == "school") & ~pd.isna(urns)):
        label = names[i] or la_name(codes[i])
        if label:
            out[int(urns[i])] = label
    return out


class ExploreEducationStatistics:
    code = "ees"
    label = "Explore Education Statistics data file"
    options: tuple[Option, ...] = scope.OPTIONS

    def option_choices(self, option: str, sheets: list[Sheet]) -> list[str]:
        if option != scope.SCOPE_LAS:
            return []
        found = find_header(sheets, ("time_period", "geographic_level"))
        if found is None:
            return []
        return scope.distinct_names(_school_las(Published.from_sheet(*found)).values())

    def detect(self, sheets: list[Sheet], file_name: str) -> float:
        for keys in first_header_rows(sheets):
            if {"time_period", "time_identifier", "geographic_level"} <= keys:
                return 0.97 if keys & _INDICATOR_NAMES else 0.95
        return 0.0

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:
        found = find_header(sheets, ("time_period", "geographic_level"))
        if found is None:
            raise UnusableFile(
                "This is not an Explore Education Statistics data file: its header row needs "
                "time_period and geographic_level. Download the data file (CSV) from the "
                "publication's 'Download' section.")
        table = Published.from_sheet(*found)
        indicators = [(i, table.first(*i.names)) for i in INDICATORS]
        indicators = [(i, column) for i, column in indicators if column]
        if not indicators:
            raise UnusableFile(
                "This Explore Education Statistics file has none of the measures this product "
                "tracks (such as pt_rwm_met_expected_standard for KS2 or avg_att8 for KS4). "
                "Choose the key stage 2 or key stage 4 attainment data file.")
        problems: list[Problem] = []
        skips = Skips()

        level = np.char.lower(table.text("geographic_level").astype(str))
        years = self._years(table, problems)
        usable = years != ""
        identifier = table.text(table.first("time_identifier") or "time_identifier")
        not_academic = usable & (identifier != "") & (np.char.lower(identifier.astype(str))
                                                      != "academic year")
        skips.add("rows whose time_identifier is not 'Academic year'", int(not_academic.sum()))
        usable &= ~not_academic
        usable &= self._latest_version(table, years, skips)

        groups = self._pupil_groups(table, skips, usable)
        usable &= groups != ""

        national = usable & (level == "national")
        country = table.text(table.first("country_code") or "country_code")
        foreign = national & (country != "") & (country != ENGLAND_CODE)
        skips.add("national rows for a country other than England", int(foreign.sum()))
        national &= ~foreign
        local = usable & (level == "local authority")
        la_code = table.text(table.first("old_la_code") or "old_la_code")
        la_code = np.where(la_code == "", table.text(table.first("new_la_code")
                                                     or "new_la_code"), la_code)
        school = usable & (level == "school")
        urns, urn_blank, urn_bad = school_rows.read_urns(
            table.column(table.first("school_urn", "urn") or "school_urn"))
        for i in np.flatnonzero(school & (urn_blank | urn_bad))[:PROBLEM_LIMIT]:
            problems.append(Problem(int(table.rows[i]), table.header("school_urn"),
                                    shown(table.column("school_urn")[i]),
                                    "expected the school's 6-digit URN on a School row",
                                    table.sheet))
        school &= ~urn_blank & ~urn_bad
        for i in np.flatnonzero(local & (la_code == ""))[:PROBLEM_LIMIT]:
            problems.append(Problem(int(table.rows[i]), table.header("old_la_code"), "",
                                    "expected the local authority's number on a Local "
                                    "authority row", table.sheet))
        local &= la_code != ""
        other = usable & ~(national | local | school | foreign) & (level != "")
        if other.any():
            kinds = sorted(set(table.text("geographic_level")[other].tolist()))
            skips.add(f"rows for {', '.join(kinds)} (only National, Local authority and "
                      "School rows are used)", int(other.sum()))

        rows = np.flatnonzero(national | local | school)
        long, cell_problems = _read_indicators(table, indicators, rows)
        problems += cell_problems
        skips.missing_codes(long["value_note"].to_numpy())
        index = long.pop("_index").to_numpy()
        long["academic_year"] = years[index]
        long["pupil_group"] = groups[index]
        long["term"] = constant("Summer", len(long))
        long["source"] = constant(SOURCE, len(long))
        is_school = school[index]

        attainment = long[is_school].copy()
        attainment.insert(0, "urn", urns[index[is_school]].astype("int64"))
        key_columns = ["urn", "academic_year", "term", "measure", "pupil_group"]
        problems += _repeats(attainment, key_columns, table)
        attainment = attainment[[*key_columns, "cohort_size", "value", "value_note", "source",
                                 "lower", "upper", ROW]].reset_index(drop=True)

        bench = long[~is_school].copy()
        on_la = local[index[~is_school]]
        codes = np.where(on_la, la_code[index[~is_school]], ENGLAND_CODE)
        names_written = table.text(table.first("la_name") or "la_name")[index[~is_school]]
        bench.insert(0, "area_type", np.where(on_la, "local_authority", "national"))
        bench.insert(1, "area_code", codes)
        bench.insert(2, "area_name", [
            (written or la_name(code) or f"Local authority {code}") if is_la else ENGLAND_NAME
            for code, written, is_la in zip(codes.tolist(), names_written.tolist(),
                                            on_la.tolist(), strict=True)])
        bench_key = ["area_type", "area_code", "academic_year", "term", "measure",
                     "pupil_group"]
        problems += _repeats(bench, bench_key, table)
        benchmarks = bench[[*bench_key, "area_name", "cohort_size", "value", "value_note",
                            "source", "lower", "upper", ROW]].reset_index(drop=True)

        with_figures = np.unique(index[is_school])
        school_frame = pd.DataFrame({
            "urn": urns[with_figures],
            "name": table.text(table.first("school_name") or "school_name")[with_figures],
            "local_authority": [w or la_name(c) for w, c in zip(
                table.text(table.first("la_name") or "la_name")[with_figures].tolist(),
                la_code[with_figures].tolist(), strict=True)],
            ROW: table.rows[with_figures],
        })
        schools = school_rows.new_schools(school_frame, context)
        summary = {
            "schools": int(attainment["urn"].nunique()),
            "years": sorted(set(long["academic_year"].tolist())),
            "measures": sorted(set(long["measure"].unique().tolist())),
            "attainment_rows": len(attainment),
            "benchmark_rows": len(benchmarks),
            "new_schools": len(schools),
            "skipped": skips.as_list(),
        }
        warnings = []
        missing = int(long["value_note"].notna().sum())
        if missing:
            warnings.append(f"{plural(missing, 'figure')} in this file have no value (c, x, z "
                            "or low): each is stored as missing, with its reason, never as 0.")
        frames = {"schools": schools, "attainment": attainment, "benchmarks": benchmarks}
        school_las = _school_las(table)
        return scope.keep(Validated(self.code, frames, problems, warnings, summary,
                                    headers={"urn": table.header("school_urn")}),
                          context, school_las, school_las.values())

    def _years(self, table: Published, problems: list[Problem]) -> np.ndarray:
        text = table.text("time_period")
        uniques = {t: parse_academic_year(t) for t in set(text.tolist())}
        for value, year in uniques.items():
            if value and year is None:
                rows = np.flatnonzero(text == value)
                problems.append(Problem(int(table.rows[rows[0]]), table.header("time_period"),
                                        value, "expected an academic year written like 201819 "
                                        f"({len(rows)} rows)", table.sheet))
        return np.array([uniques.get(t) or "" for t in text.tolist()], dtype=object)

    def _latest_version(self, table: Published, years: np.ndarray, skips: Skips
                        ) -> np.ndarray:
        """Rows of the latest version of each period (final, then revised, then provisional)."""
        column = table.first("version")
        if column is None:
            return np.ones(len(table), dtype=bool)
        version = np.char.lower(table.text(column).astype(str))
        rank = np.array([_VERSIONS.index(v) if v in _VERSIONS else len(_VERSIONS)
                         for v in version.tolist()])
        frame = pd.DataFrame({"year": years, "rank": rank})
        best = frame.groupby("year")["rank"].transform("min").to_numpy()
        keep = rank == best
        skips.add("rows of an earlier version of the same period (the latest version is used)",
                  int((~keep).sum()))
        return keep

    def _pupil_groups(self, table: Published, skips: Skips, usable: np.ndarray
                      ) -> np.ndarray:
        """Each row's pupil group code, or '' for a row to skip."""
        filters = []
        for name in table.positions:
            if name in _GEOGRAPHY or name in _INDICATOR_NAMES or name.endswith("_topic"):
                continue
            values = table.text(name)
            if (np.char.lower(values.astype(str)) == "total").any():
                filters.append(values)
        if not filters:
            return np.full(len(table), "all", dtype=object)
        combos = pd.Series(list(zip(*[f.tolist() for f in filters], strict=True)), dtype=object)
        codes, uniques = pd.factorize(combos)
        labels: list[str] = []
        per_combo_skip: list[str] = []
        for combo in uniques:
            specific = [v for v in combo if v.casefold() != "total" and v != ""]
            if not specific:
                labels.append("all")
                per_combo_skip.append("")
            elif len(specific) > 1:
                labels.append("")
                per_combo_skip.append("crossed")
            else:
                group = _group(specific[0])
                labels.append(group or "")
                per_combo_skip.append("" if group else specific[0])
        out = np.array(labels, dtype=object)[codes]
        reasons = np.array(per_combo_skip, dtype=object)[codes]
        crossed = int((usable & (reasons == "crossed")).sum())
        skips.add("rows for crossed pupil groups (such as disadvantaged boys)", crossed)
        untracked_mask = usable & (out == "") & (reasons != "crossed")
        untracked = int(untracked_mask.sum())
        if untracked:
            examples = sorted(set(reasons[untracked_mask].tolist()))[:3]
            skips.add("rows for pupil groups or school types this product does not track "
                      "(such as "
                      f"{', '.join(repr(e) for e in examples)})", untracked)
        return out


def _repeats(frame: pd.DataFrame, columns: list[str], table: Published) -> list[Problem]:
    repeated = frame[frame.duplicated(columns, keep=False)]
    problems = []
    for _, group in list(repeated.groupby(columns, sort=False, observed=True))[:PROBLEM_LIMIT]:
        rows = group[ROW].astype(int).tolist()
        problems.append(Problem(rows[-1], None, None,
                                f"rows {', '.join(str(r) for r in rows)} give the same figure "
                                f"({group['measure'].iloc[0]}, {group['pupil_group'].iloc[0]}, "
                                f"{group['academic_year'].iloc[0]}) for the same place; keep "
                                "one", table.sheet))
    return problems


def _read_indicators(table: Published, indicators: list[tuple[Indicator, str]],
                     rows: np.ndarray) -> tuple[pd.DataFrame, list[Problem]]:
    """One long row per (row, indicator) holding a figure or a symbol."""
    parts = []
    problems: list[Problem] = []
    for indicator, column in indicators:
        measure = m.measure(indicator.measure)
        values = read_figures(table.matrix([column], rows))
        size = read_figures(table.matrix([table.first(*indicator.size)], rows))
        lower = read_figures(table.matrix([table.first(*indicator.lower)], rows))
        upper = read_figures(table.matrix([table.first(*indicator.upper)], rows))
        with np.errstate(invalid="ignore"):
            out = np.isfinite(values.value) & ((values.value < measure.minimum)
                                               | (values.value > measure.maximum))
            whole = np.isfinite(size.value) & (np.floor(size.value) == size.value) \
                & (size.value >= 0)
        for mask, message in ((values.bad, f"expected {EXPECTED}"),
                              (out, f"expected a value between {measure.minimum:g} and "
                                    f"{measure.maximum:g} for {measure.short}")):
            for j in np.flatnonzero(mask)[:PROBLEM_LIMIT]:
                problems.append(Problem(int(table.rows[rows[j]]), table.header(column),
                                        shown(table.column(column)[rows[j]]), message,
                                        table.sheet))
        keep = np.flatnonzero(values.present)
        cohort = pd.array(np.where(whole[keep], size.value[keep], 0).astype(np.int64),
                          dtype="Int64")
        cohort[~whole[keep]] = pd.NA
        parts.append(pd.DataFrame({
            "_index": rows[keep], "measure": indicator.measure, "cohort_size": cohort,
            "value": values.value[keep],
            "value_note": pd.Series(values.note[keep], dtype=object),
            "lower": lower.value[keep], "upper": upper.value[keep],
            ROW: table.rows[rows[keep]]}))
    return pd.concat(parts, ignore_index=True), problems


FORMAT = ExploreEducationStatistics()
