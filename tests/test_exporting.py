"""Export then import changes nothing, for every template kind, as CSV and as .xlsx.

The store is filled through the import path with awkward but valid data: names with commas,
quotes, accents and curly apostrophes; long decimals; hidden figures; negative progress scores;
three Ofsted frameworks; a school that left its cohort.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from impact.auth import DEMO_ADMIN
from impact.exporting import export_bytes, export_frame, export_to
from impact.importing.pipeline import commit, plan_import
from impact.importing.templates import headers, template_kinds
from impact.store import Store
from tests.factories import (
    attainment_frame,
    benchmarks_frame,
    cpd_frame,
    frame_bytes,
    load,
    loaded_store,
    schools_frame,
    snapshot,
)

KINDS = ("schools", "attainment", "ofsted", "cpd", "benchmarks")
DATA_TABLES = ("schools", "partnerships", "cohorts", "memberships", "attainment", "benchmarks",
               "ofsted_inspections", "cpd_activities")


def _awkward(store) -> None:
    loaded_store(store, n_schools=6)
    schools = schools_frame(3, first_urn=100101, partnership="Oak, Ash & \u201cElm\u201d Trust",
                            in_partnership=2, cohort="Cohort 2: reading")
    schools["School name"] = ["St Mary\u2019s C of E Primary", "\u00c9cole \"Fran\u00e7aise\"",
                              "Smith, Jones and Co Academy"]
    schools["Left date"] = [dt.date(2024, 8, 31), None, None]
    schools["Cohort focus"] = ["Leading learning\nand reading", "Leading learning\nand reading",
                               None]
    schools["Pupils on roll"] = [None, 1234, 56]
    load(store, "schools", schools)
    rows = [
        (100101, "2018/19", "Summer", "KS2 reading, writing and maths: % at expected standard",
         "Disadvantaged", 7, "33.333333%"),
        (100101, "2018/19", "Summer", "KS2 maths progress score", "All pupils", 28, -1.25),
        (100101, "2018/19", "Summer", "KS2 reading: average scaled score", "SEND", 4, "c"),
        (100101, "2018/19", "Summer", "KS2 reading: average scaled score", "EAL", None, "x"),
        (100101, "2018/19", "Summer", "KS2 reading, writing and maths: % at higher standard",
         "Girls", 14, "low"),
        (100102, "2022/23", "Autumn", "Teacher assessment: % on track in reading", "Boys", 60,
         "0%"),
        (100102, "2022/23", "Spring", "Teacher assessment: % on track in reading", "Boys", 60,
         "100%"),
        (100102, "2022/23", "Summer", "Teacher assessment: % on track in reading", "Boys", 60,
         "66.666667%"),
        (100103, "2023/24", "Summer", "KS4 Progress 8 score", "All pupils", 180, -0.04),
        (100103, "2023/24", "Summer", "KS4 Attainment 8 score", "All pupils", 180, 46.7),
    ]
    load(store, "attainment", pd.DataFrame(
        rows, columns=["URN", "Academic year", "Term", "Measure", "Pupil group", "Cohort size",
                       "Value"]))
    cpd = cpd_frame([100101], range(2023, 2024))
    cpd.loc[0, "Hours each"] = 10 / 3
    cpd.loc[0, "Lessons good or better (%)"] = "0.5%"
    cpd.loc[0, "Description"] = "Peer review, then \u201cfeedback\u201d; 3 schools"
    load(store, "cpd", cpd)
    bench = benchmarks_frame(range(2022, 2023))
    bench.loc[1, "Area code"] = None  # a local authority known only by name
    load(store, "benchmarks", bench)


@pytest.fixture(scope="module")
def awkward_file(tmp_path_factory) -> Path:
    """Built once (it takes a few seconds), then copied for each test."""
    path = tmp_path_factory.mktemp("awkward") / "store.duckdb"
    with Store(path) as store:
        _awkward(store)
    return path


@pytest.fixture
def awkward(awkward_file, tmp_path):
    path = tmp_path / "awkward.duckdb"
    shutil.copyfile(awkward_file, path)
    with Store(path) as store:
        yield store


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", KINDS)
def test_export_then_import_changes_nothing(awkward, kind, fmt):
    before = snapshot(awkward)
    data = export_bytes(awkward, kind, fmt, actor=DEMO_ADMIN)
    plan = plan_import(awkward, f"export.{fmt}", data, DEMO_ADMIN)  # recognised unaided
    assert plan.kind == kind
    assert plan.ok, plan.unusable or [str(p) for p in plan.problems]
    assert plan.rows_added == 0 and plan.rows_updated == 0
    assert plan.rows_unchanged == sum(len(before[t]) for t in template_kinds()[kind].tables)
    assert plan.rows_unchanged > 0
    commit(awkward, plan, DEMO_ADMIN)
    after = snapshot(awkward)
    assert {t: after[t] for t in DATA_TABLES} == {t: before[t] for t in DATA_TABLES}


@pytest.mark.parametrize("kind", KINDS)
def test_an_export_is_in_the_templates_own_columns(awkward, kind):
    frame = export_frame(awkward, kind, DEMO_ADMIN)
    template = headers(template_kinds()[kind])
    assert list(frame.columns) == [h for h in template if h in frame.columns]
    assert {"URN", "Academic year", "Measure", "Value", "Inspection date", "Activity",
            "Area type"} & set(frame.columns)


def test_exported_values_read_as_a_person_expects(awkward):
    csv = export_bytes(awkward, "attainment", "csv", actor=DEMO_ADMIN)
    assert csv.startswith(b"\xef\xbb\xbf")  # so Excel opens the UTF-8 text correctly
    frame = pd.read_csv(io.BytesIO(csv), dtype=str, keep_default_na=False)
    rows = frame[frame["URN"] == "100101"].set_index("Pupil group")["Value"].to_dict()
    assert rows["Disadvantaged"] == "33.333333%"
    assert rows["SEND"] == "c"  # never 0
    assert rows["EAL"] == "x"
    assert rows["Girls"] == "low"
    assert "-1.25" in frame["Value"].tolist()
    schools = pd.read_csv(io.BytesIO(export_bytes(awkward, "schools", "csv",
                                                  actor=DEMO_ADMIN)), dtype=str,
                          keep_default_na=False)
    assert "St Mary\u2019s C of E Primary" in schools["School name"].tolist()
    assert "31/08/2024" in schools["Left date"].tolist()


def test_export_to_a_file_takes_the_format_from_its_name(awkward, tmp_path):
    xlsx = export_to(awkward, "cpd", tmp_path / "cpd.xlsx", actor=DEMO_ADMIN)
    assert xlsx.read_bytes().startswith(b"PK")
    csv = export_to(awkward, "cpd", tmp_path / "cpd.csv", actor=DEMO_ADMIN)
    assert csv.read_text(encoding="utf-8-sig").startswith("URN,")


def test_export_of_an_unknown_kind_or_format(store):
    with pytest.raises(KeyError, match="no template kind 'pupils'"):
        export_bytes(store, "pupils", actor=DEMO_ADMIN)
    with pytest.raises(ValueError, match="format must be one of"):
        export_bytes(store, "cpd", "ods", actor=DEMO_ADMIN)


def test_an_exported_file_reimported_after_a_correction_updates_only_that_row(awkward):
    exported = export_frame(awkward, "attainment", DEMO_ADMIN)
    exported = exported.astype({"Value": object})
    target = exported.index[(exported["URN"] == 100103)
                            & (exported["Measure"] == "KS4 Attainment 8 score")][0]
    exported.loc[target, "Value"] = 47.1
    plan = plan_import(awkward, "fixed.csv", frame_bytes(exported, "csv"), DEMO_ADMIN)
    assert plan.ok, plan.problems
    assert (plan.rows_added, plan.rows_updated) == (0, 1)
    change = plan.changes[0].changed_values.iloc[0]
    assert (change["field"], change["before"], change["after"]) == ("value", "46.7", "47.1")


def test_attainment_export_of_a_fresh_upload(store):
    load(store, "schools", schools_frame(2))
    load(store, "attainment", attainment_frame([100001], range(2018, 2019)))
    frame = export_frame(store, "attainment", DEMO_ADMIN)
    assert frame[["URN", "School", "Academic year", "Term", "Pupil group"]] \
        .to_records(index=False).tolist() == [
        (100001, "School 100001", "2018/19", "Summer", "All pupils")]
