"""Data made in code for tests: template-shaped frames, files in real formats, loaded stores.

Frames use the templates' own headers, so the same frame can be written as .xlsx (through the
template writer) or .csv and uploaded exactly as a head would.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd

from impact.auth import DEMO_ADMIN, Actor
from impact.domain.academic_years import format_academic_year
from impact.importing.pipeline import ImportResult, commit, plan_import
from impact.importing.templates import filled_workbook_bytes, template_kinds
from impact.store import Store


def schools_frame(n: int = 6, *, first_urn: int = 100001, partnership: str = "Test Trust",
                  in_partnership: int | None = None, cohort: str = "Cohort A",
                  joined: dt.date = dt.date(2019, 9, 1)) -> pd.DataFrame:
    """`n` primary schools; the first `in_partnership` (default: half) in one cohort."""
    in_partnership = n // 2 if in_partnership is None else in_partnership
    rows = []
    for i in range(n):
        member = i < in_partnership
        rows.append({
            "URN": first_urn + i, "School name": f"School {first_urn + i}", "Phase": "Primary",
            "Local authority": "Testshire", "Pupils on roll": 200 + i, "Capacity": 210,
            "Partnership": partnership if member else None,
            "Partnership type": "Cluster" if member else None,
            "Cohort": cohort if member else None,
            "Joined date": joined if member else None,
        })
    return pd.DataFrame(rows)


def attainment_frame(urns: list[int], years: range = range(2015, 2019), *,
                     measure: str = "KS2 reading, writing and maths: % at expected standard",
                     base: float = 60.0, seed: int = 1, cohort_size: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for urn in urns:
        for year in years:
            rows.append({"URN": urn, "Academic year": format_academic_year(year),
                         "Term": "Summer", "Measure": measure, "Pupil group": "All pupils",
                         "Cohort size": cohort_size,
                         "Value": round(float(base + rng.normal(0, 5)), 1)})
    return pd.DataFrame(rows)


def xlsx_bytes(kind: str, frame: pd.DataFrame) -> bytes:
    return filled_workbook_bytes(template_kinds()[kind], frame)


def csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    out = frame.copy()
    for column in out.columns:
        out[column] = out[column].map(
            lambda v: v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v)
    out.to_csv(buffer, index=False)
    return buffer.getvalue().encode(encoding)


def load(store: Store, kind: str, frame: pd.DataFrame, actor: Actor = DEMO_ADMIN,
         name: str | None = None) -> ImportResult:
    """Upload `frame` as an .xlsx of `kind` and confirm it; fail loudly if it is rejected."""
    data = xlsx_bytes(kind, frame)
    plan = plan_import(store, name or f"{kind}.xlsx", data, actor, kind=kind)
    if not plan.ok:
        raise AssertionError(f"factory upload rejected: {plan.unusable or plan.problems[:5]}")
    return commit(store, plan, actor)


# --- more kinds of return ------------------------------------------------------------------

def ofsted_frame(urns: list[int]) -> pd.DataFrame:
    """One inspection per school under each of Ofsted's three frameworks."""
    rows = []
    for urn in urns:
        rows.append({"URN": urn, "Inspection date": dt.date(2019, 3, 14),
                     "Inspection type": "Graded inspection", "Overall effectiveness": "Good",
                     "Quality of education": "Good", "Behaviour and attitudes": "Outstanding",
                     "Personal development": "Good", "Leadership and management": "Good",
                     "Early years": "Requires improvement", "Safeguarding": "Yes"})
        rows.append({"URN": urn, "Inspection date": dt.date(2025, 1, 21),
                     "Quality of education": "Good", "Behaviour and attitudes": "Good",
                     "Personal development": "Good", "Leadership and management": "Good",
                     "Safeguarding": "Yes"})
        rows.append({"URN": urn, "Inspection date": dt.date(2025, 11, 20),
                     "Inclusion": "Expected standard", "Curriculum and teaching":
                     "Strong standard", "Achievement": "Needs attention",
                     "Attendance and behaviour": "Expected standard",
                     "Personal development and wellbeing": "Exceptional",
                     "Leadership and governance": "Expected standard", "Safeguarding": "Met"})
    return pd.DataFrame(rows, dtype=object)


