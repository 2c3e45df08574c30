"""An improvement project's host school, lined up on the project's start date.

Case study 003's projects are one school each: a colleague from a partner school looks at an
area of need and presents findings and an action plan. Did the host's results move after it?
The honest answer follows the rules the cohorts follow, scaled down to one school:

- **Event time.** Termly measures (teacher assessments) are lined up in terms since the
  project began: term 0 is the first term that begins on or after the start date (a project
  that starts mid-term has that term counted before it, as a cohort's joining year is counted
  from the next 14 September). Statutory, yearly measures are lined up in years with the
  cohorts' rule (`event_time.first_treated_year`).
- **Comparison.** In each period, the host's figure against its partner schools' (schools
  sharing a partnership with it) pupil-weighted figure, leaving out any school that had begun
  a project of its own by then; with no partners, every other such school in the store. The
  *gap* (host minus comparison) is what is lined up: a rise the partners shared is not the
  project's.
- **Interval.** Each period's figures carry Wilson intervals from their pupil numbers, and the
  gap an interval from both. The change in the gap, after against before, is worked out on
  whole academic years: a year's terms are about the same pupils and share that year's ups and
  downs, so they are one piece of evidence, not three (on the demo's termly data, treating
  terms as separate pieces called two of three projects with no effect "clear"). A year's gap
  is the mean of its terms' gaps; the year the project began in, part before and part after,
  is left out. The interval is Student t from how much the yearly gap moved from year to
  year (so a school whose results swing has a wide range), on the years before and after
  minus two degrees of freedom. With one school nothing can separate the project from
  anything else that changed there, and the sentence says so.
- **Pre-trend.** With three or more years before the project, the yearly gap's slope before it
  is tested (t on years minus two degrees of freedom): a gap already narrowing before the
  start would narrow after it too. With fewer, the check cannot be made, and the caveat says
  so.
- **Small numbers.** A host figure about 5 pupils or fewer is hidden (`c`) and left out of
  the change; 6 to 10 is marked low reliability; no change is worked out from fewer than two
  periods before and one after.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from impact.analysis import data as d
from impact.analysis.event_time import first_treated_year
from impact.analysis.intervals import Z95, percent_interval
from impact.analysis.suppression import HIDDEN, LOW, display, reliability
from impact.domain.academic_years import TERMS, format_academic_year, start_year, term_order
from impact.domain.pupil_groups import group_label
from impact.store import Store

MIN_BEFORE = 2  # years (the change is worked out on whole academic years)
MIN_AFTER = 1
MIN_PRE_TREND = 3
PRE_TREND_ALPHA = 0.05
TERM_STARTS = {"Autumn": (9, 1), "Spring": (1, 1), "Summer": (4, 1)}


@dataclass(frozen=True)
class ProjectPoint:
    """One period of the host's line, with its comparison and the gap between them."""

    event_time: int
    period: str                   # "Spring 2022/23" (terms) or "2022/23" (years)
    host: float | None            # None when hidden (5 pupils or fewer) or missing
    host_low: float | None
    host_high: float | None
    host_pupils: float | None
    host_display: str             # the figure as shown: "62%", "c", "x"
    reliability: str              # suppression.OK / LOW / HIDDEN / UNKNOWN / MISSING
    comparison: float | None
    comparison_pupils: float | None
    comparison_schools: int
    gap: float | None
    gap_low: float | None
    gap_high: float | None


@dataclass(frozen=True)
class PreTrend:
    testable: bool
    periods: int
    slope: float | None = None    # points per period, before the project
    p_value: float | None = None
    flagged: bool | None = None   # True: the gap was already moving before the project


