"""Time series for charts: a school, a cohort or a partnership, with its comparison lines,
by academic year or term and pupil group, and the same numbers lined up by years since joining.

Every frame that leaves here is ready to draw honestly: groups of 5 pupils or fewer are
hidden (`value` NaN, `display` "c"), percentages carry Wilson intervals from their pupil
numbers, and each line has explicit gap rows and `connect`/`break_before` flags
(`series.insert_gaps`) so a chart never bridges 2019/20-2020/21 or joins 2018/19 to 2021/22.

Aggregates (cohort, partnership, comparison groups) are pupil-weighted: the sum of each
school's figure times its cohort size over the sum of cohort sizes, i.e. the figure for all
their pupils together, as the DfE computes a trust's. Schools without a cohort size count
equally when none of them has one, and are left out otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from impact.analysis import data as d
from impact.analysis.event_time import event_time
from impact.analysis.intervals import percent_interval
from impact.analysis.matching import nearest_neighbours
from impact.analysis.regression_to_mean import cohort_dip, panel_noise, school_dip
from impact.analysis.series import insert_gaps
from impact.analysis.suppression import apply_suppression
from impact.domain.academic_years import format_academic_year, term_order
from impact.domain.pupil_groups import group_label
from impact.store import Store

COMPARISON_LINES = ("national", "local_authority", "not_in_cohort", "not_yet_joined",
                    "never_joined", "chosen", "similar")
LINE_LABELS = {"national": "England", "not_in_cohort": "Schools not in the cohort",
               "not_yet_joined": "Schools not yet working in a partnership",
               "never_joined": "Schools never in a partnership", "chosen": "Chosen schools",
               "similar": "Similar schools"}
COLUMNS = ["line", "line_kind", "academic_year", "term", "value", "low", "high", "pupils",
           "schools", "value_note", "display", "reliability", "rankable"]


def _aggregate(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Pupil-weighted figures per period for a set of schools' rows."""
    rows = rows.dropna(subset=["value"])
    if rows.empty:
        return pd.DataFrame(columns=[*keys, "value", "pupils", "schools"])
    out = []
    for key, group in rows.groupby(keys, sort=True):
        sizes = group["cohort_size"].astype(float)
        known = sizes.notna() & (sizes > 0)
        if known.any():
            g = group[known]
            value = float((g["value"] * g["cohort_size"]).sum() / g["cohort_size"].sum())
            pupils = float(g["cohort_size"].sum())
            schools = int(g["urn"].nunique())
        else:
            value, pupils, schools = float(group["value"].mean()), np.nan, int(
                group["urn"].nunique())
        key = key if isinstance(key, tuple) else (key,)
        out.append({**dict(zip(keys, key, strict=True)), "value": value, "pupils": pupils,
                    "schools": schools})
    return pd.DataFrame(out)


def _finish(frame: pd.DataFrame, measure: str, is_percent: bool) -> pd.DataFrame:
    """Intervals, suppression and gaps, for every line at once."""
    if frame.empty:
        return pd.DataFrame(columns=[*COLUMNS, "gap", "gap_reason", "break_before", "connect"])
    frame = frame.copy()
    if "value_note" not in frame:
        frame["value_note"] = None
    lows, highs = [], []
    for v, n in zip(frame["value"], frame["pupils"], strict=True):
        if is_percent and pd.notna(v) and pd.notna(n) and n > 0 and 0 <= v <= 100:
            lo, hi = percent_interval(float(v), float(n))
        else:
            lo, hi = np.nan, np.nan
        lows.append(lo)
        highs.append(hi)
    frame["low"], frame["high"] = lows, highs
    frame = apply_suppression(frame, size="pupils", decimals=0 if is_percent else 1,
                              suffix="%" if is_percent else "")
    hidden = frame["shown"].isna()
    frame["value"] = frame["shown"]
    frame.loc[hidden, ["low", "high"]] = np.nan
    frame = frame.reindex(columns=COLUMNS)
    frame["_order"] = frame["term"].map(term_order)
    frame = frame.sort_values(["line", "academic_year", "_order"]).drop(columns="_order")
    return insert_gaps(frame, measure, by=["line", "line_kind"])