def cpd_frame(urns: list[int], years: range = range(2021, 2023)) -> pd.DataFrame:
    rows = []
    for urn in urns:
        for year in years:
            rows.append({"URN": urn, "Academic year": format_academic_year(year),
                         "Term": "Autumn", "Activity": "Review day", "Staff role": "Teachers",
                         "Staff taking part": 6, "Hours each": 3.5,
                         "Activity date": dt.date(year, 10, 12),
                         "Self-assessment before": 2.5, "Self-assessment after": 3.8,
                         "Lessons good or better (%)": "80%", "Staff confidence": 4,
                         "Description": f"Review day on reading at {urn}"})
            rows.append({"URN": urn, "Academic year": format_academic_year(year),
                         "Term": "Spring", "Activity": "Coaching", "Staff role": "Leaders",
                         "Staff taking part": 2, "Hours each": 10,
                         "Activity date": None, "Self-assessment before": None,
                         "Self-assessment after": None, "Lessons good or better (%)": None,
                         "Staff confidence": None, "Description": None})
    return pd.DataFrame(rows, dtype=object)


def benchmarks_frame(years: range = range(2016, 2019)) -> pd.DataFrame:
    rows = []
    for year in years:
        ay = format_academic_year(year)
        rows.append({"Area type": "National", "Area code": "E92000001", "Area": "England",
                     "Academic year": ay, "Term": "Summer",
                     "Measure": "KS2 reading, writing and maths: % at expected standard",
                     "Pupil group": "All pupils", "Cohort size": 600000,
                     "Value": f"{61 + year - 2016}%"})
        rows.append({"Area type": "Local authority", "Area code": "936", "Area": "Surrey",
                     "Academic year": ay, "Term": "Summer",
                     "Measure": "KS2 reading: average scaled score",
                     "Pupil group": "Disadvantaged", "Cohort size": 2500, "Value": 102.5})
        rows.append({"Area type": "Local authority", "Area code": "936", "Area": "Surrey",
                     "Academic year": ay, "Term": "Summer",
                     "Measure": "KS2 reading, writing and maths: % at higher standard",
                     "Pupil group": "SEND", "Cohort size": 3, "Value": "c"})
    return pd.DataFrame(rows, dtype=object)


def loaded_store(store: Store, n_schools: int = 4) -> Store:
    """A store with schools, attainment, Ofsted, CPD and benchmarks, each from an upload."""
    load(store, "schools", schools_frame(n_schools))
    urns = list(range(100001, 100001 + n_schools))
    load(store, "attainment", attainment_frame(urns, range(2016, 2019)))
    load(store, "ofsted", ofsted_frame(urns[:2]))
    load(store, "cpd", cpd_frame(urns[:2]))
    load(store, "benchmarks", benchmarks_frame())
    return store


# --- files as people actually make them ----------------------------------------------------

def workbook_bytes(rows: list[list[object]], sheet: str = "Data",
                   others: dict[str, list[list[object]]] | None = None) -> bytes:
    """An .xlsx whose sheet holds `rows` cell for cell from A1 (None leaves a cell empty, []
    leaves a row blank), as a person might lay one out: title rows, gaps, notes."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = sheet
    for name, grid in {sheet: rows, **(others or {})}.items():
        target = first if name == sheet else book.create_sheet(name)
        for r, row in enumerate(grid, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    target.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def frame_bytes(frame: pd.DataFrame, fmt: str = "xlsx") -> bytes:
    """`frame` with exactly its own columns (unlike `xlsx_bytes`, which writes every column of
    the template): for files that leave optional columns out."""
    rows = [list(frame.columns)]
    for record in frame.itertuples(index=False):
        rows.append([None if v is None or (isinstance(v, float) and np.isnan(v)) else v
                     for v in record])
    if fmt == "xlsx":
        return workbook_bytes(rows)
    return csv_rows_bytes([[v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v
                            for v in row] for row in rows])


def csv_rows_bytes(rows: list[list[object]], encoding: str = "utf-8",
                   delimiter: str = ",") -> bytes:
    """A CSV file holding `rows` as written (blank rows stay blank lines)."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
             b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00"
             b"\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def xlsm_bytes(workbook_data: bytes) -> bytes:
    """A macro-enabled workbook: `workbook_data` with a VBA project and Excel's macro content
    type, as Excel saves an .xlsm."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(workbook_data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                content = content.replace(
                    b"</Types>", b'<Default Extension="bin" '
                    b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            out.writestr(item, content)
        out.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    return buffer.getvalue()


def xls_bytes() -> bytes:
    """The start of an Excel 97-2003 workbook: an OLE2 compound file header."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:26] = b"\x3e\x00"  # minor version
    header[26:28] = b"\x03\x00"  # major version 3
    header[28:30] = b"\xfe\xff"  # little-endian
    header[30:32] = b"\x09\x00"  # 512-byte sectors
    return bytes(header) + "Workbook".encode("utf-16-le") + b"\x00" * 1024


