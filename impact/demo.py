"""The demo: fictional schools' spreadsheets, made with a fixed seed and loaded like a head's.

`generate` writes the source spreadsheets a trust would have (under `data/demo/`), each in an
upload template's own format; `build` loads them into a fresh store through the same import
path a head uses (`impact.importing.pipeline.import_file`), so the demo exercises the product
rather than bypassing it, and marks the store as demo data (`settings.demo = 'true'`) so the
app labels every page.

The world (every school, name and number is invented; URNs 990001 and up; local authority
"Wyvernshire", LA code 990):

- Kestrel Vale Academy Trust: a multi-academy trust of seven primaries doing school review
  days (seeds/004). Four founders joined 1 September 2018, then one in September 2019, one on
  1 January 2020 and one in September 2021.
- Three Brooks First Schools: a cluster of three first schools (Reception to Year 4, so
  GLD, phonics and KS1, never KS2) working together since 1 September 2017 (seeds/002).
- Wyvern School-to-School Programme: five cohorts (the foci of seeds/000) of three to six
  schools, joining on 1 September 2017, 2018, 2019, 2021 and 2022. One school is in Cohorts 3
  and 5; one left Cohort 5 on 31 August 2024.
- Twenty comparison schools in no partnership, in the same local authority (two of them first
  schools, one a very small village school).

Academic years 2015/16 to 2025/26, and the demo's calendar moves with the date it is built on:
termly returns (teacher assessments, CPD) run on to the latest term that has ended
(`last_term`), drawn after everything else so no earlier figure changes, and two schools
(`LATE_RETURNS`) have not sent that term's return yet, so the returns check has someone to
chase. Partnership schools have an invented contact at the reserved `.example` domain, and
three improvement projects (seeds/003, `PROJECTS`) are recorded, with no planted effect.
Statutory results (Summer, with cohort sizes, by pupil
group) follow the series breaks: none for 2019/20 and 2020/21, no KS2 progress scores for
2023/24 and 2024/25, KS1 only to 2022/23. Partnership schools also return termly teacher
assessment (% on track in reading, writing and maths) for every year, except the terms the
schools were closed (Summer 2019/20, Spring 2020/21). Groups of 5 pupils or fewer are written
`c`, never 0, as the DfE publishes them.

How the figures are made (per pupil, so every group's figure is k of its n pupils and the
groups add up): a pupil's chance of reaching the expected standard is the national figure for
that year (close to the published England figures to 2024/25; 2025/26 is invented) plus the
school's own fixed effect (partnership schools are somewhat lower-attaining at baseline, except
the trust) plus a shock for that school's year group plus pupil-group gaps (disadvantaged,
SEND, boys and girls) plus the planted effect below; then each pupil succeeds or not. Scores and
progress are pupils' figures averaged. National and local authority comparison lines follow
the same trend. Because the trend is shared and added on the percentage-point scale, the
comparison schools' change over the same years is the right counterfactual, so a
difference-in-differences can recover what was planted, give or take the sampling noise of a
few small schools.

What was planted (also in `PLANTED`, machine-readable):

1. A real improvement. Programme Cohort 2 ("Leading learning framework", six schools, joined
   1 September 2018): +12 percentage points on KS2 reading, writing and maths at the expected
   standard (`ks2_rwm_exp`), half of it (+6) in the first summer after joining (2018/19) and
   all of it from the second summer on; with it +4 points on the higher standard, +2 and +3
   on the reading and maths scaled scores, +2, +2 and +3 on the reading, writing and maths
   progress scores (the same Year 6 pupils), and +6 points on each termly teacher assessment
   across Years 1 to 6 (half in 2018/19). Phonics, GLD and KS1 unchanged. The points are added
   to each pupil's chance, so the school figures move by about that much, give or take a
   pupil. On the EEF's scale +12 points from about 55% is an effect size of about 0.24, some
   three months' progress: a strong programme, not a miracle.
2. No effect. Programme Cohort 4 ("Effective learning from Early Years to KS1", four schools,
   joined 1 September 2021): exactly zero on every measure.
3. Regression to the mean, no effect. Programme Cohort 3 ("Management collaboration", three
   schools, joined 1 September 2019) joined after a bad year: their 2018/19 KS2 year groups were
   9 points below their usual level (scores and progress a little lower too), a one-off. Their
   results "bounce back" after joining with a true effect of zero; an honest analysis flags it.

Everything else (the trust, the cluster, Cohorts 1 and 5, Ofsted grades, CPD) carries no
planted effect on attainment: the true effect is zero. Ofsted grades follow each school's
fixed effect (and rise a little for Cohort 2 after joining); CPD outcomes are descriptive.

Why six schools and +12 points. A school's KS2 percentage from 30 to 90 pupils wobbles by 5
to 9 points a year by the luck of the year group, and with six schools an honest 95%
interval (Student t on five degrees of freedom, see `impact.analysis.did`) is about ±6
points. The demo first planted +6 points on four schools: across 40 of the generator's
seeds the interval excluded zero about one time in five (the effect was there; the demo
could not show it). So the cohort and the effect were set on power, before looking at any
one seed: six schools (the most in the seed case studies' cohorts), and the smallest of +8,
+10 and +12 points that shows the planted effect at least nine times in ten. Across
seeds 1 to 200 of this generator, `impact_estimate`'s interval for Cohort 2 (base
`pre_mean`) excludes zero and covers what was planted in 93% of draws against schools not
yet joined and 92.5% against schools that never joined (from the last year before joining
alone: 66% and 61%); +8 points would have given about 60% and +10 about 80% (100 seeds).
Cohort 4's interval covers zero in 99% of draws. bench/results/did_simulation.md ("The
demo's planted effects") has the figures; `python -m bench.simulate_did` recomputes them.
`SEED` is 2024, as it always was; with it Cohort 2 shows the effect and Cohort 4 does not
(tests/analysis/test_demo_estimates.py). The regression-to-the-mean story is the least sure:
a 9-point dip in three small schools is within a year group's luck, and across seeds it is
called out (by the dip flag or the pre-trend check) only about 28% of the time, though with
seed 2024 it is.

What an analysis should expect to see: these are a few small schools, so a realised estimate
differs from the planted truth by sampling noise. A simple difference-in-differences of
pupil-weighted cohort means against the twenty comparison schools (years before joining
against years from the second summer on) varies from seed to seed by about 3 points (one
standard deviation) for Cohort 2 and Cohort 4; with seed 2024 it gives +12.6 for Cohort 2 and
-1.0 for Cohort 4 (tests/test_demo.py computes it).
Termly teacher assessment, with every pupil in Years 1 to 6 three times a year, shows Cohort
2's effect far more sharply. `simulate(effects=False)` gives the same world without the planted
effects, pupil for pupil. Two of Cohort 2's schools (Wickham Down and Yewbarrow) were added
after the first version; they draw from random streams of their own, so every other school's
figures are exactly what they were.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impact import config
from impact.auth import DEMO_ADMIN
from impact.domain import areas, ofsted, roles
from impact.domain import cpd as cpd_domain
from impact.domain import measures as m
from impact.domain.academic_years import (
    format_academic_year,
    last_ended_term,
    start_year,
    term_order,
)
from impact.domain.pupil_groups import PUPIL_GROUPS
from impact.importing.templates import filled_workbook_bytes, template_kinds

SEED = 2024

LA_NAME = "Wyvernshire"
LA_CODE = "990"
ENGLAND_CODE = areas.ENGLAND_CODE

TRUST = "Kestrel Vale Academy Trust"
CLUSTER = "Three Brooks First Schools"
PROGRAMME = "Wyvern School-to-School Programme"
WHOLE = "All schools"  # the cohort of a trust or cluster that works as one

FIRST_YEAR = 2015  # 2015/16
LAST_YEAR = 2025  # 2025/26
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
NO_STATUTORY = (2019, 2020)
STATUTORY_YEARS = tuple(y for y in YEARS if y not in NO_STATUTORY)
NO_KS2_PROGRESS = (2023, 2024)
KS1_LAST_YEAR = 2022  # KS1 assessment non-statutory from 2023/24
CLOSED_TERMS = {(2019, "Summer"), (2020, "Spring")}  # schools closed: no termly assessment
# Two schools whose return for the latest term is missing, so the returns check has someone to
# chase (with their contact) on a first visit.
LATE_RETURNS = (990002, 990036)


def last_term(today: dt.date | None = None) -> tuple[int, str]:
    """The demo's last term of termly returns: the latest term that has ended by `today`
    (start year, term), and never before Summer of `LAST_YEAR`. The demo's calendar moves with
    the date it is built on, so its returns are due when the product says they are."""
    year, term = last_ended_term(today or dt.date.today())
    if (start_year(year), term_order(term)) < (LAST_YEAR, term_order("Summer")):
        return LAST_YEAR, "Summer"
    return start_year(year), term


def _within(year: int, term: str, last: tuple[int, str]) -> bool:
    return (year, term_order(term)) <= (last[0], term_order(last[1]))

D = dt.date

# --- the schools ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolSpec:
    urn: int
    name: str
    school_type: str
    size: int  # pupils in a year group, typically
    group: str  # trust | cluster | c1 … c5 | comparison
    first: bool = False  # a first school: Reception to Year 4, no KS2
    # Added after the demo's first version: the school draws from random streams of its own
    # (keyed by its URN and the seed), so adding it changed no other school's figures.
    added: bool = False


@dataclass(frozen=True)
class MemberSpec:
    urn: int
    partnership: str
    cohort: str
    joined: dt.date
    left: dt.date | None = None


PARTNERSHIP_TYPES = {TRUST: "Multi-academy trust", CLUSTER: "Cluster",
                     PROGRAMME: "School-to-school programme"}

# (partnership, cohort) -> (focus, start date)
COHORTS: dict[tuple[str, str], tuple[str, dt.date]] = {
    (TRUST, WHOLE): ("School review days and joint professional development", D(2018, 9, 1)),
    (CLUSTER, WHOLE): ("Joint self-review, moderation and learning walks", D(2017, 9, 1)),
    (PROGRAMME, "Cohort 1"): ("Highest quality teaching", D(2017, 9, 1)),
    (PROGRAMME, "Cohort 2"): ("Leading learning framework", D(2018, 9, 1)),
    (PROGRAMME, "Cohort 3"): ("Management collaboration", D(2019, 9, 1)),
    (PROGRAMME, "Cohort 4"): ("Effective learning from Early Years to KS1", D(2021, 9, 1)),
    (PROGRAMME, "Cohort 5"): ("Action research learning", D(2022, 9, 1)),
}
_PROGRAMME_GROUP = {f"c{i}": f"Cohort {i}" for i in range(1, 6)}

SCHOOLS: tuple[SchoolSpec, ...] = (
    SchoolSpec(990001, "Kestrel Vale Primary", "Academy converter", 30, "trust"),
    SchoolSpec(990002, "Hollinbrook Primary", "Academy converter", 45, "trust"),
    SchoolSpec(990003, "Larkmead Primary", "Academy converter", 30, "trust"),
    SchoolSpec(990004, "Wrenfold Primary", "Academy converter", 28, "trust"),
    SchoolSpec(990005, "Amberleigh Primary", "Academy converter", 30, "trust"),
    SchoolSpec(990006, "Thistlecombe Primary", "Academy converter", 20, "trust"),
    SchoolSpec(990007, "Fennimore Green Primary", "Academy sponsor led", 60, "trust"),
    SchoolSpec(990011, "Millbrook First School", "Community school", 30, "cluster", True),
    SchoolSpec(990012, "Ashbrook First School and Nursery", "Foundation school", 45, "cluster",
               True),
    SchoolSpec(990013, "Rushbrook First School", "Community school", 30, "cluster", True),
    SchoolSpec(990021, "Copperfield Lane Primary", "Community school", 30, "c1"),
    SchoolSpec(990022, "Nettlecombe Primary", "Voluntary controlled school", 28, "c1"),
    SchoolSpec(990023, "Harrowgate Fields Primary", "Academy converter", 45, "c1"),
    SchoolSpec(990024, "Brackenhurst Primary", "Community school", 90, "c2"),
    SchoolSpec(990025, "Quillan Road Primary", "Community school", 60, "c2"),
    SchoolSpec(990026, "Saltmarsh Primary", "Academy converter", 60, "c2"),
    SchoolSpec(990027, "Elderwick Primary", "Foundation school", 45, "c2"),
    SchoolSpec(990038, "Wickham Down Primary", "Community school", 60, "c2", added=True),
    SchoolSpec(990039, "Yewbarrow Primary", "Academy converter", 45, "c2", added=True),
    SchoolSpec(990028, "Pellow Cross Primary", "Community school", 30, "c3"),
    SchoolSpec(990029, "Gorsey Bank Primary", "Academy sponsor led", 30, "c3"),
    SchoolSpec(990030, "Tamberlin Primary", "Community school", 45, "c3"),
    SchoolSpec(990031, "Oxley Mead Primary", "Community school", 45, "c4"),
    SchoolSpec(990032, "Dunmore Heath Primary", "Voluntary aided school", 30, "c4"),
    SchoolSpec(990033, "Sparrowdale Primary", "Academy converter", 60, "c4"),
    SchoolSpec(990034, "Cobbleton Primary", "Community school", 30, "c4"),
    SchoolSpec(990035, "Ravensmere Primary", "Community school", 30, "c5"),
    SchoolSpec(990036, "Bellstone Primary", "Academy converter", 28, "c5"),
    SchoolSpec(990037, "Pipers Wold Primary", "Community school", 20, "c5"),
    SchoolSpec(990101, "Ashcombe Hill Primary", "Community school", 30, "comparison"),
    SchoolSpec(990102, "Brindlecote Primary", "Academy converter", 45, "comparison"),
    SchoolSpec(990103, "Cressley Moor Primary", "Community school", 30, "comparison"),
    SchoolSpec(990104, "Dovecote Hollow Primary", "Voluntary controlled school", 28,
               "comparison"),
    SchoolSpec(990105, "Eastmere Primary", "Academy converter", 60, "comparison"),
    SchoolSpec(990106, "Farrowby Primary", "Community school", 30, "comparison"),
    SchoolSpec(990107, "Glenholme Primary", "Foundation school", 20, "comparison"),
    SchoolSpec(990108, "Hartwell Brook Primary", "Community school", 30, "comparison"),
    SchoolSpec(990109, "Ivymoor Primary", "Academy converter", 45, "comparison"),
    SchoolSpec(990110, "Juniper Row Primary", "Community school", 30, "comparison"),
    SchoolSpec(990111, "Kellingmoor Primary", "Academy sponsor led", 30, "comparison"),
    SchoolSpec(990112, "Lowerby Primary", "Community school", 15, "comparison"),
    SchoolSpec(990113, "Marrowfield Primary", "Academy converter", 60, "comparison"),
    SchoolSpec(990114, "Netherwold Primary", "Community school", 30, "comparison"),
    SchoolSpec(990115, "Otterdale Primary", "Community school", 45, "comparison"),
    SchoolSpec(990116, "Quaystone Primary", "Academy converter", 30, "comparison"),
    SchoolSpec(990117, "Rookhaven Primary", "Community school", 28, "comparison"),
    SchoolSpec(990118, "St Aldwyn's Church of England Primary", "Voluntary aided school", 8,
               "comparison"),
    SchoolSpec(990119, "Wexcombe First School", "Community school", 30, "comparison", True),
    SchoolSpec(990120, "Yarrowby First School", "Community school", 20, "comparison", True),
)
_BY_URN = {s.urn: s for s in SCHOOLS}


def _memberships() -> tuple[MemberSpec, ...]:
    trust_joined = {990001: D(2018, 9, 1), 990002: D(2018, 9, 1), 990003: D(2018, 9, 1),
                    990004: D(2018, 9, 1), 990005: D(2019, 9, 1), 990006: D(2020, 1, 1),
                    990007: D(2021, 9, 1)}
    out = [MemberSpec(urn, TRUST, WHOLE, day) for urn, day in trust_joined.items()]
    for school in SCHOOLS:
        if school.group == "cluster":
            out.append(MemberSpec(school.urn, CLUSTER, WHOLE, COHORTS[(CLUSTER, WHOLE)][1]))
        elif school.group in _PROGRAMME_GROUP:
            cohort = _PROGRAMME_GROUP[school.group]
            left = D(2024, 8, 31) if school.urn == 990037 else None
            out.append(MemberSpec(school.urn, PROGRAMME, cohort,
                                  COHORTS[(PROGRAMME, cohort)][1], left))
    # Tamberlin Primary stayed on from Cohort 3 into Cohort 5's action research.
    out.append(MemberSpec(990030, PROGRAMME, "Cohort 5", COHORTS[(PROGRAMME, "Cohort 5")][1]))
    return tuple(out)


MEMBERSHIPS = _memberships()


# --- who can sign in ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: str
    password: str  # fictional data only: shown on the demo's sign-in page and by `make run`
    urns: tuple[int, ...] = ()
    partnerships: tuple[str, ...] = ()
    about: str = ""


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin@demo.example", "Alex Morgan", roles.ADMIN, "demo-admin-1",
                about="the trust's data manager: everything, including accounts and the "
                      "audit log"),
    DemoAccount("head@demo.example", "Sam Patel", roles.HEAD, "demo-head-1", (990001, 990002),
                about="executive head of Kestrel Vale Primary and Hollinbrook Primary: "
                      "uploads and undoes only for those two schools"),
    DemoAccount("governor@demo.example", "Jo Okafor", roles.GOVERNOR, "demo-governor-1",
                partnerships=(TRUST,),
                about=f"a governor of {TRUST}: reads only, in the governor view"),
)


def _urns(group: str) -> list[int]:
    return [s.urn for s in SCHOOLS if s.group == group]


# --- what was planted ------------------------------------------------------------------------

PLANTED: dict[str, Any] = {
    "seed": SEED,
    "improving": {
        "partnership": PROGRAMME,
        "cohort": "Cohort 2",
        "focus": "Leading learning framework",
        "urns": _urns("c2"),
        "joined": "2018-09-01",
        "first_summer": "2018/19",
        "measure": "ks2_rwm_exp",
        "effect_points": 12.0,
        # share of the full effect by years since joining (0 = the first summer after
        # joining, 2018/19); 1 means every later year too. Before joining: none.
        "phase_in": {0: 0.5, 1: 1.0},
        "related": {"ks2_rwm_high": 4.0, "ks2_read_score": 2.0, "ks2_mat_score": 3.0,
                    "ks2_read_progress": 2.0, "ks2_writ_progress": 2.0,
                    "ks2_mat_progress": 3.0, "ta_reading": 6.0, "ta_writing": 6.0,
                    "ta_maths": 6.0},
        "unaffected": ["phonics_y1", "eyfs_gld", "ks1_rwm_exp"],
        "how": "added to every pupil's chance (or score) in the cohort's schools, so each "
               "school's figure moves by about this much, give or take sampling noise",
        "power": "across generator seeds 1 to 200, impact_estimate's 95% interval (base "
                 "pre_mean) excludes zero and covers the planted effect in 93% of draws "
                 "against schools not yet joined and 92.5% against schools that never joined "
                 "(bench/results/did_simulation.md)",
    },
    "no_effect": {
        "partnership": PROGRAMME,
        "cohort": "Cohort 4",
        "focus": "Effective learning from Early Years to KS1",
        "urns": _urns("c4"),
        "joined": "2021-09-01",
        "first_summer": "2021/22",
        "measure": "ks2_rwm_exp",
        "effect_points": 0.0,
        "all_measures_zero": True,
        "power": "its 95% interval covers zero in 99% of generator seeds",
    },
    "regression_to_mean": {
        "partnership": PROGRAMME,
        "cohort": "Cohort 3",
        "focus": "Management collaboration",
        "urns": _urns("c3"),
        "joined": "2019-09-01",
        "measure": "ks2_rwm_exp",
        "effect_points": 0.0,
        "dip_year": "2018/19",
        "dip_points": -9.0,
        "note": "a one-off weak year group the summer before joining: a naive before/after "
                "comparison shows a rise after joining that is not an effect",
        "power": "called out (dip flag or pre-trend check) in about 28% of generator seeds; "
                 "with seed 2024 the dip flag fires",
    },
    "comparison": {
        "urns": _urns("comparison"),
        "note": "20 schools in no partnership in the same local authority (two first schools)",
    },
    "elsewhere": "every other partnership, cohort and measure has a true effect of exactly "
                 "zero (the trust, the cluster, Cohorts 1 and 5)",
}


def planted_effect(urn: int, measure: str, start_year: int) -> float:
    """The planted effect on `measure` for a school in the academic year starting
    `start_year`, in the measure's own units: what the generator adds, by construction."""
    plan = PLANTED["improving"]
    if urn not in plan["urns"]:
        return 0.0
    since = start_year - int(plan["joined"][:4])
    if since < 0:
        return 0.0
    share = plan["phase_in"][min(since, max(plan["phase_in"]))]
    if measure == plan["measure"]:
        return share * plan["effect_points"]
    return share * plan["related"].get(measure, 0.0)