def _members(store: Store, *, urn: int | None, cohort: str | None,
             partnership: str | None) -> tuple[str, str, list[int], pd.DataFrame]:
    members = d.memberships(store)
    if urn is not None:
        names = d.schools(store, urns=[int(urn)]).set_index("urn")["name"]
        return "school", str(names.get(urn, urn)), [int(urn)], members
    if cohort is not None:
        ref = d.find_cohort(store, cohort, partnership)
        mine = members[(members["partnership"] == ref.partnership)
                       & (members["cohort"] == ref.cohort)]
        return "cohort", ref.label, sorted(set(mine["urn"].astype(int))), members
    if partnership is not None:
        mine = members[members["partnership"].str.lower() == partnership.lower()]
        if mine.empty:
            known = "; ".join(sorted(set(members["partnership"]))) or "none yet"
            raise d.UnknownName(f"There is no partnership called {partnership!r}. The "
                                f"partnerships are: {known}.")
        return ("partnership", str(mine["partnership"].iloc[0]),
                sorted(set(mine["urn"].astype(int))), members)
    raise ValueError("say which school (urn), cohort or partnership to draw")


def trend(store: Store, measure: str, *, group: str = "all", by: str = "year",
          urn: int | None = None, cohort: str | None = None, partnership: str | None = None,
          comparisons: Sequence[str] = ("national",), urns: Sequence[int] | None = None,
          neighbours: int = 5) -> pd.DataFrame:
    """The subject's line and its comparison lines, long format, ready to draw.

    Subject: `urn` (one school), `cohort` (its member schools, whenever they joined) or
    `partnership` (every school in any of its cohorts). `by`: "year" (Summer figures) or
    "term" (every term: teacher assessments). `comparisons`: any of `COMPARISON_LINES`
    (`chosen` uses `urns`). "not_yet_joined" is, in each year, the schools that were not yet
    working in any partnership (never-joined schools included).

    Columns: line, line_kind, academic_year, term, value (NaN when hidden or missing), low,
    high (Wilson 95% for percentages), pupils, schools, value_note, display, reliability,
    rankable, gap, gap_reason, break_before, connect.
    """
    m = d.resolve_measure(measure)
    grp = d.resolve_group(group)
    unknown = [c for c in comparisons if c not in COMPARISON_LINES]
    if unknown:
        raise d.UnknownName(f"Unknown comparison line(s) {', '.join(unknown)}; use any of "
                            f"{', '.join(COMPARISON_LINES)}.")
    term = "Summer" if by == "year" else None
    kind, label, subject, members = _members(store, urn=urn, cohort=cohort,
                                             partnership=partnership)
    # Benchmark lines come from their own table: other schools' rows are read only when a
    # comparison line is made of them (at national scale, millions of rows).
    from_schools = any(c not in ("national", "local_authority") for c in comparisons)
    figures = d.attainment(store, m.code, grp, term, urns=None if from_schools else subject)
    keys = ["academic_year", "term"]
    lines = []
    mine = figures[figures["urn"].isin(subject)]
    if kind == "school":
        own = mine.rename(columns={"cohort_size": "pupils"}).assign(schools=1)
        lines.append(own[[*keys, "value", "pupils", "schools", "value_note"]].assign(
            line=label, line_kind="school"))
    else:
        lines.append(_aggregate(mine, keys).assign(line=label, line_kind=kind))

    others = figures[~figures["urn"].isin(subject)]
    joined_any = members.groupby("urn")["first_treated"].min()
    for comparison in comparisons:
        if comparison in ("national", "local_authority"):
            lines.append(_benchmark_line(store, m.code, grp, term, comparison, subject))
            continue
        if comparison == "not_in_cohort":
            rows = others
        elif comparison == "never_joined":
            rows = others[~others["urn"].isin(joined_any.index)]
        elif comparison == "not_yet_joined":
            first = others["urn"].map(joined_any)
            rows = others[first.isna() | (first > others["year"])]
        elif comparison == "chosen":
            rows = others[others["urn"].isin(set(urns or ()))]
        else:  # similar
            rows = others[others["urn"].isin(_similar(store, figures, members, subject,
                                                      neighbours))]
        lines.append(_aggregate(rows, keys).assign(line=LINE_LABELS[comparison],
                                                   line_kind=comparison))
    frame = pd.concat([x for x in lines if not x.empty], ignore_index=True) if any(
        not x.empty for x in lines) else pd.DataFrame(columns=COLUMNS)
    out = _finish(frame, m.code, m.is_percent)
    out.attrs.update({"measure": m.code, "group": grp, "group_label": group_label(grp),
                      "subject": label, "subject_kind": kind})
    return out


