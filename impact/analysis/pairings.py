"""Strengths matched to needs across a partnership's schools: who could help whom.

"Matching areas of strength to areas needing support is important" (case study 001); in case
study 003 a school names an area of need and a colleague from a partner school takes it on.
For each school in a partnership and each measure, its latest year's figure is judged against
two benchmarks, both interval-aware:

- its **partners**: the pupil-weighted figure of the partnership's other schools that year;
- **similar schools**: its nearest neighbours outside the partnership on prior attainment (the
  measure's mean over the years before), disadvantage, size and phase (`matching`), their
  pupil-weighted figure that year; when the store has none, partners alone.

A school *needs support* on a measure when its likely range lies wholly below both benchmarks
(percentages: Wilson from its pupils; progress scores: the DfE's published confidence limits;
average scaled scores have no stored spread and are not judged). Its weakest measures are those
furthest below, in widths of its own likely range; up to `per_school` are kept. A partner is
*clearly strong* on that measure when its own likely range lies wholly above the figure of
its partners (the partnership's schools but itself) that year. Figures about 10 pupils or fewer
are never judged either way (the brief's small-number rule: low reliability, not ranked).

These are suggestions for a conversation, not a verdict: one year's figure, a few dozen
pupils, and a measure is only part of what a school is good at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from impact.analysis import data as d
from impact.analysis.intervals import percent_interval
from impact.analysis.matching import nearest_neighbours
from impact.analysis.suppression import rankable
from impact.domain import measures as m
from impact.domain.pupil_groups import group_label
from impact.store import Store

NEIGHBOURS = 5
PER_SCHOOL = 3
STALE_YEARS = 2  # a measure whose latest figures are older than this is not judged


@dataclass(frozen=True)
class Figure:
    """One school's figure on one measure in one year, with its likely range."""

    urn: int
    name: str
    value: float
    low: float
    high: float
    pupils: float


@dataclass(frozen=True)
class Pairing:
    """A school's need on one measure and the partner schools clearly strong on it."""

    need: Figure
    measure: str
    academic_year: str
    partners_mean: float
    similar_mean: float | None
    similar_schools: int
    strong: tuple[Figure, ...]
    shortfall: float  # how far below, in widths of the school's own likely range

    @property
    def measure_short(self) -> str:
        return m.measure(self.measure).short

    @property
    def sentence(self) -> str:
        what = m.measure(self.measure).short
        if not self.strong:
            return (f"{self.need.name} needs support in {what}; no partner school is clearly "
                    "strong there, so look beyond the partnership.")
        names = ", ".join(s.name for s in self.strong)
        verb = "is" if len(self.strong) == 1 else "are"
        return f"{self.need.name} needs support in {what}: {names} {verb} clearly strong there."


@dataclass
class Pairings:
    partnership: str
    group: str
    pairings: list[Pairing]
    schools: int
    measures_judged: list[str]
    notes: list[str] = field(default_factory=list)

    def for_school(self, urn: int) -> list[Pairing]:
        return [p for p in self.pairings if p.need.urn == int(urn)]

    def helped_by(self, urn: int) -> list[Pairing]:
        return [p for p in self.pairings if any(s.urn == int(urn) for s in p.strong)]


def _span(unit: str, value: float, pupils: float, lower: object, upper: object
          ) -> tuple[float, float] | None:
    if unit == m.PERCENT:
        if pupils > 0 and 0 <= value <= 100:
            return percent_interval(value, pupils)
        return None
    if lower is not None and upper is not None and not pd.isna(lower) and not pd.isna(upper):
        return float(lower), float(upper)
    return None


def _weighted(values: np.ndarray, weights: np.ndarray) -> float | None:
    ok = np.isfinite(values) & np.isfinite(weights) & (weights > 0)
    if not ok.any():
        return None
    return float((values[ok] * weights[ok]).sum() / weights[ok].sum())