def _dip(urn: int, start_year: int) -> float:
    plan = PLANTED["regression_to_mean"]
    if urn in plan["urns"] and format_academic_year(start_year) == plan["dip_year"]:
        return plan["dip_points"]
    return 0.0


# --- national figures (England, all pupils) -------------------------------------------------

NATIONAL: dict[str, dict[int, float]] = {
    "ks2_rwm_exp": {2015: 53, 2016: 61, 2017: 64, 2018: 65, 2021: 59, 2022: 60, 2023: 61,
                    2024: 62, 2025: 62},
    "ks2_rwm_high": {2015: 5, 2016: 9, 2017: 10, 2018: 11, 2021: 7, 2022: 8, 2023: 8, 2024: 8,
                     2025: 9},
    "ks2_read_score": {2015: 103, 2016: 104, 2017: 105, 2018: 104, 2021: 105, 2022: 105,
                       2023: 105, 2024: 106, 2025: 106},
    "ks2_mat_score": {2015: 103, 2016: 104, 2017: 104, 2018: 105, 2021: 104, 2022: 104,
                      2023: 104, 2024: 105, 2025: 105},
    "phonics_y1": {2015: 81, 2016: 81, 2017: 82, 2018: 82, 2021: 75, 2022: 79, 2023: 80,
                   2024: 80, 2025: 81},
    "eyfs_gld": {2015: 69, 2016: 71, 2017: 72, 2018: 72, 2021: 65, 2022: 67, 2023: 68,
                 2024: 68, 2025: 69},
    "ks1_rwm_exp": {2015: 60, 2016: 64, 2017: 65, 2018: 65, 2021: 53, 2022: 56},
}
PROGRESS = ("ks2_read_progress", "ks2_writ_progress", "ks2_mat_progress")
KS2_MEASURES = ("ks2_rwm_exp", "ks2_rwm_high", "ks2_read_score", "ks2_mat_score", *PROGRESS)
TA_MEASURES = ("ta_reading", "ta_writing", "ta_maths")
TA_BASE = {"ta_reading": 76.0, "ta_writing": 68.0, "ta_maths": 74.0}
TERM_DRIFT = {"Autumn": -4.0, "Spring": -1.0, "Summer": 2.0}
COVID_TA = {(2020, "Autumn"): -8.0, (2020, "Summer"): -5.0, (2021, "Autumn"): -4.0,
            (2021, "Spring"): -2.0, (2021, "Summer"): -1.0}

