"""A small store with staggered joining and a planted effect, loaded through the templates.

North Trust / Cohort A: three schools joined 1 September 2016 (first treated 2016/17), three
joined 20 September 2016 (after the 14 September census, so first treated 2017/18), three
joined 1 September 2021 (2021/22); South Cluster / Cohort A: two schools (a second cohort
with the same name); eight schools in no partnership. KS2 RWM % for 2013/14 to 2024/25
without 2019/20 and 2020/21: school level + year effect (with a post-COVID drop) + the
planted effect after joining + a little seeded noise, cohorts of 30 pupils; one school also
reports its disadvantaged pupils (4 of them in 2013/14). A national line and a local authority
line come in through the benchmarks template.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impact.domain.academic_years import format_academic_year
from impact.store import Store
from tests.factories import load

RWM = "KS2 reading, writing and maths: % at expected standard"
PLANTED = 8.0
YEARS = [y for y in range(2013, 2025) if y not in (2019, 2020)]

NORTH = {**{100001 + i: dt.date(2016, 9, 1) for i in range(3)},
         **{100004 + i: dt.date(2016, 9, 20) for i in range(3)},
         **{100007 + i: dt.date(2021, 9, 1) for i in range(3)}}
SOUTH = {100010: dt.date(2017, 9, 1), 100011: dt.date(2017, 9, 1)}
NEVER = [100012 + i for i in range(8)]
FIRST_TREATED = {**{u: 2016 for u in range(100001, 100004)},
                 **{u: 2017 for u in range(100004, 100007)},
                 **{u: 2021 for u in range(100007, 100010)},
                 100010: 2017, 100011: 2017}


def schools_rows() -> pd.DataFrame:
    rows = []
    for urn in sorted([*NORTH, *SOUTH, *NEVER]):
        base = {"URN": urn, "School name": f"School {urn}", "Phase": "Primary",
                "Local authority": "Testshire", "Pupils on roll": 180 + (urn % 7) * 20,
                "Capacity": 300}
        if urn in NORTH:
            base |= {"Partnership": "North Trust", "Partnership type": "Multi-academy trust",
                     "Cohort": "Cohort A", "Joined date": NORTH[urn]}
        elif urn in SOUTH:
            base |= {"Partnership": "South Cluster", "Partnership type": "Cluster",
                     "Cohort": "Cohort A", "Joined date": SOUTH[urn]}
        rows.append(base)
    return pd.DataFrame(rows)


def attainment_rows(effect: float = PLANTED, seed: int = 3, noise: float = 1.5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    level = {u: 55 + rng.normal(0, 6) for u in range(100001, 100020)}
    year_effect = {y: 0.8 * (y - 2013) - (6 if y >= 2021 else 0) for y in YEARS}
    rows = []
    for urn, lvl in level.items():
        north = urn in NORTH
        for y in YEARS:
            treated = north and y >= FIRST_TREATED[urn]
            value = lvl + year_effect[y] + (effect if treated else 0) + rng.normal(0, noise)
            rows.append({"URN": urn, "Academic year": format_academic_year(y),
                         "Term": "Summer", "Measure": RWM, "Pupil group": "All pupils",
                         "Cohort size": 30, "Value": round(float(value), 1)})
    # One school reports its disadvantaged pupils: 4 of them in 2013/14 (a figure to hide).
    for y in YEARS:
        rows.append({"URN": 100001, "Academic year": format_academic_year(y), "Term": "Summer",
                     "Measure": RWM, "Pupil group": "Disadvantaged",
                     "Cohort size": 4 if y == 2013 else 12, "Value": 50.0})
    return pd.DataFrame(rows)


def benchmark_rows() -> pd.DataFrame:
    rows = []
    for y in YEARS:
        for kind, code, name, shift in (("National", "E92000001", "England", 0.0),
                                        ("Local authority", "999", "Testshire", -1.0)):
            rows.append({"Area type": kind, "Area code": code, "Area": name,
                         "Academic year": format_academic_year(y), "Term": "Summer",
                         "Measure": RWM, "Pupil group": "All pupils", "Cohort size": 600000,
                         "Value": round(55 + 0.8 * (y - 2013) - (6 if y >= 2021 else 0)
                                        + shift, 1)})
    return pd.DataFrame(rows)


def build_store(path: Path, effect: float = PLANTED) -> Path:
    store = Store(path)
    try:
        load(store, "schools", schools_rows())
        load(store, "attainment", attainment_rows(effect))
        load(store, "benchmarks", benchmark_rows())
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def panel_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store file, built once per session; open it read-only in tests."""
    return build_store(tmp_path_factory.mktemp("analysis") / "panel.duckdb")


@pytest.fixture
def panel_store(panel_store_path: Path) -> Store:
    store = Store(panel_store_path, read_only=True)
    yield store
    store.close()
