"""Generated stores for the honesty tests: a partnership's cohort and comparison schools with a
known design (how many schools, the planted effect, a drift before joining, noise, a school
that leaves, a partial termly return, pupil groups with small numbers), loaded through the
templates as a head would upload them.

`World` is a plain description a hypothesis strategy can draw (`worlds()`); `build(path,
world)` writes the store. Everything is seeded by the world, so a failing example replays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from impact.domain.academic_years import format_academic_year
from impact.store import Store
from tests.factories import load

TRUST = "Honest Trust"
COHORT = "Cohort A"
RWM = "KS2 reading, writing and maths: % at expected standard"
READING = "KS2 reading: average scaled score"
YEARS = [y for y in range(2013, 2025) if y not in (2019, 2020)]
JOINING_DATES = (dt.date(2016, 9, 1), dt.date(2017, 9, 1), dt.date(2018, 9, 1),
                 dt.date(2021, 9, 1))
FIRST_URN = 300001


@dataclass(frozen=True)
class World:
    joining: int = 6                 # schools in the cohort
    comparison: int = 8              # schools never in a partnership
    effect: float = 0.0              # points after joining
    drift: float = 0.0               # points a year the joining schools drift before joining
    noise: float = 4.0               # school-year noise (points)
    sizes: tuple[int, int] = (20, 60)  # cohort sizes drawn between these
    staggered: bool = True
    leaver: bool = False             # the first joining school leaves on 31 August 2022
    measure: str = RWM
    seed: int = 1
    dates: tuple[dt.date, ...] = field(default=JOINING_DATES)

    @property
    def urns(self) -> list[int]:
        return list(range(FIRST_URN, FIRST_URN + self.joining + self.comparison))

    @property
    def joining_urns(self) -> list[int]:
        return self.urns[: self.joining]

    def joined(self, i: int) -> dt.date:
        return self.dates[i % len(self.dates)] if self.staggered else self.dates[2]

    @property
    def cohort_label(self) -> str:
        return f"{TRUST} / {COHORT}"


def worlds(max_joining: int = 8) -> st.SearchStrategy[World]:
    """Worlds from tiny and noisy (2 schools, 8 pupils) to clear (8 schools, a big effect),
    with and without a drift before joining."""
    return st.builds(
        World,
        joining=st.integers(2, max_joining),
        comparison=st.integers(3, 10),
        effect=st.sampled_from([0.0, 4.0, 12.0, -10.0]),
        drift=st.sampled_from([0.0, 0.0, 2.5, -2.5]),
        noise=st.sampled_from([1.0, 4.0, 9.0, 15.0]),
        sizes=st.sampled_from([(20, 60), (8, 20), (40, 90), (6, 12)]),
        staggered=st.booleans(),
        leaver=st.booleans(),
        measure=st.sampled_from([RWM, RWM, READING]),
        seed=st.integers(1, 10_000))


def schools_rows(world: World) -> pd.DataFrame:
    rows = []
    for i, urn in enumerate(world.urns):
        row = {"URN": urn, "School name": f"School {urn}", "Phase": "Primary",
               "Local authority": "Testshire", "Pupils on roll": 200, "Capacity": 210}
        if i < world.joining:
            row |= {"Partnership": TRUST, "Partnership type": "Multi-academy trust",
                    "Cohort": COHORT, "Joined date": world.joined(i),
                    "Left date": dt.date(2022, 8, 31) if world.leaver and i == 0 else None}
        rows.append(row)
    return pd.DataFrame(rows, dtype=object)


def _first_treated(joined: dt.date) -> int:
    return joined.year if (joined.month, joined.day) <= (9, 14) else joined.year + 1


def attainment_rows(world: World) -> pd.DataFrame:
    rng = np.random.default_rng(world.seed)
    percent = world.measure == RWM
    rows = []
    for i, urn in enumerate(world.urns):
        level = (55.0 if percent else 103.0) + rng.normal(0, 6 if percent else 2)
        size = int(rng.integers(world.sizes[0], world.sizes[1] + 1))
        first = _first_treated(world.joined(i)) if i < world.joining else None
        for y in YEARS:
            value = level + 0.6 * (y - 2013) * (1 if percent else 0.1) \
                - (4 if y >= 2021 and percent else 0)
            if first is not None:
                value += world.drift * (y - first) * (1 if percent else 0.1)
                if y >= first:
                    value += world.effect * (1 if percent else 0.2)
            value += rng.normal(0, world.noise * (1 if percent else 0.15))
            value = float(np.clip(value, 0, 100)) if percent else float(np.clip(value, 80, 120))
            rows.append({"URN": urn, "Academic year": format_academic_year(y),
                         "Term": "Summer", "Measure": world.measure,
                         "Pupil group": "All pupils", "Cohort size": size,
                         "Value": round(value, 0 if percent else 1)})
    return pd.DataFrame(rows, dtype=object)


def england_rows(measure: str = RWM) -> pd.DataFrame:
    percent = measure == RWM
    return pd.DataFrame([
        {"Area type": "National", "Area code": "E92000001", "Area": "England",
         "Academic year": format_academic_year(y), "Term": "Summer", "Measure": measure,
         "Pupil group": "All pupils", "Cohort size": 600000,
         "Value": round((55 + 0.6 * (y - 2013) - (4 if y >= 2021 else 0)) if percent
                        else 103 + 0.06 * (y - 2013), 1)} for y in YEARS], dtype=object)


def build(path: Path, world: World) -> Path:
    with Store(path) as store:
        load(store, "schools", schools_rows(world))
        load(store, "attainment", attainment_rows(world))
        load(store, "benchmarks", england_rows(world.measure))
    return path