# National shares the gaps below are centred on (so they average to zero nationally).
SHARE = {"disadvantaged": 0.30, "send": 0.15, "boys": 0.51}
# Gaps in percentage points (rates), points (scores) or progress points, for pupils in / not in
# the group: (in group, not in group).
GAPS = {
    "rate": {"disadvantaged": (-14.0, 6.0), "send": (-35.0, 6.18), "boys": (-4.0, 4.16)},
    "ks2_read_score": {"disadvantaged": (-2.5, 1.07), "send": (-6.0, 1.06), "boys": (-1.5, 1.56)},
    "ks2_mat_score": {"disadvantaged": (-2.8, 1.2), "send": (-6.0, 1.06), "boys": (0.8, -0.83)},
    "progress": {"disadvantaged": (-0.7, 0.3), "send": (-1.2, 0.21), "boys": (-0.2, 0.21)},
}

# --- the random world -----------------------------------------------------------------------

_ALPHA = {"trust": (2.0, 4.0), "cluster": (2.0, 4.0), "c1": (-4.0, 4.0), "c2": (-6.0, 3.0),
          "c3": (-3.0, 4.0), "c4": (-4.0, 4.0), "c5": (-5.0, 4.0), "comparison": (0.0, 6.0)}
_DISADVANTAGED = {"trust": (0.12, 0.30), "cluster": (0.10, 0.25), "comparison": (0.10, 0.45)}