def suggest_pairings(store: Store, partnership: str, *, group: str = "all",
                     per_school: int = PER_SCHOOL, today: dt.date | None = None) -> Pairings:
    """Each school's weakest measures in `partnership` and the partners clearly strong on
    them (see the module docstring). Schools that have left are not paired."""
    grp = d.resolve_group(group)
    today = today or dt.date.today()
    members = d.memberships(store)
    inside = members[members["partnership"].str.casefold() == partnership.casefold()]
    if inside.empty:
        raise d.UnknownName(f"There is no partnership called {partnership!r}.")
    current = inside[inside["left_date"].isna()
                     | (pd.to_datetime(inside["left_date"]) > pd.Timestamp(today))]
    urns = sorted(set(current["urn"].astype(int)))
    ever = set(inside["urn"].astype(int))
    schools = d.schools(store)
    names = schools.set_index("urn")["name"].to_dict()
    features = schools.set_index("urn").reindex(columns=["phase", "pupils"])
    features["disadvantaged_share"] = d.disadvantage(store).reindex(features.index)
    codes = [c for c in store.run("measures_with_data")["measure"] if c in m.BY_CODE]
    order = {x.code: i for i, x in enumerate(m.MEASURES)}
    pairings: list[Pairing] = []
    judged: list[str] = []
    recent = store.run("analysis_latest_year", urns=urns)["academic_year"].dropna()
    newest = int(str(recent.iloc[0])[:4]) if not recent.empty else None
    for code in sorted(codes, key=lambda c: order[c]):
        measure = m.measure(code)
        if measure.unit == m.SCORE:
            continue  # no stored spread: not judged
        figures = d.attainment(store, code, grp, "Summer").dropna(subset=["value"])
        if figures.empty:
            continue
        limits = store.run("analysis_limits", measure=code, pupil_group=grp, urns=urns)
        limit = {(int(u), y): (lo, hi) for u, y, lo, hi in zip(
            limits["urn"], limits["academic_year"], limits["lower"], limits["upper"],
            strict=True)}
        mine = figures[figures["urn"].isin(urns)]
        counted = mine.loc[mine["cohort_size"].map(
            lambda p: rankable(None if pd.isna(p) else float(p))).astype(bool)]
        years = counted.groupby("academic_year")["urn"].nunique()
        years = years[years >= 2]
        if years.empty:
            continue
        year = max(years.index, key=lambda y: int(str(y)[:4]))
        if newest is not None and int(str(year)[:4]) < newest - STALE_YEARS:
            continue  # a measure no longer reported (KS1 after 2022/23): old news
        judged.append(code)
        now = mine[mine["academic_year"] == year]
        values = now.set_index("urn")["value"].astype(float)
        sizes = now.set_index("urn")["cohort_size"].astype(float)

        def partners_mean(urn: int, values: pd.Series = values, sizes: pd.Series = sizes
                          ) -> float | None:
            others = [u for u in values.index if u != urn]
            return _weighted(values[others].to_numpy(), sizes[others].to_numpy())

        figure: dict[int, Figure] = {}
        for urn in values.index:
            pupils = sizes.get(urn)
            if pupils is None or pd.isna(pupils) or not rankable(float(pupils)):
                continue
            lower, upper = limit.get((int(urn), year), (None, None))
            span = _span(measure.unit, float(values[urn]), float(pupils), lower, upper)
            if span is None:
                continue
            figure[int(urn)] = Figure(int(urn), str(names.get(urn, urn)), float(values[urn]),
                                      span[0], span[1], float(pupils))
        good = measure.higher_is_better
        strong = {u: f for u, f in figure.items()
                  if (mean := partners_mean(u)) is not None
                  and (f.low > mean if good else f.high < mean)}

        # similar schools outside the partnership, on the years before this one
        pool_rows = figures[~figures["urn"].isin(ever)]
        at_year = pool_rows[pool_rows["academic_year"] == year]
        similar: dict[int, tuple[float | None, int]] = {}
        if not at_year.empty:
            start = int(str(year)[:4])
            before = figures[figures["year"] < start]
            prior = pd.Series({int(u): d.mean_where(r["value"], r["cohort_size"])
                               for u, r in before.groupby("urn")}, dtype=float)
            feats = features.copy()
            feats["prior_attainment"] = prior.reindex(feats.index)
            pool = sorted(set(at_year["urn"].astype(int)) & set(feats.index))
            treated = [u for u in figure if u in feats.index]
            matches = nearest_neighbours(feats, treated, pool, k=NEIGHBOURS)
            pool_values = at_year.set_index("urn")
            for urn, rows in matches.groupby("urn"):
                chosen = pool_values.loc[pool_values.index.isin(rows["match"])]
                similar[int(urn)] = (_weighted(chosen["value"].to_numpy(dtype=float),
                                               chosen["cohort_size"].to_numpy(dtype=float)),
                                     int(len(chosen)))
        for urn, f in figure.items():
            mean = partners_mean(urn)
            if mean is None:
                continue
            similar_mean, similar_count = similar.get(urn, (None, 0))
            benchmarks = [mean] + ([similar_mean] if similar_mean is not None else [])
            below = all((f.high < b) if good else (f.low > b) for b in benchmarks)
            if not below:
                continue
            width = max(f.high - f.low, 1e-9)
            shortfall = min(((b - f.value) if good else (f.value - b)) for b in benchmarks) / width
            helpers = tuple(sorted((s for u, s in strong.items() if u != urn),
                                   key=lambda s: (-s.value if good else s.value, s.name)))
            pairings.append(Pairing(f, code, str(year), mean, similar_mean, similar_count,
                                    helpers, float(shortfall)))
    kept: list[Pairing] = []
    for urn in urns:
        own = sorted((p for p in pairings if p.need.urn == urn), key=lambda p: -p.shortfall)
        kept += own[:per_school]
    kept.sort(key=lambda p: (p.need.name.casefold(), -p.shortfall))
    notes = [f"Each school's latest year with figures for at least two of the partnership's "
             f"schools, {group_label(grp).lower()}; a need is a likely range wholly below both "
             "its partners' figure and similar schools' (when there are any), a strength a "
             "likely range wholly above its partners'.",
             "Figures about 10 pupils or fewer are not judged. Average scaled scores have no "
             "likely range here, so they are not judged either, nor are measures with no "
             f"figures in the last {STALE_YEARS} years.",
             "One year's figures for a few dozen pupils: a starting point for a conversation "
             "between schools, not a verdict."]
    return Pairings(partnership, grp, kept, len(urns), judged, notes)
