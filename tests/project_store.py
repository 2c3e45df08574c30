"""A store built for checking an improvement project's event-time line, with the answer known.

Test Trust: the host 100001 and partners 100002-100004 (30 pupils each); 100010 is a school in
no partnership. Termly teacher assessment in writing (% on track), 2019/20 to 2023/24:

- partners: 60% every term; 100002 begins a project of its own on 1 September 2023 and from
  then reads 90%, so a comparison that failed to leave it out would jump;
- the host: about 50% before its project (yearly gaps to the partners -10, -9, -11), the
  Autumn 2022/23 term 50%, then 63% and 61%, and 62, 64, 60 in 2023/24 (yearly gap +2); its
  Autumn 2019/20 figure is about 5 pupils (hidden);
- the project, "Feedback in writing", starts on 3 October 2022: its first term after the start
  is Spring 2022/23 (event time 0); 2022/23 has terms on both sides and is left out of the
  change, which is +2 - (-10) = +12 points.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from impact.domain.academic_years import format_academic_year
from impact.store import Store
from tests.factories import load, schools_frame

HOST, PARTNERS, OUTSIDER = 100001, (100002, 100003, 100004), 100010
PROJECT = "Feedback in writing"
START = dt.date(2022, 10, 3)
TERMS = ("Autumn", "Spring", "Summer")
HOST_VALUES = {2019: (50, 52, 48), 2020: (51, 52, 50), 2021: (49, 48, 50),
               2022: (50, 63, 61), 2023: (62, 64, 60)}
WRITING = "Teacher assessment: % on track in writing"


def figures() -> pd.DataFrame:
    rows = []
    for year, values in HOST_VALUES.items():
        for term, value in zip(TERMS, values, strict=True):
            size = 5 if (year, term) == (2019, "Autumn") else 30
            rows.append((HOST, year, term, value, size))
            for partner in PARTNERS:
                late = partner == PARTNERS[0] and year >= 2023
                rows.append((partner, year, term, 90 if late else 60, 30))
            rows.append((OUTSIDER, year, term, 40, 30))
    return pd.DataFrame([{"URN": u, "Academic year": format_academic_year(y), "Term": t,
                          "Measure": WRITING, "Pupil group": "All pupils", "Cohort size": n,
                          "Value": v} for u, y, t, v, n in rows], dtype=object)


def projects() -> pd.DataFrame:
    return pd.DataFrame([
        {"URN": HOST, "Project": PROJECT, "Partnership": "Test Trust",
         "Area of need": "Quality of feedback", "Lead colleague": "Ann Lee",
         "Lead's school URN": PARTNERS[1], "Start date": START, "Status": "Completed",
         "End date": dt.date(2023, 3, 31), "Measure to watch": WRITING,
         "Findings": "Pupils rarely act on feedback."},
        {"URN": PARTNERS[0], "Project": "Homework", "Area of need": "Homework provision",
         "Start date": dt.date(2023, 9, 1), "Status": "Under way"},
        {"URN": HOST, "Project": "Too early to tell", "Area of need": "Wellbeing review",
         "Start date": dt.date(2020, 1, 6), "Measure to watch": WRITING},
    ], dtype=object)


def build(store: Store) -> Store:
    frame = schools_frame(4, in_partnership=4, joined=dt.date(2016, 9, 1))
    outsider = schools_frame(1, first_urn=OUTSIDER, in_partnership=0)
    load(store, "schools", pd.concat([frame, outsider], ignore_index=True))
    load(store, "attainment", figures())
    load(store, "projects", projects())
    return store