@dataclass(frozen=True)
class School:
    spec: SchoolSpec
    alpha: float  # the school's own level, percentage points above national
    progress: tuple[float, float, float]  # reading, writing, maths progress (school level)
    disadvantaged: float
    send: float
    eal: float
    pupils: int
    capacity: int
    quality: float  # Ofsted latent (higher is better)

    @property
    def urn(self) -> int:
        return self.spec.urn

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def year_groups(self) -> int:
        return 5 if self.spec.first else 7

    @property
    def in_partnership(self) -> bool:
        return self.spec.group != "comparison"


def _own(purpose: int, urn: int, seed: int) -> np.random.Generator:
    """A random stream of an added school's own (see `SchoolSpec.added`)."""
    return np.random.default_rng([SEED_OFFSET + purpose, urn, seed])


def _schools(rng: np.random.Generator, seed: int) -> list[School]:
    out = []
    world = rng
    for spec in SCHOOLS:
        rng = _own(2, spec.urn, seed) if spec.added else world
        mean, sd = _ALPHA[spec.group]
        alpha = float(rng.normal(mean, sd))
        low, high = _DISADVANTAGED.get(spec.group, (0.25, 0.50))
        base_progress = 0.12 * alpha + float(rng.normal(0, 1.0))
        reading, writing, maths = (round(base_progress + float(rng.normal(0, 0.6)), 3)
                                   for _ in range(3))
        per_year = next(c for c in (10, 15, 20, 30, 45, 60, 90) if c >= spec.size)
        year_groups = 5 if spec.first else 7
        out.append(School(
            spec=spec, alpha=alpha, progress=(reading, writing, maths),
            disadvantaged=float(rng.uniform(low, high)), send=float(rng.uniform(0.10, 0.20)),
            eal=float(rng.uniform(0.02, 0.35)),
            pupils=int(round(spec.size * year_groups * rng.uniform(0.90, 1.02))),
            capacity=per_year * year_groups,
            quality=alpha / 7 + float(rng.normal(0, 0.6))))
    return out


@dataclass
class Pupils:
    """One year group's pupils: who is in which group."""

    disadvantaged: np.ndarray
    boys: np.ndarray
    send: np.ndarray
    eal: np.ndarray

    @classmethod
    def draw(cls, rng: np.random.Generator, school: School, n: int) -> Pupils:
        return cls(rng.random(n) < school.disadvantaged, rng.random(n) < SHARE["boys"],
                   rng.random(n) < school.send, rng.random(n) < school.eal)

    def groups(self, codes: tuple[str, ...] = tuple(PUPIL_GROUPS)) -> dict[str, np.ndarray]:
        masks = {"all": np.ones_like(self.boys), "disadvantaged": self.disadvantaged,
                 "not_disadvantaged": ~self.disadvantaged, "boys": self.boys,
                 "girls": ~self.boys, "send": self.send, "eal": self.eal}
        return {code: masks[code] for code in codes}

    def gap(self, table: dict[str, tuple[float, float]]) -> np.ndarray:
        total = np.zeros(len(self.boys))
        for name, mask in (("disadvantaged", self.disadvantaged), ("send", self.send),
                           ("boys", self.boys)):
            inside, outside = table[name]
            total += np.where(mask, inside, outside)
        return total


def _percent(k: int, n: int) -> int:
    """A whole-number percentage of k out of n, rounded half up as the DfE publishes."""
    return int(math.floor(100 * k / n + 0.5))


def _group_rows(school: School, year: int, term: str, measure: str, pupils: Pupils,
                values: np.ndarray, *, rate: bool, digits: int = 0,
                groups: tuple[str, ...] = tuple(PUPIL_GROUPS)) -> list[dict[str, Any]]:
    """One row per pupil group with any pupils; 5 pupils or fewer are written c."""
    rows = []
    for code, mask in pupils.groups(groups).items():
        n = int(mask.sum())
        if n == 0:
            continue
        if n <= 5:
            value: Any = "c"
        elif rate:
            value = _percent(int(values[mask].sum()), n)
        else:
            value = round(float(values[mask].mean()), digits)
            value = int(value) if digits == 0 else value
        rows.append({"urn": school.urn, "school_name": school.name,
                     "academic_year": format_academic_year(year), "term": term,
                     "measure": m.measure(measure).label, "pupil_group": PUPIL_GROUPS[code],
                     "cohort_size": n, "value": value})
    return rows


def _cohort(rng: np.random.Generator, school: School) -> int:
    return max(3, int(round(school.spec.size * rng.uniform(0.85, 1.05))))


def _ks2(rng: np.random.Generator, school: School, year: int, effects: bool
         ) -> list[dict[str, Any]]:
    n = _cohort(rng, school)
    pupils = Pupils.draw(rng, school, n)
    shock = float(rng.normal(0, 2.0)) + _dip(school.urn, year)
    effect = {code: planted_effect(school.urn, code, year) if effects else 0.0
              for code in KS2_MEASURES}
    chance = (NATIONAL["ks2_rwm_exp"][year] + school.alpha + shock + effect["ks2_rwm_exp"]
              + pupils.gap(GAPS["rate"]))
    p_expected = np.clip(chance / 100, 0.02, 0.98)
    ratio = NATIONAL["ks2_rwm_high"][year] / NATIONAL["ks2_rwm_exp"][year]
    p_higher = np.minimum(p_expected, p_expected * ratio * math.exp(school.alpha / 30)
                          + effect["ks2_rwm_high"] / 100)
    draw = rng.random(n)
    level = school.alpha + shock
    scores = {}
    for code in ("ks2_read_score", "ks2_mat_score"):
        raw = (NATIONAL[code][year] + 0.2 * level + effect[code] + pupils.gap(GAPS[code])
               + rng.normal(0, 6.5, n))
        scores[code] = np.clip(np.round(raw), 80, 120)
    rows = (_group_rows(school, year, "Summer", "ks2_rwm_exp", pupils, draw < p_expected,
                        rate=True)
            + _group_rows(school, year, "Summer", "ks2_rwm_high", pupils, draw < p_higher,
                          rate=True)
            + _group_rows(school, year, "Summer", "ks2_read_score", pupils,
                          scores["ks2_read_score"], rate=False)
            + _group_rows(school, year, "Summer", "ks2_mat_score", pupils,
                          scores["ks2_mat_score"], rate=False))
    progress_draws = [rng.normal(0, 5.5, n) for _ in PROGRESS]  # drawn every year: stable seed
    if year not in NO_KS2_PROGRESS:
        for code, own, noise in zip(PROGRESS, school.progress, progress_draws, strict=True):
            values = own + 0.08 * shock + effect[code] + pupils.gap(GAPS["progress"]) + noise
            rows += _group_rows(school, year, "Summer", code, pupils, values, rate=False,
                                digits=1)
    return rows


def _early(rng: np.random.Generator, school: School, year: int, code: str, effects: bool
           ) -> list[dict[str, Any]]:
    """Phonics, GLD or KS1: a year group's pass rate, driven like KS2 but by its own shock."""
    n = _cohort(rng, school)
    pupils = Pupils.draw(rng, school, n)
    chance = (NATIONAL[code][year] + 0.6 * school.alpha + float(rng.normal(0, 3.0))
              + (planted_effect(school.urn, code, year) if effects else 0.0)
              + 0.7 * pupils.gap(GAPS["rate"]))
    passed = rng.random(n) < np.clip(chance / 100, 0.02, 0.98)
    return _group_rows(school, year, "Summer", code, pupils, passed, rate=True)


