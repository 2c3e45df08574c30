"""What the analysis reads from the store, through the named queries `queries/analysis_*.sql`,
shaped for the statistics: years as numbers, joined dates turned into first treated years,
and the names people type (a cohort, a measure, a pupil group) resolved to codes with a clear
message when they match nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from impact.analysis.event_time import first_treated_start, last_treated_start
from impact.domain.academic_years import start_year
from impact.domain.measures import MEASURES, Measure, find_measure, missing_reason
from impact.domain.pupil_groups import PUPIL_GROUPS, find_group
from impact.store import Store


@dataclass(frozen=True)
class CohortRef:
    """A cohort, named by its partnership and its own name (cohort names repeat across
    partnerships: "Cohort 1")."""

    partnership: str
    cohort: str

    @property
    def label(self) -> str:
        return f"{self.partnership} / {self.cohort}"


class UnknownName(LookupError):
    """A cohort, measure or group that matches nothing; the message lists what would."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def list_cohorts(store: Store) -> pd.DataFrame:
    """Every cohort with its number of schools and first and last joined dates."""
    return store.run("analysis_cohorts")


def find_cohort(store: Store, name: str, partnership: str | None = None) -> CohortRef:
    """The cohort called `name`: "Partnership / Cohort", or a cohort name that is unique
    (or unique within `partnership`), in any case. UnknownName lists the cohorts otherwise."""
    cohorts = store.run("analysis_cohort_names")
    refs = [CohortRef(p, c) for p, c in zip(cohorts["partnership"].tolist(),
                                             cohorts["cohort"].tolist(), strict=True)]
    key = " ".join(str(name).split()).lower()
    exact = [r for r in refs if r.label.lower() == key
             or ("/" in key and " / ".join(x.strip() for x in key.split("/", 1))
                 == r.label.lower())]
    if exact:
        return exact[0]
    matches = [r for r in refs if r.cohort.lower() == key
               and (partnership is None or r.partnership.lower() == partnership.lower())]
    if len(matches) == 1:
        return matches[0]
    listing = "; ".join(r.label for r in refs) or "there are no cohorts in the store yet"
    if len(matches) > 1:
        raise UnknownName(f"More than one partnership has a cohort called {name!r}: "
                          f"{'; '.join(r.label for r in matches)}. Name it as "
                          "'Partnership / Cohort'.")
    raise UnknownName(f"There is no cohort called {name!r}. The cohorts are: {listing}.")


def resolve_measure(text: str) -> Measure:
    """A measure from its code, label or short label; UnknownName lists the codes."""
    found = find_measure(text)
    if found is None:
        codes = ", ".join(m.code for m in MEASURES)
        raise UnknownName(f"There is no measure called {text!r}. Use one of: {codes}.")
    return found


def resolve_group(text: str | None) -> str:
    """A pupil-group code from its code, label or a synonym (None means all pupils)."""
    if text is None:
        return "all"
    found = find_group(text)
    if found is None:
        raise UnknownName(f"There is no pupil group called {text!r}. Use one of: "
                          f"{', '.join(PUPIL_GROUPS)}.")
    return found


def _dates(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column, errors="coerce").dt.date.astype(object).where(
        column.notna(), None)


def per_distinct(column: pd.Series, fn: Callable[[Any], Any]) -> np.ndarray:
    """`fn` of every value of `column`, worked out once per distinct value: a national store
    has millions of rows but only a handful of academic years and joining dates."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    results = [fn(u) for u in uniques]
    results.append(fn(None) if (codes < 0).any() else None)
    return np.array(results, dtype=object)[codes]  # code -1 (missing) picks the last


def _statutory_years_only(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Rows of years in which `measure` has statutory results, with `year` (start year)."""
    if frame.empty:
        return frame.assign(year=pd.Series(dtype="int64"))
    reasons = per_distinct(frame["academic_year"],
                           lambda ay: None if ay is None else missing_reason(measure, ay))
    frame = frame[pd.isna(reasons)].copy()
    frame["year"] = per_distinct(frame["academic_year"], start_year).astype("int64")
    return frame.reset_index(drop=True)


