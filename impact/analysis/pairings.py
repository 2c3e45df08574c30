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


def _leave_one_out(values: pd.Series, sizes: pd.Series) -> dict[int, float]:
    """Each school's partners' figure: the pupil-weighted mean of every other school's (the
    plain mean when none of them has a pupil count)."""
    v = values.to_numpy(dtype=float)
    w = sizes.to_numpy(dtype=float)
    weighted = np.isfinite(v) & np.isfinite(w) & (w > 0)
    num, den = float((v * w)[weighted].sum()), float(w[weighted].sum())
    finite = np.isfinite(v)
    total, count = float(v[finite].sum()), int(finite.sum())
    out: dict[int, float] = {}
    for i, urn in enumerate(values.index):
        rest_den = den - (w[i] if weighted[i] else 0.0)
        if rest_den > 0:
            out[int(urn)] = (num - (v[i] * w[i] if weighted[i] else 0.0)) / rest_den
        elif count - finite[i] > 0 and not weighted.any():
            out[int(urn)] = (total - (v[i] if finite[i] else 0.0)) / (count - finite[i])
    return out


def _prior(before: pd.DataFrame) -> pd.Series:
    """Each school's pupil-weighted mean over `before` (plain mean where it has no pupil
    counts), by URN: `data.mean_where` for every school at once."""
    if before.empty:
        return pd.Series(dtype=float)
    v = before["value"].astype(float)
    w = before["cohort_size"].astype(float)
    ok = v.notna() & w.notna() & (w > 0)
    frame = pd.DataFrame({"urn": before["urn"].astype("int64"), "vw": (v * w).where(ok),
                          "w": w.where(ok), "v": v})
    sums = frame.groupby("urn").agg(vw=("vw", "sum"), w=("w", "sum"), v=("v", "mean"))
    return (sums["vw"] / sums["w"]).where(sums["w"] > 0, sums["v"]).astype(float)


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
    all_years = [str(y) for y in store.run("academic_years")["academic_year"]]
    recent = store.run("analysis_latest_year", urns=urns)["academic_year"].dropna()
    newest = int(str(recent.iloc[0])[:4]) if not recent.empty else None
    for code in sorted(codes, key=lambda c: order[c]):
        measure = m.measure(code)
        if measure.unit == m.SCORE:
            continue  # no stored spread: not judged
        figures = d.attainment(store, code, grp, "Summer", urns=sorted(ever)
                               ).dropna(subset=["value"])
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

        partners_mean = _leave_one_out(values, sizes)

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
                  if (mean := partners_mean.get(u)) is not None
                  and (f.low > mean if good else f.high < mean)}

        # similar schools outside the partnership, on their results before this year
        skip = [y for y in all_years if m.missing_reason(code, y) is not None]
        pool = store.run("analysis_pool_figures", measure=code, pupil_group=grp,
                         academic_year=str(year), urns=sorted(ever), skip_years=skip)
        similar: dict[int, tuple[float | None, int]] = {}
        if not pool.empty and figure:
            start = int(str(year)[:4])
            before = figures[figures["year"] < start]
            prior = _prior(before)
            pool_urns = pool["urn"].astype("int64")
            prior = pd.concat([prior, pd.Series(pool["prior_attainment"].to_numpy(dtype=float),
                                                index=pool_urns.to_numpy())])
            feats = features.reindex(sorted(set(figure) | set(pool_urns)))
            feats["prior_attainment"] = prior.reindex(feats.index)
            matches = nearest_neighbours(feats, list(figure), pool_urns.tolist(), k=NEIGHBOURS)
            at_year = pool.assign(urn=pool_urns).set_index("urn")
            for urn, rows in matches.groupby("urn"):
                chosen = at_year.loc[at_year.index.isin(rows["match"])]
                similar[int(urn)] = (_weighted(chosen["value"].to_numpy(dtype=float),
                                               chosen["cohort_size"].to_numpy(dtype=float)),
                                     int(len(chosen)))
        for urn, f in figure.items():
            mean = partners_mean.get(urn)
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