def _teacher_assessment(rng: np.random.Generator, school: School, year: int, effects: bool
                        ) -> list[dict[str, Any]]:
    """Termly % on track across Years 1 to 6 (1 to 4 in a first school): the same pupils all
    year, so a pupil on track in Spring is on track in Summer unless the school's picture
    worsens."""
    n = int(round(school.pupils * (school.year_groups - 1) / school.year_groups))
    pupils = Pupils.draw(rng, school, n)
    shock = float(rng.normal(0, 2.0))
    rows = []
    for code in TA_MEASURES:
        draw = rng.random(n)
        effect = planted_effect(school.urn, code, year) if effects else 0.0
        gap = pupils.gap(GAPS["rate"]) * 0.8
        if code == "ta_maths":  # boys are not behind in maths
            gap -= np.where(pupils.boys, -4.0 * 0.8, 4.16 * 0.8)
        for term in ("Autumn", "Spring", "Summer"):
            if (year, term) in CLOSED_TERMS:
                continue
            chance = (TA_BASE[code] + 0.6 * school.alpha + shock + TERM_DRIFT[term]
                      + COVID_TA.get((year, term), 0.0) + effect + gap)
            on_track = draw < np.clip(chance / 100, 0.02, 0.99)
            rows += _group_rows(school, year, term, code, pupils, on_track, rate=True,
                                groups=("all", "disadvantaged", "not_disadvantaged", "boys",
                                        "girls"))
    return rows


SEED_OFFSET = 7  # separates the per-school streams from the world's stream


def _attainment(rng: np.random.Generator, schools: list[School], effects: bool, seed: int,
                last: tuple[int, str] = (LAST_YEAR, "Summer")) -> dict[int, pd.DataFrame]:
    later = tuple(range(LAST_YEAR + 1, last[0] + 1))  # termly returns only (see `last_term`)
    by_year: dict[int, list[dict[str, Any]]] = {year: [] for year in (*YEARS, *later)}
    for school in schools:
        # One generator per school, so a school's figures do not depend on the others.
        own = (_own(0, school.urn, seed) if school.spec.added else
               np.random.default_rng([SEED_OFFSET, school.urn, int(rng.integers(2**31))]))
        for year in YEARS:
            rows = by_year[year]
            if year in STATUTORY_YEARS:
                if not school.spec.first:
                    rows += _ks2(own, school, year, effects)
                if year <= KS1_LAST_YEAR:
                    rows += _early(own, school, year, "ks1_rwm_exp", effects)
                rows += _early(own, school, year, "phonics_y1", effects)
                rows += _early(own, school, year, "eyfs_gld", effects)
            if school.in_partnership:
                rows += _teacher_assessment(own, school, year, effects)
        # Later years draw after all of the school's own, so no earlier figure changes.
        for year in later:
            if school.in_partnership:
                by_year[year] += [r for r in _teacher_assessment(own, school, year, effects)
                                  if _within(year, r["term"], last)]
    return {year: pd.DataFrame(rows) for year, rows in by_year.items() if rows}


# --- comparison figures ---------------------------------------------------------------------

NATIONAL_PUPILS = {2015: 560_000, 2016: 585_000, 2017: 615_000, 2018: 640_000, 2021: 655_000,
                   2022: 665_000, 2023: 675_000, 2024: 680_000, 2025: 670_000}
GROUP_SHARE = {"all": 1.0, "disadvantaged": 0.30, "not_disadvantaged": 0.70, "boys": 0.51,
               "girls": 0.49, "send": 0.15, "eal": 0.21}


def _benchmark_value(code: str, year: int, group: str) -> float:
    """The national figure for a pupil group: the all-pupil figure plus the group's gap."""
    if code in PROGRESS:
        table, base = GAPS["progress"], 0.0
    elif code in ("ks2_read_score", "ks2_mat_score"):
        table, base = GAPS[code], NATIONAL[code][year]
    else:
        table, base = GAPS["rate"], NATIONAL[code][year]
    scale = 1.0 if code in KS2_MEASURES else 0.7
    if code == "ks2_rwm_high":
        scale = NATIONAL[code][year] / NATIONAL["ks2_rwm_exp"][year]
    key = {"disadvantaged": ("disadvantaged", 0), "not_disadvantaged": ("disadvantaged", 1),
           "send": ("send", 0), "boys": ("boys", 0), "girls": ("boys", 1)}.get(group)
    gap = 0.0 if key is None else table[key[0]][key[1]]
    return base + scale * gap


def _la_scale(code: str, year: int) -> float:
    """How far the local authority sits from England, in the measure's own units."""
    if code in PROGRESS:
        return 0.1
    if m.measure(code).unit == m.SCORE:
        return 0.3
    if code == "ks2_rwm_high":
        return NATIONAL[code][year] / NATIONAL["ks2_rwm_exp"][year]
    return 1.0


