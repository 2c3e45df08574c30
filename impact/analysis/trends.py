"""Time series for charts: a school, a cohort or a partnership, with its comparison lines,
by academic year or term and pupil group, and the same numbers lined up by years since joining.

`trend(...)` returns a `Trend`: typed lines (`TrendLine`) that pages and chart builders read by
attribute, and the long frame behind them (`Trend.frame`) for tables and CSV. Every line that
leaves here is ready to draw honestly:

- groups of 5 pupils or fewer are hidden (`value` NaN, `display` "c"), and so is any figure
  from which a hidden one could be worked out: a pupil group's figure when the other half of
  its pair (disadvantaged / not disadvantaged, boys / girls) is hidden and All pupils is shown
  (`suppression.suppress_pupil_groups`), for each school and again for each line of schools;
  an aggregate is made only of figures a person could see, so subtracting lines gives nothing
  away either; a line whose every school's figure is hidden is `c`, never `x`;
- figures about 6 to 10 pupils carry the low-reliability mark (`reliability` "low", `u`);
- percentages carry Wilson intervals from their pupil numbers;
- each line has explicit gap rows and `connect`/`break_before` flags (`series.insert_gaps`),
  so a chart never bridges 2019/20-2020/21 or joins 2018/19 to 2021/22;
- a line of several schools says, per period, how many schools it covers of how many it
  should (`schools`, `expected`, `complete`): a partial termly return is never "the 7
  schools"; and a school that left a partnership leaves its line after its last year in.

Aggregates (cohort, partnership, comparison groups) are pupil-weighted: the sum of each
school's figure times its cohort size over the sum of cohort sizes, i.e. the figure for all
their pupils together, as the DfE computes a trust's. Schools without a cohort size count
equally when none of them has one, and are left out otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from impact.analysis import data as d
from impact.analysis.event_time import event_time
from impact.analysis.intervals import percent_interval
from impact.analysis.matching import nearest_neighbours
from impact.analysis.regression_to_mean import cohort_dip, panel_noise, school_dip
from impact.analysis.series import insert_gaps
from impact.analysis.suppression import (
    HIDDEN,
    apply_suppression,
    groups_to_read,
    hide_recoverable,
    pair_of,
    source_hidden,
)
from impact.domain import areas
from impact.domain import comparisons as kinds
from impact.domain import missing_values as mv
from impact.domain.academic_years import format_academic_year, start_year, term_order
from impact.domain.pupil_groups import group_label
from impact.domain.small_numbers import SUPPRESSED_MARK
from impact.store import Store

COMPARISON_LINES = kinds.FOR_TRENDS
LINE_LABELS = {code: kinds.comparison(code).line for code in COMPARISON_LINES
               if code != kinds.LOCAL_AUTHORITY}
SUBJECT_KINDS = ("school", "cohort", "partnership")
COLUMNS = ["line", "line_kind", "academic_year", "term", "value", "low", "high", "pupils",
           "schools", "expected", "complete", "value_note", "display", "reliability",
           "rankable"]
LINE_DATA = ["academic_year", "term", "value", "low", "high", "pupils", "schools", "expected",
             "complete", "value_note", "display", "reliability", "rankable"]


@dataclass(frozen=True)
class TrendLine:
    """One line: its name as labelled, its kind (`school`, `cohort`, `partnership`, or a
    comparison code from `impact.domain.comparisons`) and its rows, one per period with a
    figure or a code (`LINE_DATA` columns; gap-only rows are left out)."""

    name: str
    kind: str
    data: pd.DataFrame

    @property
    def is_subject(self) -> bool:
        return self.kind in SUBJECT_KINDS


@dataclass(frozen=True)
class Trend:
    """A subject's line and its comparison lines for one measure and pupil group."""

    measure: str
    group: str
    subject: str          # its name: a school, "Partnership / Cohort", a partnership
    subject_kind: str     # "school", "cohort" or "partnership"
    by: str               # "year" or "term"
    subject_schools: int  # the schools the subject line is made of (at most)
    frame: pd.DataFrame   # every line, long format, with gap rows (for tables and CSV)

    @property
    def group_label(self) -> str:
        return group_label(self.group)

    @property
    def empty(self) -> bool:
        return self.frame.empty

    @property
    def lines(self) -> list[TrendLine]:
        """The subject first, then the comparison lines in the order asked for."""
        if self.frame.empty:
            return []
        keep = ~(self.frame["gap"].astype(bool) & self.frame["pupils"].isna()
                 & self.frame["value_note"].isna())
        rows = self.frame[keep]
        out = [TrendLine(str(name), str(kind), data[LINE_DATA].reset_index(drop=True))
               for (name, kind), data in rows.groupby(["line", "line_kind"], sort=False)]
        return sorted(out, key=lambda line: not line.is_subject)

    @property
    def subject_line(self) -> TrendLine | None:
        return next((line for line in self.lines if line.is_subject), None)

    def within(self, years: tuple[str, str] | None) -> Trend:
        """The same trend cut to a range of academic years (None: every year)."""
        if years is None or self.frame.empty:
            return self
        first, last = (start_year(y) for y in years)
        starts = self.frame["academic_year"].map(start_year)
        return replace(self, frame=self.frame[(starts >= first) & (starts <= last)]
                       .reset_index(drop=True))


