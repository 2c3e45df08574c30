"""National and local authority comparison figures, for when a trust has them by hand.

Usually these come from the DfE performance tables (see `impact.importing.performance_tables`);
this template lets a data manager add a comparison line the DfE files do not carry.
"""

from __future__ import annotations

import pandas as pd

from impact.domain import areas
from impact.importing import cells
from impact.importing.kinds.attainment import (
    AttainmentKind,
    academic_year_column,
    cohort_size_column,
    fill_pupil_group,
    group_column,
    measure_column,
    term_column,
    value_column,
)
from impact.importing.kinds.base import Context, TemplateKind, Validated
from impact.importing.layout import ROW, Column, Layout, check_duplicates
from impact.importing.reading import Sheet

ENGLAND_CODE = areas.ENGLAND_CODE
MAX_AREA_COHORT = 2_000_000  # a national cohort is about 650,000 pupils
AREA_TYPES = {"national": "national", "england": "national", "local authority": "local_authority",
              "la": "local_authority", "local_authority": "local_authority"}


def _area_type(value: object) -> str:
    found = AREA_TYPES.get(cells.text(value).lower())
    if found is None:
        raise cells.CellError("National or Local authority")
    return found


class BenchmarksKind(TemplateKind):
    code = "benchmarks"
    label = "Comparison figures"
    what = "area, year, term, measure and pupil group"
    purpose = ("National or local authority figures to compare the partnership's schools with, "
               "when they are not in a DfE file you can upload as published.")
    tables = ("benchmarks",)
    layout = Layout(columns=(
        Column("area_type", "Area type", _area_type, synonyms=("geographic level", "level"),
               choices=("National", "Local authority"), example="National",
               expected="National or Local authority"),
        Column("area_code", "Area code", cells.text, required=False, allow_blank=True,
               synonyms=("la code", "code", "new la code", "old la code"), example=ENGLAND_CODE,
               help=f"{ENGLAND_CODE} for England, or the local authority's 3-digit number."),
        Column("area_name", "Area", cells.text, synonyms=("area name", "la name", "name"),
               example="England", expected="the area's name, such as England or Surrey"),
        academic_year_column(), term_column(allow_blank=True), measure_column(), group_column(),
        cohort_size_column(), value_column(),
    ))
    notes = AttainmentKind.notes[1:]

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:
        table, frame, problems, warnings = self.begin(sheets)
        if table is None:
            return Validated(self.code, {}, problems, warnings)
        if "area_code" not in frame:
            frame["area_code"] = None
        national = frame["area_type"] == "national"
        frame.loc[national & frame["area_code"].isna(), "area_code"] = ENGLAND_CODE
        missing_code = frame["area_code"].isna()
        frame.loc[missing_code, "area_code"] = frame.loc[missing_code, "area_name"]
        fill_pupil_group(frame, table)
        helper = AttainmentKind()
        problems += helper._check_terms(frame, table)
        p, w = helper._read_values(frame, table, max_cohort=MAX_AREA_COHORT)
        problems += p
        warnings += w
        frame["source"] = "Comparison figures"
        key = ["area_type", "area_code", "academic_year", "term", "measure", "pupil_group"]
        good = frame.dropna(subset=key)
        good, p, w = check_duplicates(good, key, ["area_name", "cohort_size", "value",
                                                  "value_note"], table.headers, table.sheet,
                                      self.what, written=table.data)
        problems += p
        warnings += w
        out = good[[*key, "area_name", "cohort_size", "value", "value_note", "source", ROW]]
        out = out.astype({"area_code": "object"})
        summary = {"areas": int(out["area_code"].nunique()), "rows": len(out)}
        return Validated(self.code, {"benchmarks": pd.DataFrame(out)}, problems, warnings,
                         summary, headers=table.headers)


KIND = BenchmarksKind()