def _benchmarks(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    codes = [*KS2_MEASURES, "phonics_y1", "eyfs_gld", "ks1_rwm_exp"]
    la_offset = {code: float(rng.normal(-1.5, 0.5)) for code in codes}
    for year in STATUTORY_YEARS:
        for code in codes:
            if code in PROGRESS and year in NO_KS2_PROGRESS:
                continue
            if code == "ks1_rwm_exp" and year > KS1_LAST_YEAR:
                continue
            measure = m.measure(code)
            digits = 1 if code in PROGRESS else 0
            for group, share in GROUP_SHARE.items():
                value = _benchmark_value(code, year, group)
                for area_type, area_code, area_name, pupils, offset in (
                        ("National", ENGLAND_CODE, "England", NATIONAL_PUPILS[year], 0.0),
                        ("Local authority", LA_CODE, LA_NAME, NATIONAL_PUPILS[year] // 90,
                         (la_offset[code] + float(rng.normal(0, 0.4))) * _la_scale(code, year))):
                    shown = round(value + offset, digits)
                    if measure.is_percent:
                        shown = min(100, max(0, shown))
                    rows.append({
                        "area_type": area_type, "area_code": area_code, "area_name": area_name,
                        "academic_year": format_academic_year(year), "term": "Summer",
                        "measure": measure.label, "pupil_group": PUPIL_GROUPS[group],
                        "cohort_size": int(round(pupils * share)),
                        "value": int(shown) if digits == 0 else shown})
    return pd.DataFrame(rows)


# --- Ofsted ---------------------------------------------------------------------------------

_COVID_PAUSE = (D(2020, 3, 17), D(2021, 9, 1))
LAST_INSPECTION = D(2026, 10, 31)


def _school_day(day: dt.date, weekdays: tuple[int, ...] = (1, 2)) -> dt.date:
    """The next inspection-like day: a Tuesday or Wednesday in term time."""
    while True:
        if day.month == 8:
            day = D(day.year, 9, 8)
        if (day.month == 12 and day.day > 16) or (day.month == 1 and day.day < 6):
            day = D(day.year + (day.month == 12), 1, 6)
        if day.weekday() in weekdays:
            return day
        day += dt.timedelta(days=1)


def _grade(scale: tuple[str, ...], value: float, cuts: tuple[float, ...]) -> str:
    for label, cut in zip(scale, cuts, strict=False):
        if value > cut:
            return label
    return scale[-1]


_FOUR_CUTS = (0.9, -1.2, -2.2)
_FIVE_CUTS = (1.6, 0.5, -1.0, -2.0)
_CIF_AREAS = ("leadership_and_management", "early_years")  # before September 2019
_EIF_AREAS = ("quality_of_education", "behaviour_and_attitudes", "personal_development",
              "leadership_and_management", "early_years")
_RC_AREAS = ("inclusion", "curriculum_and_teaching", "achievement", "attendance_and_behaviour",
             "personal_development_and_wellbeing", "leadership_and_governance", "early_years")


def _inspection(rng: np.random.Generator, school: School, day: dt.date, effects: bool
                ) -> dict[str, Any]:
    improving = PLANTED["improving"]
    one_year_in = dt.date.fromisoformat(improving["joined"]) + dt.timedelta(days=365)
    lift = 0.8 if effects and school.urn in improving["urns"] and day >= one_year_in else 0.0
    q = school.quality + lift + float(rng.normal(0, 0.35))
    framework = ofsted.framework_for(day)
    row: dict[str, Any] = {"urn": school.urn, "school_name": school.name,
                           "inspection_date": day,
                           "framework": framework.code.replace("_", " ")}
    if framework is ofsted.REPORT_CARD:
        row["inspection_type"] = "Report card inspection"
        for area in _RC_AREAS:
            shift = 0.02 * school.alpha if area == "achievement" else 0.0
            row[area] = _grade(ofsted.FIVE_POINT, q + shift + float(rng.normal(0, 0.45)),
                               _FIVE_CUTS)
        row["safeguarding"] = "Not met" if q < -2.0 else "Met"
        return row
    areas = _CIF_AREAS if day < D(2019, 9, 1) else _EIF_AREAS
    for area in areas:
        row[area] = _grade(ofsted.FOUR_POINT, q + float(rng.normal(0, 0.4)), _FOUR_CUTS)
    if framework is ofsted.GRADED:
        row["inspection_type"] = "Graded inspection"
        row["overall_effectiveness"] = _grade(ofsted.FOUR_POINT, q, _FOUR_CUTS)
    else:
        row["inspection_type"] = "Inspection with key judgements"
    row["safeguarding"] = "No" if q < -2.2 else "Yes"
    return row


def _ofsted(rng: np.random.Generator, schools: list[School], effects: bool, seed: int
            ) -> pd.DataFrame:
    rows = []
    for school in schools:
        # One generator per school, so a grade changed by the planting moves no other school.
        own = (_own(1, school.urn, seed) if school.spec.added else
               np.random.default_rng([SEED_OFFSET + 1, school.urn,
                                      int(rng.integers(2**31))]))
        day = _school_day(D(2013, 9, 10) + dt.timedelta(days=int(own.integers(0, 4 * 365))))
        while day <= LAST_INSPECTION:
            row = _inspection(own, school, day, effects)
            rows.append(row)
            weak = row.get("overall_effectiveness") in ("Requires improvement", "Inadequate")
            gap_years = own.uniform(2.0, 2.6) if weak else own.uniform(3.2, 4.6)
            day = day + dt.timedelta(days=int(gap_years * 365))
            if _COVID_PAUSE[0] <= day < _COVID_PAUSE[1]:
                day = _COVID_PAUSE[1] + dt.timedelta(days=int(own.integers(7, 500)))
            if ofsted.KEY_JUDGEMENTS.covers(day) and day > D(2025, 7, 18):
                day = D(2025, 11, 11)  # Ofsted paused for the new framework
            day = _school_day(day)
    return pd.DataFrame(rows)


# --- CPD and collaboration ------------------------------------------------------------------

# (activity, staff role, terms it happens in)
ALL_TERMS = ("Autumn", "Spring", "Summer")
PLANS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "trust": (("Review day", "Leaders", ALL_TERMS), ("Joint moderation", "Teachers",
              ("Spring", "Summer")), ("Learning walk", "Leaders", ("Autumn",)),
              ("INSET", "Mixed", ("Autumn",)), ("Governor training", "Governors", ("Spring",)),
              ("Coaching", "Teaching assistants", ("Summer",))),
    "cluster": (("Learning walk", "Leaders", ALL_TERMS), ("Joint moderation", "Teachers",
                ("Spring", "Summer")), ("Twilight session", "Teaching assistants",
                ("Autumn", "Spring")), ("Governor training", "Governors", ("Summer",)),
                ("INSET", "Mixed", ("Autumn",))),
    "c1": (("Coaching", "Teachers", ALL_TERMS), ("Peer review", "Teachers", ("Spring",)),
           ("INSET", "Mixed", ("Summer",))),
    "c2": (("Peer review", "Leaders", ALL_TERMS), ("Learning walk", "Leaders",
           ("Autumn", "Summer")), ("Governor training", "Governors", ("Spring",)),
           ("Coaching", "Teaching assistants", ("Spring", "Summer"))),
    "c3": (("Peer review", "Leaders", ("Autumn", "Summer")), ("Governor training", "Governors",
           ("Spring",)), ("Learning walk", "Leaders", ("Spring",))),
    "c4": (("Learning walk", "Teachers", ("Autumn",)), ("INSET", "Mixed", ("Spring",)),
           ("Twilight session", "Teaching assistants", ("Summer",)),
           ("Governor training", "Governors", ("Summer",))),
    "c5": (("Lesson study", "Teachers", ("Autumn", "Spring")), ("Twilight session", "Teachers",
           ALL_TERMS), ("Joint moderation", "Teachers", ("Summer",)),
           ("Coaching", "Leaders", ("Autumn",))),
}
_TOPICS = ("reading across the school", "writing moderation", "maths mastery", "early years "
           "provision", "feedback and marking", "the use of teaching assistants", "phonics",
           "curriculum planning", "pupil progress meetings", "disadvantaged pupils")
_HOURS = {"Review day": 6.0, "Peer review": 4.0, "Joint moderation": 2.5, "Learning walk": 2.0,
          "INSET": 6.0, "Coaching": 3.0, "Twilight session": 1.5, "Governor training": 2.0,
          "Lesson study": 4.5, "Other": 2.0}
_STAFF = {"Leaders": (1, 4), "Teachers": (3, 12), "Teaching assistants": (3, 10),
          "Governors": (2, 6), "Mixed": (15, 40)}
_SELF_ASSESSED = {"Coaching", "INSET", "Twilight session", "Lesson study", "Joint moderation",
                  "Governor training"}
_LESSONS_SEEN = {"Review day", "Learning walk", "Peer review"}
_TERM_WINDOWS = {"Autumn": ((9, 8), (12, 12)), "Spring": ((1, 8), (3, 27)),
                 "Summer": ((4, 20), (7, 15))}
assert set(_HOURS) == set(cpd_domain.ACTIVITIES)


def _term_day(rng: np.random.Generator, year: int, term: str) -> dt.date:
    (m1, d1), (m2, d2) = _TERM_WINDOWS[term]
    calendar_year = year if term == "Autumn" else year + 1
    first, last = D(calendar_year, m1, d1), D(calendar_year, m2, d2)
    day = first + dt.timedelta(days=int(rng.integers(0, (last - first).days)))
    return day - dt.timedelta(days=max(0, day.weekday() - 4))  # a weekday


def _member_terms(member: MemberSpec, years: tuple[int, ...] = YEARS,
                  last: tuple[int, str] = (LAST_YEAR, "Summer")) -> list[tuple[int, str]]:
    """The terms a school was in its cohort for (any part of), in `years`, to `last`."""
    out = []
    for year in years:
        for term in ALL_TERMS:
            if not _within(year, term, last):
                continue
            (m1, d1), (m2, d2) = _TERM_WINDOWS[term]
            calendar_year = year if term == "Autumn" else year + 1
            start, end = D(calendar_year, m1, d1), D(calendar_year, m2, d2)
            if end < member.joined or (member.left is not None and start > member.left):
                continue
            out.append((year, term))
    return out


