"""No suppressed figure can be worked out from what is shown (a property over generated
stores).

Each generated store has a few schools in one cohort, with All pupils, Disadvantaged / Not
disadvantaged and Boys / Girls figures for a few years: group sizes from 0 to 30 (so many are
5 or fewer), some hidden where they came from (`c`), others stored with their small count.
Then everything a person can see is gathered, for every pupil group, from the two places that
show pupil-group figures: the Schools page's table (`reports.schools.visible` on
`queries/school_attainment.sql`) and the trend lines (`trends.trend`, a school's own line and
the cohort's). A hidden figure is recoverable when All pupils and the other half of its pair
are both shown with their pupil counts (All × n − other × n_other); that must never happen,
for a school or for the cohort's line.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impact.analysis import suppression, trends
from impact.domain.academic_years import format_academic_year
from impact.reports import schools as report
from impact.store import Store
from tests import worlds
from tests.factories import load

PAIRS = (("disadvantaged", "not_disadvantaged"), ("boys", "girls"))
LABELS = {"all": "All pupils", "disadvantaged": "Disadvantaged",
          "not_disadvantaged": "Not disadvantaged", "boys": "Boys", "girls": "Girls"}
YEARS = (2021, 2022, 2023)


@st.composite
def group_stores(draw):
    schools = draw(st.integers(2, 4))
    cells = {}
    for s in range(schools):
        for y in YEARS:
            dis = draw(st.integers(0, 15))
            boys = draw(st.integers(0, 20))
            total = draw(st.integers(max(dis, boys) + 1, 40))
            sizes = {"all": total, "disadvantaged": dis, "not_disadvantaged": total - dis,
                     "boys": boys, "girls": total - boys}
            for group, size in sizes.items():
                if size == 0:
                    continue
                value = draw(st.integers(0, 100))
                small_as_c = draw(st.booleans())
                cells[(s, y, group)] = (size, "c" if size <= 5 and small_as_c else value)
    return schools, cells


def _rows(schools: int, cells: dict) -> pd.DataFrame:
    rows = []
    for (s, y, group), (size, value) in cells.items():
        rows.append({"URN": worlds.FIRST_URN + s, "Academic year": format_academic_year(y),
                     "Term": "Summer", "Measure": worlds.RWM, "Pupil group": LABELS[group],
                     "Cohort size": size, "Value": value})
    return pd.DataFrame(rows, dtype=object)


def _recoverable(shown: dict) -> list:
    """Cells (key, group) that are hidden although All and the other half are shown.
    `shown[(key, group)]` is (value, pupils) for a figure a person sees, None if hidden."""
    found = []
    keys = {k for k, _ in shown}
    for key in keys:
        total = shown.get((key, "all"))
        if total is None:
            continue
        for pair in PAIRS:
            for group, other in (pair, pair[::-1]):
                if (key, group) in shown and shown[(key, group)] is None \
                        and shown.get((key, other)) is not None:
                    found.append((key, group))
    return found


def _visible(value, pupils):
    hidden = value is None or (isinstance(value, float) and np.isnan(value))
    return None if hidden else (value, pupils)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(group_stores())
def test_no_suppressed_cell_can_be_recovered(drawn):
    schools, cells = drawn
    world = worlds.World(joining=schools, comparison=1, staggered=False)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "groups.duckdb"
        with Store(path) as store:
            load(store, "schools", worlds.schools_rows(world))
            load(store, "attainment", _rows(schools, cells))
        with Store(path, read_only=True) as store:
            table_cells: dict = {}
            line_cells: dict = {}
            cohort_cells: dict = {}
            for group in LABELS:
                for s in range(schools):
                    urn = worlds.FIRST_URN + s
                    rows = store.run("school_attainment", urn=urn,
                                     groups=suppression.groups_to_read(group))
                    seen = report.visible(rows, group, ["academic_year", "term", "measure"])
                    for r in seen.itertuples():
                        table_cells[((urn, r.academic_year), group)] = _visible(r.value,
                                                                               r.pupils)
                    text = report.attainment_table(seen)
                    if not text.empty:
                        column = [c for c in text.columns if c not in ("Year", "Term")][0]
                        for year, cell in zip(text["Year"], text[column], strict=True):
                            assert (cell == "c") == (table_cells[((urn, year), group)] is None)
                    line = trends.trend(store, "ks2_rwm_exp", urn=urn, group=group,
                                        comparisons=()).subject_line
                    for r in (line.data.itertuples() if line is not None else []):
                        line_cells[((urn, r.academic_year), group)] = _visible(r.value,
                                                                              r.pupils)
                cohort = trends.trend(store, "ks2_rwm_exp", cohort=world.cohort_label,
                                      group=group, comparisons=()).subject_line
                for r in (cohort.data.itertuples() if cohort is not None else []):
                    cohort_cells[(r.academic_year, group)] = _visible(r.value, r.pupils)
    for shown in (table_cells, line_cells, cohort_cells):
        assert not _recoverable(shown), _recoverable(shown)
    # and every figure about 5 pupils or fewer, or stored as c, is hidden everywhere
    for (s, y, group), (size, value) in cells.items():
        key = ((worlds.FIRST_URN + s, format_academic_year(y)), group)
        if size <= suppression.HIDDEN_MAX or value == "c":
            assert table_cells.get(key) is None and line_cells.get(key) is None, key
