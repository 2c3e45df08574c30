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