def _cpd(world: np.random.Generator, schools: list[School], seed: int,
         last: tuple[int, str] = (LAST_YEAR, "Summer")) -> dict[int, pd.DataFrame]:
    by_key: dict[tuple[int, int, str, str, str], dict[str, Any]] = {}
    names = {s.urn: s.name for s in schools}
    trust_urns = [mem.urn for mem in MEMBERSHIPS if mem.partnership == TRUST]

    def member_rows(member: MemberSpec, rng: np.random.Generator,
                    periods: list[tuple[int, str]], first_index: int) -> None:
        school = next(s for s in schools if s.urn == member.urn)
        plan = ("trust" if member.partnership == TRUST else
                "cluster" if member.partnership == CLUSTER else
                f"c{member.cohort.split()[-1]}")
        focus = COHORTS[(member.partnership, member.cohort)][0]
        partners = ("the trust's schools" if plan == "trust" else
                    "the cluster's schools" if plan == "cluster" else
                    f"{member.cohort} schools ({focus.lower()})")
        for term_index, (year, term) in enumerate(periods, start=first_index):
            closed = (year, term) in CLOSED_TERMS
            entries = ((("Twilight session", "Teachers", ALL_TERMS),) if closed
                       else PLANS[plan])
            for activity, role, terms in entries:
                if term not in terms or (not closed and rng.random() < 0.08):
                    continue  # a term's return that did not mention it
                key = (school.urn, year, term, activity, role)
                if key in by_key:
                    continue  # a school in two cohorts reports one joint session once
                low, high = _STAFF[role]
                count = int(rng.integers(low, high + 1))
                hours = _HOURS[activity] * (1.5 if plan == "c2" else 1.0) \
                    * float(rng.choice([1.0, 1.0, 1.5, 2.0]))
                topic = _TOPICS[int(rng.integers(len(_TOPICS)))]
                if closed:
                    description = f"Online twilight session with partner schools on {topic}"
                elif activity == "Review day":
                    joined = [u for u in trust_urns if u != school.urn]
                    host = names[joined[(year * 3 + ALL_TERMS.index(term)) % len(joined)]]
                    description = f"Review day hosted by {host}: {topic}"
                else:
                    description = f"{activity} with {partners}: {topic}"
                row: dict[str, Any] = {
                    "urn": school.urn, "school_name": school.name,
                    "academic_year": format_academic_year(year), "term": term,
                    "activity": activity, "staff_role": role, "staff_count": count,
                    "hours_each": round(hours, 1), "activity_date": _term_day(rng, year, term),
                    "description": description}
                growth = min(term_index, 12) / 12  # what staff report grows with time together
                if activity in _SELF_ASSESSED:
                    before = float(rng.uniform(2.0, 3.2))
                    after = min(5.0, before + 0.3 + 0.6 * growth + float(rng.uniform(0, 0.6)))
                    row["self_assessment_before"] = round(before, 1)
                    row["self_assessment_after"] = round(after, 1)
                if activity in _LESSONS_SEEN:
                    good = 62 + 0.8 * school.alpha + 18 * growth + float(rng.normal(0, 5))
                    row["lessons_good_or_better"] = int(np.clip(round(good), 20, 100))
                if rng.random() < 0.85:
                    confidence = 3.0 + 1.2 * growth + float(rng.normal(0, 0.3))
                    row["staff_confidence"] = round(float(np.clip(confidence, 1.0, 5.0)), 1)
                by_key[key] = row

    for member in MEMBERSHIPS:
        school = next(s for s in schools if s.urn == member.urn)
        member_rows(member, _own(3, member.urn, seed) if school.spec.added else world,
                    _member_terms(member), 0)
    # Terms after the fixed demo years (see `last_term`): each school's own stream, drawn
    # after everything else, so no earlier record changes when the calendar moves on.
    later = tuple(range(LAST_YEAR + 1, last[0] + 1))
    for member in MEMBERSHIPS:
        periods = _member_terms(member, later, last)
        if periods:
            member_rows(member, _own(4, member.urn, seed), periods,
                        len(_member_terms(member)))
    by_year: dict[int, list[dict[str, Any]]] = {}
    for (_, year, *_rest), row in by_key.items():
        by_year.setdefault(year, []).append(row)
    return {year: pd.DataFrame(rows) for year, rows in sorted(by_year.items())}


# --- the schools and partnerships sheet ------------------------------------------------------

_CONTACTS = ("Priya Shah", "Tom Whitfield", "Grace Okafor", "Dan Ellis", "Maya Lewis",
             "Owen Price", "Ruth Adeyemi", "Sam Carter", "Hannah Moss", "Ian Doyle")


def contact(school: SchoolSpec) -> tuple[str, str]:
    """A partnership school's (invented) contact for returns: a name and an address at the
    reserved `.example` domain, so no reminder can reach a real school."""
    slug = re.sub(r"[^a-z0-9]+", "-", school.name.lower()).strip("-")
    return _CONTACTS[school.urn % len(_CONTACTS)], f"office@{slug}.example"


def _schools_frame(schools: list[School]) -> pd.DataFrame:
    rows = []
    for school in schools:
        details = {"urn": school.urn, "name": school.name, "phase": "Primary",
                   "school_type": school.spec.school_type, "local_authority": LA_NAME,
                   "pupils": school.pupils, "capacity": school.capacity}
        if school.in_partnership:
            details["contact_name"], details["contact_email"] = contact(school.spec)
        members = [mem for mem in MEMBERSHIPS if mem.urn == school.urn]
        if not members:
            rows.append(details)
        for mem in members:
            focus, start = COHORTS[(mem.partnership, mem.cohort)]
            rows.append({**details, "partnership": mem.partnership,
                         "partnership_type": PARTNERSHIP_TYPES[mem.partnership],
                         "cohort": mem.cohort, "focus": focus, "start_date": start,
                         "joined_date": mem.joined, "left_date": mem.left})
    return pd.DataFrame(rows)


# --- improvement projects (seeds/003) -------------------------------------------------------

@dataclass(frozen=True)
class ProjectSpec:
    host: int
    project: str
    partnership: str
    area: str
    lead: str
    lead_urn: int
    start: dt.date
    end: dt.date | None
    status: str
    measure: str
    findings: str | None = None
    action_plan: str | None = None
    presented: dt.date | None = None


# No effect was planted for any project: an honest line says "not clear" for each.
PROJECTS: tuple[ProjectSpec, ...] = (
    ProjectSpec(990028, "Feedback in upper key stage 2", PROGRAMME, "Quality of feedback",
                "Grace Okafor", 990024, D(2022, 10, 3), D(2023, 3, 31), "Completed",
                "ta_writing",
                "Pupils get plenty of written feedback but are rarely given time to act on it.",
                "A weekly 'fix-it' lesson in Years 5 and 6 from the summer term.",
                D(2023, 3, 24)),
    ProjectSpec(990034, "Homework in Years 3 and 4", PROGRAMME, "Homework provision",
                "Tom Whitfield", 990026, D(2023, 1, 9), D(2023, 7, 14), "Findings presented",
                "ta_reading",
                "Homework is set unevenly across classes; reading at home is not followed up.",
                "One reading log per class, checked weekly.", D(2023, 7, 10)),
    ProjectSpec(990006, "Supporting disadvantaged readers", TRUST,
                "Supporting disadvantaged children", "Priya Shah", 990002, D(2024, 9, 16),
                None, "Under way", "ta_reading"),
)


def _projects_frame() -> pd.DataFrame:
    names = {s.urn: s.name for s in SCHOOLS}
    return pd.DataFrame([{
        "urn": p.host, "school_name": names[p.host], "project": p.project,
        "partnership": p.partnership, "area": p.area, "lead_name": p.lead,
        "lead_urn": p.lead_urn, "start_date": p.start, "end_date": p.end, "status": p.status,
        "measure": m.measure(p.measure).label, "findings": p.findings,
        "action_plan": p.action_plan, "presented_date": p.presented} for p in PROJECTS])


def _late(frame: pd.DataFrame, last: tuple[int, str]) -> pd.DataFrame:
    """`frame` without the late schools' rows for the last term (see `LATE_RETURNS`)."""
    late = (frame["urn"].isin(LATE_RETURNS)
            & (frame["academic_year"] == format_academic_year(last[0]))
            & (frame["term"] == last[1]))
    return frame[~late].reset_index(drop=True)


# --- files ----------------------------------------------------------------------------------

_FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _reproducible(data: bytes) -> bytes:
    """The same workbook with fixed timestamps, so one seed always gives the same bytes
    (and the same sha256 in the store's upload history)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_TIMES.sub(rb"\g<1>2024-01-01T00:00:00Z\g<3>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return out.getvalue()


def _by_header(kind_code: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Rename field names to the template's own headers, in the template's column order."""
    columns = template_kinds()[kind_code].layout.columns
    present = [c for c in columns if c.field in frame]
    return frame[[c.field for c in present]].rename(columns={c.field: c.header for c in present})


