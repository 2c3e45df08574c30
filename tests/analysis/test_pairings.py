"""Strengths matched to needs, on a store where the answer is known.

Test Trust: A (100001), B (100002), C (100003), D (100004, 8 pupils: never judged); six
schools outside it (100005-100010) are the similar-school pool; 100011 left the trust in
2023. Figures for 2023/24 (earlier years for matching):

- RWM expected: A 40% of 60, B 88%, C 62%, D 95% of 8. A's likely range (Wilson, about 28%
  to 53%) is wholly below its partners (76.25%, pupil-weighted) and similar schools (62%):
  a need. B's range (about 77% to 94%) is wholly above its own partners' 53.75%: clearly
  strong. C's 62% of 60 (49% to 73%) is neither. D is too small to be strong.
- RWM higher: A 2% of 60, B and C 10%: A is below both benchmarks, and no partner is clearly
  above its own partners: a need with no one to pair with.
- Phonics: C 30% of 60 is the need; A 75% and B 70% of 20 are each clearly above their own
  partners.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from impact.analysis.intervals import percent_interval
from impact.analysis.pairings import suggest_pairings
from impact.reports.projects import pairings_table
from tests.factories import load, schools_frame

A, B, C, D = 100001, 100002, 100003, 100004
POOL = tuple(range(100005, 100011))
LEFT = 100011
RWM = "KS2 reading, writing and maths: % at expected standard"
HIGH = "KS2 reading, writing and maths: % at higher standard"
PHONICS = "Year 1 phonics check: % meeting the standard"


def _rows(measure: str, year: int, values: dict[int, tuple[float, int]]) -> list[dict]:
    return [{"URN": u, "Academic year": f"{year}/{(year + 1) % 100:02d}", "Term": "Summer",
             "Measure": measure, "Pupil group": "All pupils", "Cohort size": n, "Value": v}
            for u, (v, n) in values.items()]


def build_known(store):
    """The store the module docstring describes."""
    schools = schools_frame(11, in_partnership=4, joined=dt.date(2019, 9, 1))
    schools.loc[10, ["Partnership", "Partnership type", "Cohort", "Joined date"]] = [
        "Test Trust", "Cluster", "Cohort A", dt.date(2019, 9, 1)]
    schools["Left date"] = None
    schools.loc[10, "Left date"] = dt.date(2023, 8, 31)
    load(store, "schools", schools)
    rows = []
    for year in (2021, 2022):
        rows += _rows(RWM, year, {A: (45, 60), B: (85, 60), C: (62, 60), D: (90, 8),
                                  LEFT: (20, 60), **{u: (62, 60) for u in POOL}})
    rows += _rows(RWM, 2023, {A: (40, 60), B: (88, 60), C: (62, 60), D: (95, 8),
                              LEFT: (10, 60), **{u: (62, 60) for u in POOL}})
    rows += _rows(HIGH, 2023, {A: (2, 60), B: (10, 60), C: (10, 60),
                               **{u: (12, 60) for u in POOL}})
    rows += _rows(PHONICS, 2023, {A: (75, 20), B: (70, 20), C: (30, 60),
                                  **{u: (80, 60) for u in POOL}})
    load(store, "attainment", pd.DataFrame(rows, dtype=object))
    return store


@pytest.fixture
def known(store):
    return build_known(store)


def test_needs_and_the_partners_clearly_strong_on_them(known):
    found = suggest_pairings(known, "Test Trust", today=dt.date(2026, 12, 5))
    assert found.schools == 4, "the school that left is not paired"
    by_need = {(p.need.urn, p.measure): p for p in found.pairings}
    assert set(by_need) == {(A, "ks2_rwm_exp"), (A, "ks2_rwm_high"), (C, "phonics_y1")}

    rwm = by_need[(A, "ks2_rwm_exp")]
    assert rwm.academic_year == "2023/24"
    assert rwm.partners_mean == pytest.approx((88 * 60 + 62 * 60 + 95 * 8) / 128)
    assert rwm.similar_mean == pytest.approx(62) and rwm.similar_schools == 5
    assert (rwm.need.low, rwm.need.high) == pytest.approx(percent_interval(40, 60))
    assert [s.urn for s in rwm.strong] == [B], "D (8 pupils) is never judged strong"
    assert rwm.sentence == ("School 100001 needs support in RWM expected %: School 100002 is "
                            "clearly strong there.")

    high = by_need[(A, "ks2_rwm_high")]
    assert high.strong == ()
    assert "no partner school is clearly strong there" in high.sentence

    phonics = by_need[(C, "phonics_y1")]
    assert [s.urn for s in phonics.strong] == [A, B]
    assert found.helped_by(B) == [rwm, phonics]
    assert found.for_school(D) == [] and found.for_school(B) == []


def test_weakest_first_and_at_most_per_school(known):
    found = suggest_pairings(known, "Test Trust", per_school=1, today=dt.date(2026, 12, 5))
    mine = found.for_school(A)
    assert len(mine) == 1
    everything = suggest_pairings(known, "Test Trust", today=dt.date(2026, 12, 5))
    assert mine[0].shortfall == max(p.shortfall for p in everything.for_school(A))


def test_the_table_says_who_could_help(known):
    found = suggest_pairings(known, "Test Trust", today=dt.date(2026, 12, 5))
    table = pairings_table(found.pairings).set_index(["School", "Needs support in"])
    row = table.loc[("School 100001", "RWM expected %")]
    assert row["Its figure"] == "40%" and row["Partners"] == "76%"
    assert row["Similar schools"] == "62% (5 schools)"
    assert row["Partner schools clearly strong here"] == "School 100002 (88%)"
    assert table.loc[("School 100001", "RWM higher %"), "Partner schools clearly strong here"] \
        == "None clearly strong: look beyond the partnership"


def test_without_similar_schools_partners_alone_decide(store):
    load(store, "schools", schools_frame(3, in_partnership=3))
    load(store, "attainment", pd.DataFrame(
        _rows(RWM, 2023, {A: (40, 60), B: (88, 60), C: (80, 60)}), dtype=object))
    found = suggest_pairings(store, "Test Trust", today=dt.date(2026, 12, 5))
    assert [(p.need.urn, p.similar_mean, [s.urn for s in p.strong]) for p in found.pairings] \
        == [(A, None, [B, C])]