@dataclass
class ProjectLine:
    """The whole answer for one project, as the Schools and CPD pages show it."""

    urn: int
    host: str
    project: str
    start_date: dt.date
    measure: str
    measure_label: str
    measure_short: str
    is_percent: bool
    group: str
    unit: str                     # "term" or "year"
    first_after: str              # the period event time 0 stands for
    comparison_label: str
    comparison_schools: int
    points: list[ProjectPoint]
    years_before: int             # whole academic years behind the change
    years_after: int
    change: float | None          # yearly gap after minus yearly gap before, in points
    low: float | None
    high: float | None
    pre_trend: PreTrend
    status: str                   # "ok" or "not_enough_data"
    reason: str | None
    sentence: str
    caveat: str
    notes: list[str] = field(default_factory=list)

    @property
    def clear(self) -> bool:
        """Whether the change's likely range leaves out zero."""
        return self.low is not None and self.high is not None and (self.low > 0 or
                                                                     self.high < 0)


def first_term_after(start: dt.date) -> tuple[str, str]:
    """The first term that begins on or after `start`: event time 0 for a termly measure."""
    for year in (start.year - 1, start.year):
        for term in TERMS:
            month, day = TERM_STARTS[term]
            begins = dt.date(year + (0 if term == "Autumn" else 1), month, day)
            if begins >= start:
                return format_academic_year(year), term
    return format_academic_year(start.year + 1), "Autumn"  # pragma: no cover


def _term_index(academic_year: str, term: str) -> int:
    return start_year(academic_year) * 3 + term_order(term)


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def _weighted(rows: pd.DataFrame) -> tuple[float | None, float | None, int]:
    rows = rows.dropna(subset=["value"])
    if rows.empty:
        return None, None, 0
    sizes = rows["cohort_size"].astype(float)
    known = sizes.notna() & (sizes > 0)
    if known.any():
        g = rows[known]
        return (float((g["value"] * g["cohort_size"]).sum() / g["cohort_size"].sum()),
                float(g["cohort_size"].sum()), int(g["urn"].nunique()))
    return float(rows["value"].mean()), None, int(rows["urn"].nunique())


def _se(value: float | None, pupils: float | None, is_percent: bool) -> float | None:
    """A figure's standard error from its Wilson interval (percentages only)."""
    if value is None or not is_percent or pupils is None or not pupils > 0 \
            or not 0 <= value <= 100:
        return None
    low, high = percent_interval(value, pupils)
    return (high - low) / (2 * Z95)


def _mean(values: list[float]) -> float:
    return float(np.mean(values))