def attainment(store: Store, measure: str, group: str = "all",
               term: str | None = None, urns: Sequence[int] | None = None) -> pd.DataFrame:
    """Every school's figures (or only `urns`') for one measure and pupil group, with `year`
    (start year).

    Figures stored for a year in which the measure has no statutory results (2019/20,
    2020/21; KS2 progress 2023/24 and 2024/25; …) are left out: those years are breaks and
    nothing must stand in for them.
    """
    if urns is None:
        frame = store.run("analysis_attainment", measure=measure, pupil_group=group, term=term)
    else:
        frame = store.run("analysis_attainment_of_schools", measure=measure, pupil_group=group,
                          term=term, urns=[int(u) for u in urns])
    frame = _statutory_years_only(frame, measure)
    frame["urn"] = frame["urn"].astype("int64")
    return frame


def outcomes(store: Store, measure: str, group: str = "all",
             term: str | None = None) -> pd.DataFrame:
    """Every school's figures for one measure and pupil group, as `attainment` gives them
    (the same rows, in the same order: by school, then year; the terms of one year, when
    there are several, as stored) but with only `urn`, `year`,
    `cohort_size` and `value`: what the impact estimate reads. At national scale the full
    rows, sorted by the database on their text columns, took three times as long to fetch;
    here the database returns the rows as they are stored and they are put in order below
    (usually they already are). Years without statutory results are left out, as there."""
    frame = store.run("analysis_outcomes", measure=measure, pupil_group=group, term=term)
    codes, years = pd.factorize(frame["academic_year"])
    kept = np.array([missing_reason(measure, ay) is None for ay in years], dtype=bool)
    starts = np.array([start_year(ay) if keep else -1 for ay, keep in zip(years, kept,
                                                                          strict=True)],
                      dtype="int64")
    rows = kept[codes] if len(codes) else np.zeros(0, dtype=bool)
    urn = frame["urn"].to_numpy(dtype="int64")
    year = starts[codes] if len(codes) else np.zeros(0, dtype="int64")
    key = urn * 10_000 + year
    index = np.flatnonzero(rows)
    if len(index) > 1 and (np.diff(key[index]) < 0).any():
        index = index[np.argsort(key[index], kind="stable")]
    if len(index) < len(frame) or (len(index) and (np.diff(index) != 1).any()):
        frame = frame.iloc[index]
    return pd.DataFrame({"urn": urn[index], "year": year[index],
                         "cohort_size": frame["cohort_size"].array,
                         "value": frame["value"].to_numpy(dtype=float)})


def school_names(store: Store) -> dict[int, str]:
    """Every school's name by URN."""
    frame = store.run("analysis_school_names")
    return dict(zip(frame["urn"].astype("int64").tolist(), frame["name"].tolist(),
                    strict=True))


def schools(store: Store, urns: Sequence[int] | None = None) -> pd.DataFrame:
    """Every school (or only `urns`, with just their name and local authority)."""
    frame = (store.run("analysis_schools") if urns is None else
             store.run("analysis_schools_of", urns=[int(u) for u in urns]))
    frame["urn"] = frame["urn"].astype("int64")
    return frame


def memberships(store: Store) -> pd.DataFrame:
    """Memberships with `first_treated` (start year of the first treated academic year) and
    `last_treated` (start year of the last one, for a school that left; NaN if still in)."""
    frame = store.run("analysis_memberships")
    frame["urn"] = frame["urn"].astype("int64")
    frame["joined_date"] = _dates(frame["joined_date"])
    frame["left_date"] = _dates(frame["left_date"])
    frame["first_treated"] = per_distinct(frame["joined_date"],
                                          first_treated_start).astype(float)
    frame["last_treated"] = per_distinct(frame["left_date"],
                                         last_treated_start).astype(float)
    return frame


def _last_in(rows: pd.DataFrame) -> pd.Series:
    """Per school, the start year of its last treated year: NaN while any membership of it
    in `rows` is open (it has not left)."""
    if rows.empty:
        return pd.Series(dtype=float)
    still_in = rows["last_treated"].isna().groupby(rows["urn"]).any()
    last = rows.groupby("urn")["last_treated"].max()
    return last.where(~still_in.reindex(last.index).fillna(False).astype(bool))