def _write(directory: Path, name: str, kind_code: str, frame: pd.DataFrame) -> Path:
    data = filled_workbook_bytes(template_kinds()[kind_code], _by_header(kind_code, frame))
    path = directory / name
    path.write_bytes(_reproducible(data))
    return path


def _year_label(year: int) -> str:
    return format_academic_year(year).replace("/", "-")


_README = """Demo spreadsheets: FICTIONAL schools, made by `python -m impact demo` (seed {seed}).

Every school, name, URN (990001 and up) and figure here is invented. The files are in the
upload templates' own format and are loaded, in name order, through the same import path a
head uses. Regenerate them with `python -m impact demo --force`.

What was planted for the analysis to find is written in impact/demo.py (PLANTED):
- {improving_cohort} ({improving_focus}) of the {partnership}: +{effect:g} points on KS2
  reading, writing and maths at the expected standard from the second summer after joining
  (half of it in the first).
- {none_cohort} ({none_focus}): no effect at all.
- {rtm_cohort}: no effect, but it joined after a one-off dip in {dip_year}.
"""


def simulate(seed: int = SEED, *, effects: bool = True, today: dt.date | None = None
             ) -> dict[str, tuple[str, pd.DataFrame]]:
    """The demo's spreadsheets in memory: file name -> (template kind, rows by field name),
    in load order. `effects=False` gives the same world without the planted effects (same
    pupils, same draws), so a test can see exactly what the planting changed. `today` (default:
    today) sets the last term of termly returns (`last_term`)."""
    last = last_term(today)
    rng = np.random.default_rng(seed)
    schools = _schools(rng, seed)
    attainment = _attainment(rng, schools, effects, seed, last)
    benchmarks = _benchmarks(rng)
    inspections = _ofsted(rng, schools, effects, seed)
    cpd = _cpd(rng, schools, seed, last)
    out = {"01_schools_and_partnerships.xlsx": ("schools", _schools_frame(schools)),
           "02_comparison_figures.xlsx": ("benchmarks", benchmarks)}
    for year, frame in attainment.items():
        if year == last[0]:
            frame = _late(frame, last)
        out[f"03_attainment_{_year_label(year)}.xlsx"] = ("attainment", frame)
    out["04_ofsted_inspections.xlsx"] = ("ofsted", inspections)
    for year, frame in cpd.items():
        if year == last[0]:
            frame = _late(frame, last)
        out[f"05_cpd_{_year_label(year)}.xlsx"] = ("cpd", frame)
    out["06_improvement_projects.xlsx"] = ("projects", _projects_frame())
    return out


def generate(directory: Path, seed: int = SEED, today: dt.date | None = None) -> list[Path]:
    """Write the demo spreadsheets to `directory`, in the order they should be loaded.

    Deterministic: the same seed gives the same files, byte for byte. A README.txt beside
    them says they are fictional and what was planted.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for pattern in ("03_attainment_*.xlsx", "05_cpd_*.xlsx"):
        for old in directory.glob(pattern):
            old.unlink()  # files per year: the calendar decides which years there are
    files = [_write(directory, name, kind, frame)
             for name, (kind, frame) in simulate(seed, today=today).items()]
    improving, none, rtm = (PLANTED[k] for k in ("improving", "no_effect",
                                                 "regression_to_mean"))
    (directory / "README.txt").write_text(_README.format(
        seed=seed, improving_cohort=improving["cohort"], improving_focus=improving["focus"],
        partnership=improving["partnership"], effect=improving["effect_points"],
        none_cohort=none["cohort"], none_focus=none["focus"], rtm_cohort=rtm["cohort"],
        dip_year=rtm["dip_year"]), encoding="utf-8")
    return files


# --- building the store ---------------------------------------------------------------------


class DemoBuildError(RuntimeError):
    """A demo spreadsheet was rejected: the demo must import cleanly, so nothing was built."""


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _remove(*paths: Path) -> None:
    for p in paths:
        p.unlink(missing_ok=True)


def _check_not_open(path: Path) -> None:
    """Refuse to replace a store another program holds open (it would keep writing to the
    replaced file and its changes would vanish)."""
    import duckdb

    from impact.store import StoreUnavailable

    if not path.exists():
        return
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.Error as error:
        if "lock" in str(error).lower():
            raise StoreUnavailable(
                f"The data store {path} is open in another program, such as the app. Stop it, "
                "then build the demo again.") from error


def load_files(path: Path, files: list[Path]) -> dict[str, Any]:
    """Build a store at `path` from `files` (in order) through the import pipeline, all or
    nothing: the store is built beside the target and moved into place only when every file
    went in, so a failed build leaves any old store as it was. Returns counts for a summary.

    Raises DemoBuildError naming the first rejected file and its first problems.
    """
    from impact.importing.pipeline import import_file
    from impact.store import Store

    path = Path(path)
    _check_not_open(path)
    building = path.with_suffix(".building.duckdb")
    _remove(building, _wal(building))
    counts: dict[str, Any] = {"uploads": 0, "rows": 0}
    try:
        store = Store(building)
        try:
            for file in files:
                result = import_file(store, file, DEMO_ADMIN)
                if result.status != "accepted":
                    plan = result.plan
                    problems = [plan.unusable] if plan.unusable else [
                        f"row {p.row}, column {p.column!r}, value {p.value!r}: {p.message}"
                        for p in plan.problems[:5]]
                    raise DemoBuildError(
                        f"The demo file {Path(file).name} was rejected, so the demo store was "
                        f"not built. First problems: " + "; ".join(problems))
                counts["uploads"] += 1
                counts["rows"] += _rows_written(result.plan)
                if result.plan.kind == "schools":
                    for key in ("schools", "partnerships", "cohorts", "memberships"):
                        counts[key] = counts.get(key, 0) + int(result.plan.summary.get(key, 0))
            with store.writing(DEMO_ADMIN) as tx:
                tx.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                           ["demo", "true"])
            from impact.auth import accounts

            for person in DEMO_ACCOUNTS:
                accounts.add(store, DEMO_ADMIN, person.email, person.role, name=person.name,
                             urns=person.urns, partnerships=person.partnerships,
                             password=person.password)
        finally:
            store.close()
        _remove(_wal(path))
        os.replace(building, path)
    except BaseException:
        _remove(building, _wal(building))
        raise
    return counts


def _rows_written(plan: Any) -> int:
    """Rows an accepted upload wrote (added or changed)."""
    return int(plan.rows_added + plan.rows_updated)


def build(path: Path, *, force: bool = False, directory: Path | None = None,
          seed: int = SEED, today: dt.date | None = None) -> str | None:
    """Generate the demo spreadsheets and build the demo store at `path` from them.

    Returns None (and does nothing) if the store exists and `force` is not set; otherwise a
    short summary for the person who ran it.
    """
    path = Path(path)
    if path.exists() and not force:
        return None
    started = time.perf_counter()
    directory = Path(directory) if directory is not None else config.DEMO_DIR
    files = generate(directory, seed, today)
    counts = load_files(path, files)
    seconds = time.perf_counter() - started
    return "\n".join((
        f"Built the demo store {path} from {len(files)} spreadsheets in {directory}.",
        f"  {counts.get('schools', 0)} schools, {counts.get('partnerships', 0)} partnerships, "
        f"{counts.get('cohorts', 0)} cohorts, {counts.get('memberships', 0)} memberships",
        f"  {counts['uploads']} uploads, {counts['rows']:,} rows",
        "  Fictional schools: the app labels every page as demo data.",
        *accounts_lines(),
        f"  Took {seconds:.1f} s.",
    ))


def accounts_lines() -> list[str]:
    """The demo's accounts, for `make run` and `python -m impact demo` to print."""
    return ["  Sign in as one of (e-mail / password):",
            *(f"    {a.email:<24} {a.password:<17} {a.role}: {a.about}" for a in DEMO_ACCOUNTS)]