def _benchmark_line(store: Store, measure: str, group: str, term: str | None, kind: str,
                    subject: list[int]) -> pd.DataFrame:
    bench = d.benchmarks(store, measure, group, term)
    if kind == "national":
        rows = bench[bench["area_type"] == "national"]
        name = "England"
    else:
        las = d.schools(store, urns=subject).set_index("urn")["local_authority"].reindex(
            subject).dropna()
        if las.empty:
            return pd.DataFrame()
        la = las.mode().iloc[0]
        key = str(la).strip().lower()
        local = bench[bench["area_type"] == "local_authority"]
        rows = local[(local["area_name"].fillna("").str.strip().str.lower() == key)
                     | (local["area_code"].fillna("").str.strip().str.lower() == key)]
        name = str(la)
    if rows.empty:
        return pd.DataFrame()
    rows = rows.rename(columns={"cohort_size": "pupils"})
    return rows[["academic_year", "term", "value", "pupils", "value_note"]].assign(
        schools=np.nan, line=name, line_kind=kind)


def _similar(store: Store, figures: pd.DataFrame, members: pd.DataFrame,
             subject: list[int], neighbours: int) -> list[int]:
    """Nearest neighbours of the subject's schools among schools never in a partnership or
    not yet in one when the subject's first school joined."""
    mine = members[members["urn"].isin(subject)]
    first = mine["first_treated"].min() if not mine.empty else np.inf
    joined_any = members.groupby("urn")["first_treated"].min()
    pool = [u for u in set(figures["urn"]) - set(subject) if not joined_any.get(u, np.inf) <= first]
    before = figures[figures["year"] < first] if np.isfinite(first) else figures
    prior = before.groupby("urn").apply(
        lambda r: d.mean_where(r["value"], r["cohort_size"]), include_groups=False)
    features = d.schools(store).set_index("urn").reindex(columns=["phase", "pupils"])
    features["prior_attainment"] = prior.reindex(features.index)
    features["disadvantaged_share"] = d.disadvantage(store).reindex(features.index)
    treated = [u for u in subject if u in features.index]
    pool = [u for u in pool if u in features.index]
    return sorted(set(nearest_neighbours(features, treated, pool, k=neighbours)["match"]))


def event_time_trend(store: Store, cohort: str, measure: str, *, group: str = "all",
                     partnership: str | None = None) -> pd.DataFrame:
    """The cohort's schools lined up by years since joining (each by its own first treated
    year): pupil-weighted figure, pupils and schools per event time, with suppression.

    Event times whose calendar years are missing for every school (2019/20, 2020/21) are
    simply absent; `years` lists which academic years each point draws on."""
    m = d.resolve_measure(measure)
    grp = d.resolve_group(group)
    ref = d.find_cohort(store, cohort, partnership)
    first = d.cohort_members(d.memberships(store), ref).set_index("urn")["first_treated"]
    rows = d.attainment(store, m.code, grp, "Summer", urns=first.index.tolist())
    if rows.empty:
        return pd.DataFrame(columns=["event_time", "value", "low", "high", "pupils",
                                     "schools", "years", "display", "reliability"])
    rows["event_time"] = [event_time(ay, format_academic_year(int(first[u])))
                          for ay, u in zip(rows["academic_year"], rows["urn"], strict=True)]
    out = _aggregate(rows, ["event_time"])
    years = rows.dropna(subset=["value"]).groupby("event_time")["academic_year"].agg(
        lambda s: ", ".join(sorted(set(s))))
    out["years"] = out["event_time"].map(years)
    out["low"], out["high"] = np.nan, np.nan
    if m.is_percent:
        for i, (v, n) in enumerate(zip(out["value"], out["pupils"], strict=True)):
            if pd.notna(n) and n > 0:
                out.loc[out.index[i], ["low", "high"]] = percent_interval(float(v), float(n))
    out = apply_suppression(out, size="pupils", decimals=0 if m.is_percent else 1,
                            suffix="%" if m.is_percent else "")
    out.loc[out["shown"].isna(), ["low", "high"]] = np.nan
    out["value"] = out["shown"]
    return out[["event_time", "value", "low", "high", "pupils", "schools", "years", "display",
                "reliability"]].reset_index(drop=True)