def project_line(store: Store, urn: int, project: str, measure: str | None = None, *,
                 group: str = "all") -> ProjectLine:
    """The host's `measure` (default: the project's own measure to watch) lined up on the
    project's start. Raises `UnknownName` for a project or measure that matches nothing."""
    projects = store.run("analysis_projects")
    mine = projects[(projects["urn"].astype(int) == int(urn)) & (projects["project"] == project)]
    if mine.empty:
        raise d.UnknownName(f"School {urn} has no improvement project called {project!r}.")
    row = mine.iloc[0]
    code = measure or (row["measure"] if isinstance(row["measure"], str) else None)
    if code is None:
        raise d.UnknownName(f"The project {project!r} names no measure to watch: choose one.")
    m = d.resolve_measure(code)
    grp = d.resolve_group(group)
    start = _as_date(row["start_date"])
    host = str(row["host_name"] if isinstance(row["host_name"], str) else urn)
    termly = not m.statutory
    unit = "term" if termly else "year"
    if termly:
        first_year, first_term = first_term_after(start)
        first_after = f"{first_term} {first_year}"
        zero = _term_index(first_year, first_term)
    else:
        first_year = first_treated_year(start)
        first_after = first_year
        zero = start_year(first_year)

    # The comparison: partners (else every other school), each until its own project began.
    members = d.memberships(store)
    partnerships = set(members.loc[members["urn"] == int(urn), "partnership"])
    partners = sorted(set(members.loc[members["partnership"].isin(partnerships), "urn"])
                      - {int(urn)})
    label = "its partner schools" if partners else "the other schools here"
    started: dict[int, int] = {}
    for other in projects.itertuples():
        if int(other.urn) == int(urn) or pd.isna(other.start_date):
            continue
        day = _as_date(other.start_date)
        if termly:
            index = _term_index(*first_term_after(day))
        else:
            index = start_year(first_treated_year(day))
        started[int(other.urn)] = min(started.get(int(other.urn), index), index)
    figures = d.attainment(store, m.code, grp, None if termly else "Summer",
                           urns=[int(urn), *partners] if partners else None)
    if termly:
        figures["index"] = [_term_index(y, t) for y, t in zip(figures["academic_year"],
                                                             figures["term"], strict=True)]
    else:
        figures["index"] = figures["year"].astype(int)
    own = figures[figures["urn"] == int(urn)]
    others = figures[figures["urn"] != int(urn)]
    others = others[[started.get(int(u), math.inf) > i
                     for u, i in zip(others["urn"], others["index"], strict=True)]]

    points: list[ProjectPoint] = []
    for r in own.sort_values("index").itertuples():
        pupils = None if pd.isna(r.cohort_size) else float(r.cohort_size)
        value = None if pd.isna(r.value) else float(r.value)
        how = reliability(pupils) if value is not None else "missing"
        shown = display(value, pupils, r.value_note if isinstance(r.value_note, str) else None,
                        decimals=0 if m.is_percent else 1, suffix="%" if m.is_percent else "")
        if how == HIDDEN:
            value = None
        low = high = None
        if value is not None and m.is_percent and pupils:
            low, high = percent_interval(value, pupils)
        comparison, comparison_pupils, schools = _weighted(others[others["index"] == r.index])
        gap = gap_low = gap_high = None
        if value is not None and comparison is not None:
            gap = value - comparison
            se_host = _se(value, pupils, m.is_percent)
            se_comp = _se(comparison, comparison_pupils, m.is_percent)
            if se_host is not None and se_comp is not None:
                spread = Z95 * math.sqrt(se_host ** 2 + se_comp ** 2)
                gap_low, gap_high = gap - spread, gap + spread
        period = f"{r.term} {r.academic_year}" if termly else str(r.academic_year)
        points.append(ProjectPoint(int(r.index - zero), period, value, low, high, pupils, shown,
                                   how, comparison, comparison_pupils, schools, gap, gap_low,
                                   gap_high))

    before, after = _years(points, termly)
    change = low = high = None
    status, reason = "ok", None
    if len(before) < MIN_BEFORE or len(after) < MIN_AFTER:
        status = "not_enough_data"
        reason = (f"{host} needs at least {MIN_BEFORE} years of results before the project "
                  f"and {MIN_AFTER} after it, beside {label}' results for the same "
                  f"{unit}s; it has {len(before)} before and {len(after)} after"
                  + (" (the year the project began in counts as neither)" if termly else "")
                  + ".")
    else:
        gaps_b = [g for _, g in before]
        gaps_a = [g for _, g in after]
        change = _mean(gaps_a) - _mean(gaps_b)
        df = len(gaps_b) + len(gaps_a) - 2
        if df >= 1:
            pooled = (sum((g - _mean(gaps_b)) ** 2 for g in gaps_b)
                      + sum((g - _mean(gaps_a)) ** 2 for g in gaps_a)) / df
            se = math.sqrt(pooled * (1 / len(gaps_b) + 1 / len(gaps_a)))
            crit = float(stats.t.ppf(0.975, df))
            low, high = change - crit * se, change + crit * se
    pre = _pre_trend(before)
    low_share = (sum(p.reliability == LOW for p in points if p.host is not None)
                 / max(1, sum(p.host is not None for p in points)))
    line = ProjectLine(
        urn=int(urn), host=host, project=project, start_date=start, measure=m.code,
        measure_label=m.label, measure_short=m.short, is_percent=m.is_percent, group=grp,
        unit=unit, first_after=first_after, comparison_label=label,
        comparison_schools=int(others["urn"].nunique()), points=points,
        years_before=len(before), years_after=len(after), change=change, low=low,
        high=high, pre_trend=pre, status=status, reason=reason, sentence="", caveat="")
    line.sentence = _sentence(line)
    line.caveat = _caveat(line)
    line.notes = _notes(line, low_share)
    return line