# --- figures a person could see ----------------------------------------------------------------

def _pair(group: str) -> tuple[str, ...] | None:
    return pair_of(group)


def _source_hidden(rows: pd.DataFrame) -> pd.Series:
    return source_hidden(rows)


def _figures(store: Store, measure: str, group: str, term: str | None,
             urns: Sequence[int] | None) -> pd.DataFrame:
    """The figures for `group`, protected: for a group that is half of a pair, read with
    its other half and All pupils so that hiding one hides what would give it away."""
    frames = [d.attainment(store, measure, g, term, urns=urns).assign(pupil_group=g)
              for g in groups_to_read(group)]
    figures = pd.concat([f for f in frames if not f.empty], ignore_index=True) if any(
        not f.empty for f in frames) else frames[0]
    if figures.empty:
        return figures
    visible = hide_recoverable(figures, ["urn", "academic_year", "term"])
    return visible[visible["pupil_group"] == group].reset_index(drop=True)


def _aggregate(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Pupil-weighted figures per period for a set of schools' rows. A period whose every
    school's figure is hidden is `c` (never `x`)."""
    out = []
    for key, group in rows.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        base = dict(zip(keys, key, strict=True))
        shown = group.dropna(subset=["value"])
        if shown.empty:
            notes = {mv.symbol(n) for n in group["value_note"] if isinstance(n, str)}
            note = SUPPRESSED_MARK if SUPPRESSED_MARK in notes else (
                next(iter(group["value_note"].dropna()), None) if len(notes) == 1 else "x")
            out.append({**base, "value": np.nan, "pupils": np.nan, "schools": 0,
                        "value_note": note})
            continue
        sizes = shown["cohort_size"].astype(float)
        known = sizes.notna() & (sizes > 0)
        if known.any():
            g = shown[known]
            value = float((g["value"] * g["cohort_size"]).sum() / g["cohort_size"].sum())
            pupils = float(g["cohort_size"].sum())
            schools = int(g["urn"].nunique())
        else:
            value, pupils, schools = float(shown["value"].mean()), np.nan, int(
                shown["urn"].nunique())
        out.append({**base, "value": value, "pupils": pupils, "schools": schools,
                    "value_note": None})
    return pd.DataFrame(out, columns=[*keys, "value", "pupils", "schools", "value_note"])


def _finish(frame: pd.DataFrame, measure: str, is_percent: bool) -> pd.DataFrame:
    """Intervals, suppression and gaps, for every line at once."""
    if frame.empty:
        return pd.DataFrame(columns=[*COLUMNS, "gap", "gap_reason", "break_before", "connect"])
    frame = frame.copy()
    for column in ("value_note", "expected", "complete"):
        if column not in frame:
            frame[column] = None
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
             partnership: str | None) -> tuple[str, str, list[int], pd.DataFrame, pd.DataFrame]:
    """(kind, name, URNs, every membership, the subject's memberships)."""
    members = d.memberships(store)
    if urn is not None:
        names = d.schools(store, urns=[int(urn)]).set_index("urn")["name"]
        return "school", str(names.get(urn, urn)), [int(urn)], members, members.iloc[0:0]
    if cohort is not None:
        ref = d.find_cohort(store, cohort, partnership)
        mine = members[(members["partnership"] == ref.partnership)
                       & (members["cohort"] == ref.cohort)]
        return "cohort", ref.label, sorted(set(mine["urn"].astype(int))), members, mine
    if partnership is not None:
        mine = members[members["partnership"].str.lower() == partnership.lower()]
        if mine.empty:
            known = "; ".join(sorted(set(members["partnership"]))) or "none yet"
            raise d.UnknownName(f"There is no partnership called {partnership!r}. The "
                                f"partnerships are: {known}.")
        return ("partnership", str(mine["partnership"].iloc[0]),
                sorted(set(mine["urn"].astype(int))), members, mine)
    raise ValueError("say which school (urn), cohort or partnership to draw")