def before_after(store: Store, cohort: str, measure: str, *, group: str = "all",
                 partnership: str | None = None) -> pd.DataFrame:
    """Per school and for the cohort: mean result before joining and after, and the change.

    A plain before/after is not an impact estimate (national results move too, and schools
    that joined after a dip bounce back): it is the raw material a page shows beside the
    estimate, with the dip flag (`regression_to_mean`). Means are pupil-weighted over years;
    `pupils_*` are average year-group sizes, which the suppression rules are applied to.
    """
    m = d.resolve_measure(measure)
    grp = d.resolve_group(group)
    ref = d.find_cohort(store, cohort, partnership)
    mine = d.cohort_members(d.memberships(store), ref)
    # A percentage's noise comes from each school's own size; a score's from the whole
    # panel's year-to-year wobble, so only then are other schools' rows read.
    figures = d.attainment(store, m.code, grp, "Summer",
                           urns=sorted(set(mine["urn"].astype(int))) if m.is_percent else None
                           ).dropna(subset=["value"])
    names = d.schools(store).set_index("urn")["name"]
    rows = []
    panel = figures.rename(columns={"urn": "unit", "cohort_size": "weight"})
    noise = None if m.is_percent else panel_noise(panel)
    by_school = dict(tuple(figures[figures["urn"].isin(mine["urn"])].groupby("urn", sort=False)))
    for r in mine.itertuples():
        own = by_school.get(r.urn, figures.iloc[0:0])
        before = own[own["year"] < r.first_treated]
        after = own[own["year"] >= r.first_treated]
        dip = school_dip(r.urn, before.rename(columns={"cohort_size": "weight"}),
                         is_percent=m.is_percent, noise=noise)
        rows.append({
            "urn": int(r.urn), "name": str(names.get(r.urn, r.urn)),
            "joined_date": r.joined_date,
            "first_treated_year": format_academic_year(int(r.first_treated)),
            "years_before": len(before), "years_after": len(after),
            "mean_before": d.mean_where(before["value"], before["cohort_size"])
            if len(before) else np.nan,
            "mean_after": d.mean_where(after["value"], after["cohort_size"])
            if len(after) else np.nan,
            "pupils_before": before["cohort_size"].mean() if len(before) else np.nan,
            "pupils_after": after["cohort_size"].mean() if len(after) else np.nan,
            "dip": bool(dip.flagged) if dip else False})
    out = pd.DataFrame(rows, columns=["urn", "name", "joined_date", "first_treated_year",
                                      "years_before", "years_after", "mean_before",
                                      "mean_after", "pupils_before", "pupils_after", "dip"])
    if out.empty:
        return out.assign(change=pd.Series(dtype=float), reliability=None)
    total = {"urn": None, "name": f"All schools in {ref.cohort}", "joined_date": None,
             "first_treated_year": None, "years_before": int(out["years_before"].sum()),
             "years_after": int(out["years_after"].sum()),
             "mean_before": d.mean_where(out["mean_before"], out["pupils_before"]),
             "mean_after": d.mean_where(out["mean_after"], out["pupils_after"]),
             "pupils_before": out["pupils_before"].sum(min_count=1),
             "pupils_after": out["pupils_after"].sum(min_count=1),
             "dip": cohort_dip(panel, dict(zip(mine["urn"].astype(int),
                                               mine["first_treated"].astype(int),
                                               strict=True)),
                               is_percent=m.is_percent).flagged}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["change"] = out["mean_after"] - out["mean_before"]
    size = out[["pupils_before", "pupils_after"]].min(axis=1, skipna=True)
    shown = apply_suppression(out.assign(_size=size), value="change", size="_size")
    hidden = shown["reliability"] == "hidden"
    out.loc[hidden, ["mean_before", "mean_after", "change"]] = np.nan
    out["reliability"] = shown["reliability"]
    return out