def _years(points: list[ProjectPoint], termly: bool
           ) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    """The gap per whole academic year before and after the project: (year, mean gap). A
    termly year with terms on both sides of the start is left out."""
    by_year: dict[int, list[ProjectPoint]] = {}
    for p in points:
        if p.gap is None:
            continue
        year = start_year(p.period.split()[-1]) if termly else start_year(p.period)
        by_year.setdefault(year, []).append(p)
    before, after = [], []
    for year, inside in sorted(by_year.items()):
        gap = _mean([p.gap for p in inside])
        if all(p.event_time < 0 for p in inside):
            before.append((year, gap))
        elif all(p.event_time >= 0 for p in inside):
            after.append((year, gap))
    return before, after


def _pre_trend(before: list[tuple[int, float]]) -> PreTrend:
    if len(before) < MIN_PRE_TREND:
        return PreTrend(False, len(before))
    x = np.array([year for year, _ in before], dtype=float)
    y = np.array([gap for _, gap in before], dtype=float)
    fit = stats.linregress(x, y)
    if not math.isfinite(fit.stderr) or fit.stderr == 0:
        return PreTrend(False, len(before))
    t_stat = fit.slope / fit.stderr
    p_value = float(2 * stats.t.sf(abs(t_stat), len(before) - 2))
    return PreTrend(True, len(before), float(fit.slope), p_value, p_value < PRE_TREND_ALPHA)


def _points(value: float) -> str:
    return f"{value:+.1f}".replace("-", "−") if abs(value) < 10 else \
        f"{value:+.0f}".replace("-", "−")


def _sentence(line: ProjectLine) -> str:
    if line.status != "ok" or line.change is None:
        return f"Not enough results yet to line up: {line.reason}"
    unit = "percentage points" if line.is_percent else "points"
    moved = (f"{line.host}'s gap to {line.comparison_label} in {line.measure_short} changed by "
             f"{_points(line.change)} {unit} after the project began")
    if line.low is None or line.high is None:
        return (f"{moved}. There is no likely range: too few years to tell this from the "
                "usual ups and downs.")
    span = f"(likely range {_points(line.low)} to {_points(line.high)})"
    if line.clear:
        return (f"{moved} {span}: more than its usual ups and downs, though one school's "
                "figures cannot show the project caused it.")
    return f"{moved} {span}: not clearly more than its usual ups and downs."


def _caveat(line: ProjectLine) -> str:
    pre = line.pre_trend
    if not pre.testable:
        trend = (f"With {pre.periods} year{'s' if pre.periods != 1 else ''} before the "
                 "project, whether the gap was already changing cannot be checked.")
    elif pre.flagged:
        trend = ("The gap was already moving before the project began, so the change after "
                 "it cannot be read as the project's.")
    else:
        trend = (f"The gap shows no clear trend over the {pre.periods} years before the "
                 "project (only a large one would show).")
    return (f"One school, not randomised: anything else that changed at {line.host} at the same "
            f"time would look the same. {trend}")


def _notes(line: ProjectLine, low_share: float) -> list[str]:
    notes = [f"Compared with {line.comparison_label} ({line.comparison_schools} school"
             f"{'s' if line.comparison_schools != 1 else ''}), pupil-weighted, each left out "
             "once it began a project of its own.",
             f"{line.unit.capitalize()} 0 is {line.first_after}, the first "
             f"{'term that began' if line.unit == 'term' else 'year counted'} after the project "
             f"started on {line.start_date:%d/%m/%Y}."]
    if line.group != "all":
        notes.append(f"Pupils: {group_label(line.group).lower()}.")
    if any(p.reliability == HIDDEN for p in line.points):
        notes.append("c: about 5 pupils or fewer, hidden and left out of the change.")
    if low_share >= 0.5:
        notes.append("Most of these figures are about 6 to 10 pupils: low reliability.")
    if line.unit == "term":
        notes.append(f"The change compares whole academic years ({line.years_before} before, "
                     f"{line.years_after} after; the year the project began in is left out): "
                     "a year's terms are about the same pupils, so they count as one.")
    return notes