def _coverage(line: pd.DataFrame, mine: pd.DataFrame, reporters: set[int],
              spans: pd.DataFrame) -> pd.DataFrame:
    """`expected` (the subject's schools that report this measure and were still in that
    year) and `complete` (every one of them is in the figure) for each period of a line."""
    if line.empty:
        return line.assign(expected=pd.Series(dtype=float), complete=pd.Series(dtype=bool))
    last = spans["last_treated"] if not spans.empty else pd.Series(dtype=float)
    expected = []
    for year in line["academic_year"]:
        y = start_year(year)
        expected.append(sum(1 for u in reporters
                            if not (pd.notna(last.get(u)) and y > last.get(u))))
    out = line.assign(expected=expected)
    out["complete"] = out["schools"].fillna(0).astype(int) >= out["expected"]
    return out


def trend(store: Store, measure: str, *, group: str = "all", by: str = "year",
          urn: int | None = None, cohort: str | None = None, partnership: str | None = None,
          comparisons: Sequence[str] = ("national",), urns: Sequence[int] | None = None,
          neighbours: int = 5) -> Trend:
    """The subject's line and its comparison lines, ready to draw.

    Subject: `urn` (one school), `cohort` (its member schools, whenever they joined, until
    they left) or `partnership` (every school in any of its cohorts, likewise). `by`: "year"
    (Summer figures) or "term" (every term: teacher assessments). `comparisons`: any of
    `COMPARISON_LINES` (`chosen` uses `urns`). "not_yet_joined" is, in each year, the schools
    that were not yet working in any partnership (never-joined schools included).

    The frame's columns: line, line_kind, academic_year, term, value (NaN when hidden or
    missing), low, high (Wilson 95% for percentages), pupils, schools, expected, complete,
    value_note, display, reliability, rankable, gap, gap_reason, break_before, connect.
    """
    m = d.resolve_measure(measure)
    grp = d.resolve_group(group)
    unknown = [c for c in comparisons if c not in COMPARISON_LINES]
    if unknown:
        raise d.UnknownName(f"Unknown comparison line(s) {', '.join(unknown)}; use any of "
                            f"{', '.join(COMPARISON_LINES)}.")
    term = "Summer" if by == "year" else None
    kind, label, subject, members, mine_members = _members(store, urn=urn, cohort=cohort,
                                                           partnership=partnership)
    # Benchmark lines come from their own table: other schools' rows are read only when a
    # comparison line is made of them (at national scale, millions of rows).
    from_schools = any(c not in kinds.BENCHMARKS for c in comparisons)
    figures = _figures(store, m.code, grp, term, None if from_schools else subject)
    keys = ["academic_year", "term"]
    lines = []
    mine = figures[figures["urn"].isin(subject)]
    spans = d.years_in(mine_members) if not mine_members.empty else pd.DataFrame(
        columns=["first_treated", "last_treated"])
    if kind == "school":
        own = mine.rename(columns={"cohort_size": "pupils"}).assign(
            schools=mine["value"].notna().astype(int), expected=1)
        own["complete"] = own["schools"] >= 1
        lines.append(own[[*keys, "value", "pupils", "schools", "expected", "complete",
                          "value_note"]].assign(line=label, line_kind="school"))
    else:
        # a school that left counts for the partnership only up to its last year in
        mine = d.drop_after_leaving(mine, spans)
        reporters = set(mine["urn"].astype(int))
        line = _coverage(_aggregate(mine, keys), mine_members, reporters, spans)
        lines.append(line.assign(line=label, line_kind=kind))

    others = figures[~figures["urn"].isin(subject)]
    joined_any = members.groupby("urn")["first_treated"].min()
    for comparison in comparisons:
        if comparison in kinds.BENCHMARKS:
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
    if _pair(grp) is not None and kind != "school":
        out = _protect_lines(store, out, m.code, grp, term, subject, kind, mine_members,
                             spans, keys)
    return Trend(m.code, grp, label, kind, by, len(subject), out)