def years_in(rows: pd.DataFrame) -> pd.DataFrame:
    """Per school of `rows` (memberships): `first_treated` and `last_treated` (NaN: still in),
    indexed by URN. A school in several of the rows counts from its first joining to its
    last leaving."""
    out = pd.DataFrame({"first_treated": rows.groupby("urn")["first_treated"].min()})
    out["last_treated"] = _last_in(rows).reindex(out.index)
    return out


def drop_after_leaving(figures: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """`figures` (urn, year, …) without a school's results after the last year it was in
    (`spans`: `years_in`). A school that left is not the partnership's any more."""
    if figures.empty or spans.empty:
        return figures
    last = figures["urn"].map(spans["last_treated"])
    return figures[~(last.notna() & (figures["year"] > last))].reset_index(drop=True)


def cohort_members(members: pd.DataFrame, cohort: CohortRef) -> pd.DataFrame:
    """The cohort's schools, each once at its first joining (a school can leave and rejoin),
    earliest joiner first: `memberships` rows."""
    mine = members[(members["partnership"] == cohort.partnership)
                   & (members["cohort"] == cohort.cohort)]
    first = mine.sort_values("joined_date", kind="stable").drop_duplicates("urn")
    if "last_treated" in mine:
        # the left date of its last membership (none while it is still in)
        spans = years_in(mine)
        lefts = mine.sort_values("joined_date", kind="stable").groupby("urn")["left_date"].last()
        first = first.assign(last_treated=first["urn"].map(spans["last_treated"]).to_numpy(),
                             left_date=[None if pd.isna(spans["last_treated"].get(u))
                                        else lefts.get(u) for u in first["urn"]])
    return first


def timing(members: pd.DataFrame, cohort: CohortRef) -> pd.DataFrame:
    """Per school: `first_treated` for this cohort (NaN if not in it) and `joined_any`, the
    earliest first treated year of any partnership it was in: from then on it has been
    working with others, so it is no longer a clean comparison for anyone."""
    in_cohort = members[(members["partnership"] == cohort.partnership)
                        & (members["cohort"] == cohort.cohort)]
    spans = years_in(in_cohort)
    anywhere = members.groupby("urn")["first_treated"].min()
    out = pd.DataFrame({"joined_any": anywhere})
    out["first_treated"] = spans["first_treated"].reindex(out.index)
    out["last_treated"] = spans["last_treated"].reindex(out.index)
    return out.rename_axis("unit").reset_index()


def benchmarks(store: Store, measure: str, group: str = "all",
               term: str | None = None) -> pd.DataFrame:
    frame = store.run("analysis_benchmarks", measure=measure, pupil_group=group, term=term)
    return _statutory_years_only(frame, measure)


# Each store file's disadvantaged shares, with the revision they were read at. The query joins
# the attainment table to itself: at national scale DuckDB holds about 290 MB while it runs, and
# the trends, the pairings and similar-school estimates (pages and the background thread) each
# asked for it, often at once. Read once per revision, one reader at a time, it is held once.
_SHARES: dict[str, tuple[tuple[Any, ...], pd.Series]] = {}
_SHARES_LOCK = threading.Lock()


def disadvantage(store: Store) -> pd.Series:
    """Each school's share of disadvantaged pupils (0..1), by URN; absent if never reported.
    The same Series for every caller until the store changes: callers read it, never change it."""
    key = str(store.path.resolve())
    with _SHARES_LOCK:
        revision = store.revision()
        kept = _SHARES.get(key)
        if kept is not None and kept[0] == revision:
            return kept[1]
        frame = store.run("analysis_disadvantage")
        shares = pd.Series(frame["disadvantaged_share"].to_numpy(dtype=float),
                           index=frame["urn"].astype("int64").to_numpy(),
                           name="disadvantaged_share")
        _SHARES[key] = (revision, shares)
        return shares


def mean_where(values: pd.Series, weights: pd.Series) -> float:
    """A weighted mean that falls back to the plain mean when no weights are known."""
    v = values.to_numpy(dtype=float)
    w = weights.to_numpy(dtype=float)
    ok = np.isfinite(v) & np.isfinite(w) & (w > 0)
    if ok.any():
        return float((v[ok] * w[ok]).sum() / w[ok].sum())
    finite = np.isfinite(v)
    return float(v[finite].mean()) if finite.any() else float("nan")