def snapshot(store: Store, *, audit: bool = False) -> dict[str, list[tuple]]:
    """Every row of every table in the store, sorted, for comparing before and after.

    The audit log is left out unless asked for: a refused upload changes no data, but is
    recorded there (tests of the log look at it themselves). The impact estimates kept per
    store revision (`derived_estimates`) are always left out: they are worked out from the
    data by the server's background thread, which may write one while a page test runs."""
    names = store.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "ORDER BY table_name")["table_name"].tolist()
    names = [n for n in names if n != "derived_estimates"]
    if not audit:
        names = [n for n in names if n != "audit_log"]
    out = {}
    with store.reading() as cursor:
        for name in names:
            rows = cursor.execute(f'SELECT * FROM "{name}"').fetchall()
            out[name] = sorted(rows, key=repr)
    return out


# --- impact estimates made in code (typed, as `impact_estimate` returns them) -------------------

def event_point(t: int, estimate: float | None, low: float | None = None,
                high: float | None = None, schools: int = 4, reference: bool = False,
                bridged: bool = False):
    from impact.analysis.did import EventPoint

    return EventPoint(t, estimate, low, high, None, schools, (2018,), reference, bridged)


def made_estimate(effect: float | None = 6.0, low: float | None = 1.0,
                  high: float | None = 11.0, *, points: list | None = None,
                  comparison: str = "similar", first: str = "2018/19",
                  measure: str = "ks2_rwm_exp", cohort: str = "Cohort 2",
                  partnership: str = "Oak Trust", padlocks: int = 2, schools: int = 4,
                  check_status: str | None = None, months: int | None = 1,
                  too_uncertain: bool = False):
    """A typed `Estimate` with the given numbers, its verdict decided as `impact_estimate`
    decides it (`estimate_verdict`), for chart and report tests that need no store."""
    from impact.analysis.did import PreTrend
    from impact.analysis.estimate import (
        ComparisonCheck,
        EffectSize,
        Estimate,
        JoiningGroup,
        SchoolUse,
        estimate_verdict,
    )
    from impact.analysis.evidence import LABELS, Evidence
    from impact.analysis.regression_to_mean import CohortDip
    from impact.domain import verdicts
    from impact.domain.measures import measure as measure_of

    if points is None:
        points = [event_point(-3, -1.0, -6.0, 4.0), event_point(-2, 0.5, -4.0, 5.0),
                  event_point(-1, 0.0, reference=True), event_point(0, 3.0, -2.0, 8.0),
                  # 2019/20 and 2020/21 (event times 1 and 2) had no tests
                  event_point(3, 7.0, 1.0, 13.0, bridged=True)]
    check = ComparisonCheck(check_status or verdicts.CHECK_WEAK, 0.5, 0.1, schools, 30.0,
                            at_stake=5.0, power_at_stake=0.1)
    verdict = estimate_verdict(effect, low, high, too_uncertain, check)
    clear = verdict in verdicts.CLEAR
    size = None if effect is None else EffectSize(
        "cohens_h", effect / 50, None if low is None else low / 50,
        None if high is None else high / 50, months if clear else None,
        0 if clear else None, 3 if clear else None, "")
    m = measure_of(measure)
    return Estimate(
        partnership=partnership, cohort=cohort, measure=measure, measure_label=m.label,
        group="all", comparison=comparison, status="ok" if effect is not None else
        "not_enough_data", reason=None if effect is not None else "no results",
        effect=effect, low=low, high=high, se=None, event_study=list(points),
        pre_trend=PreTrend(False, (), None, 0, None, None), effect_size=size,
        evidence=Evidence(padlocks, LABELS[padlocks], f"{padlocks} of 5: only {schools} "
                          "schools", ()),
        joining_schools=[SchoolUse(100000 + i, f"School {i}", "joining") for i in
                         range(schools)],
        comparison_schools=[], excluded=[], years=[],
        cohorts=[JoiningGroup(first, "2017/18", "2017/18", "2017/18", 1, schools, True)],
        dip=CohortDip(False, 0, 0, None, ()), governor_view_allowed=True, draws=99, seed=1,
        verdict=verdict, check=check, too_uncertain=too_uncertain)