def _protect_lines(store: Store, out: pd.DataFrame, measure: str, group: str,
                   term: str | None, subject: list[int], kind: str,
                   mine_members: pd.DataFrame, spans: pd.DataFrame,
                   keys: list[str]) -> pd.DataFrame:
    """Hide the subject line's figure where the other half of its pair is hidden for the
    same schools and All pupils is shown: otherwise All minus the other half gives it away."""
    pair = _pair(group)
    assert pair is not None
    sibling = next(g for g in pair if g != group)
    lines = {}
    for g in ("all", sibling):
        rows = _figures(store, measure, g, term, subject)
        rows = d.drop_after_leaving(rows, spans)
        lines[g] = _aggregate(rows, keys)
    subject_rows = out[out["line_kind"] == kind]
    table = []
    for r in subject_rows.itertuples():
        table.append({"_row": r.Index, "key": (r.academic_year, r.term), "pupil_group": group,
                      "value": r.value, "pupils": r.pupils, "value_note": r.value_note})
    for g, line in lines.items():
        for r in line.itertuples():
            table.append({"_row": None, "key": (r.academic_year, r.term), "pupil_group": g,
                          "value": r.value, "pupils": r.pupils, "value_note": r.value_note})
    if not table:
        return out
    frame = pd.DataFrame(table)
    protected = hide_recoverable(frame, ["key"], size="pupils")
    hidden = protected[(protected["pupil_group"] == group) & protected["_row"].notna()
                       & protected["value"].isna() & frame["value"].notna()]
    rows = hidden["_row"].astype(int).tolist()
    if rows:
        out = out.copy()
        out.loc[rows, ["value", "low", "high"]] = np.nan
        out.loc[rows, "display"] = SUPPRESSED_MARK
        out.loc[rows, "reliability"] = HIDDEN
        out.loc[rows, "rankable"] = False
        out.loc[rows, "complete"] = False
    return out


def _benchmark_line(store: Store, measure: str, group: str, term: str | None, kind: str,
                    subject: list[int]) -> pd.DataFrame:
    bench = d.benchmarks(store, measure, group, term)
    if kind == kinds.NATIONAL:
        rows = bench[bench["area_type"] == areas.NATIONAL]
        if areas.ENGLAND_CODE in set(rows["area_code"]):
            rows = rows[rows["area_code"] == areas.ENGLAND_CODE]
        name = areas.ENGLAND_NAME
    else:
        las = d.schools(store, urns=subject).set_index("urn")["local_authority"].reindex(
            subject).dropna()
        if las.empty:
            return pd.DataFrame()
        la = las.mode().iloc[0]
        key = str(la).strip().lower()
        local = bench[bench["area_type"] == areas.LOCAL_AUTHORITY]
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
    members = d.cohort_members(d.memberships(store), ref).set_index("urn")
    first = members["first_treated"]
    rows = d.drop_after_leaving(
        d.attainment(store, m.code, grp, "Summer", urns=first.index.tolist()),
        members[["first_treated", "last_treated"]])
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
    # a school that left counts only up to its last year in the cohort
    figures = d.drop_after_leaving(figures, mine.set_index("urn")[["first_treated",
                                                                  "last_treated"]])
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
