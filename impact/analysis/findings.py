"""What a chart on the CPD, Ofsted, Schools and Overview pages may claim, decided here from
the numbers it draws, so that the chart only draws and the words module only says it.

Each function returns a small typed result with its verdict from `impact.domain.verdicts`;
`impact.analysis.wording` turns it into the chart's title. The rules:

- a change in staff hours is between two *whole* years, named both (a year still under way is
  never read as a fall);
- a share good or outstanding is above or below the schools it is compared with only when its
  likely range sits wholly on one side of theirs; otherwise the title gives both numbers and
  no verdict;
- staff's ratings count as higher after an activity only when the rise's likely range is
  wholly above 0;
- CPD hours and the change in results are said to go together only when the correlation's
  interval leaves out 0, and only over schools whose change is about `HEADLINE_MIN` pupils
  or more (a school on fewer is drawn, and named in a note, but no title rests on it);
- above or below England, and strengths or needs against partners, are counted from verdicts
  already made on likely ranges (`headlines.tile`, `reports.schools.strengths_and_needs`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from impact.analysis.correlation import pearson_with_interval
from impact.analysis.headlines import Tile
from impact.domain import verdicts
from impact.domain.academic_years import TERMS, start_year, term_order
from impact.domain.small_numbers import HEADLINE_MIN


def _number(value: object) -> float | None:
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


# --- staff hours each year -----------------------------------------------------------------------

@dataclass(frozen=True)
class HoursByYear:
    """Staff hours in the latest whole academic year, against the whole year before it."""

    later: str | None            # the latest whole year (every term recorded)
    later_hours: float | None
    earlier: str | None          # the whole year before it that is compared
    earlier_hours: float | None
    direction: str | None        # `verdicts.UP`, `DOWN` or `LEVEL`; None with one whole year
    any_hours: bool              # whether any year has hours at all


def whole_years(records: pd.DataFrame) -> list[str]:
    """Academic years with records in every term, oldest first."""
    out = []
    for year, rows in records.groupby("academic_year"):
        if set(rows["term"].dropna()) >= set(TERMS):
            out.append(str(year))
    return sorted(out, key=start_year)


def hours_by_year(records: pd.DataFrame) -> HoursByYear:
    """`records`: one row per CPD record (academic_year, term, staff_hours)."""
    whole = whole_years(records)
    totals = {y: float(records.loc[records["academic_year"] == y, "staff_hours"].sum())
              for y in whole}
    any_hours = bool(records["staff_hours"].fillna(0).sum() > 0)
    if not whole:
        return HoursByYear(None, None, None, None, None, any_hours)
    later = whole[-1]
    if len(whole) < 2:
        return HoursByYear(later, totals[later], None, None, None, any_hours)
    earlier = whole[-2]
    a, b = round(totals[earlier]), round(totals[later])
    direction = verdicts.UP if b > a else verdicts.DOWN if b < a else verdicts.LEVEL
    return HoursByYear(later, totals[later], earlier, totals[earlier], direction, any_hours)


# --- staff hours by activity, the latest year against the same terms a year before ----------------

@dataclass(frozen=True)
class CpdYears:
    """Staff hours per activity in the latest year and, for the same terms, the year before."""

    latest: str
    previous: str | None
    terms: tuple[str, ...]  # the latest year's terms with records
    hours_now: pd.Series  # by activity, biggest last
    hours_before: pd.Series  # same index; NaN where the year before has no record
    staff_now: pd.Series

    @property
    def whole_year(self) -> bool:
        return set(self.terms) == set(TERMS)

    @property
    def when(self) -> str:
        """'2023/24', or 'the Autumn and Spring terms of 2023/24' for a year under way."""
        if self.whole_year:
            return self.latest
        terms = list(self.terms)
        listed = terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " and " + terms[-1]
        noun = "term" if len(self.terms) == 1 else "terms"
        return f"the {listed} {noun} of {self.latest}"

    @property
    def terms_label(self) -> str:
        """'2023/24', or '2023/24 (Spring only)', '2023/24 (Autumn and Spring)'."""
        if self.whole_year:
            return self.latest
        terms = list(self.terms)
        listed = (f"{terms[0]} only" if len(terms) == 1
                  else ", ".join(terms[:-1]) + " and " + terms[-1])
        return f"{self.latest} ({listed})"

    @property
    def leader(self) -> str | None:
        """The activity with the most staff hours in the latest year, or None when none has
        hours or two share the most (no one activity took the most)."""
        hours = self.hours_now
        if hours.empty or float(hours.max()) <= 0:
            return None
        top = hours[hours == hours.max()]
        return str(top.index[-1]) if len(top) == 1 else None

    @property
    def any_hours(self) -> bool:
        return not self.hours_now.empty and float(self.hours_now.max()) > 0


def cpd_years(frame: pd.DataFrame) -> CpdYears:
    """`frame` is `queries/cpd_by_term_activity.sql`."""
    if frame.empty:
        raise ValueError("no CPD records to chart")
    years = sorted(frame["academic_year"].unique(), key=start_year)
    latest = years[-1]
    now = frame[frame["academic_year"] == latest]
    terms = tuple(sorted(now["term"].unique(), key=term_order))
    previous = years[-2] if len(years) > 1 else None
    before = frame[(frame["academic_year"] == previous) & frame["term"].isin(terms)]
    if before.empty:
        previous = None

    def by_activity(rows: pd.DataFrame, column: str) -> pd.Series:
        return rows.groupby("activity")[column].sum(min_count=1)

    hours_now = by_activity(now, "staff_hours").fillna(0).sort_values(kind="stable")
    order = hours_now.index.tolist()
    hours_before = (by_activity(before, "staff_hours").reindex(order) if previous
                    else pd.Series(float("nan"), index=order))
    staff_now = by_activity(now, "staff").reindex(order).fillna(0)
    return CpdYears(latest, previous, terms, hours_now, hours_before, staff_now)


# --- staff's own ratings before and after ----------------------------------------------------------

@dataclass(frozen=True)
class SelfRatings:
    """How many kinds of activity were followed by clearly higher (or lower) ratings."""

    activities: int
    higher: int    # the rise's likely range wholly above 0
    lower: int     # wholly below 0


def self_ratings(summary: pd.DataFrame) -> SelfRatings:
    """`summary` from `impact.reports.cpd.self_assessment`."""
    if summary.empty:
        return SelfRatings(0, 0, 0)
    low = pd.to_numeric(summary["low"], errors="coerce")
    high = pd.to_numeric(summary["high"], errors="coerce")
    return SelfRatings(len(summary), int((low > 0).sum()), int((high < 0).sum()))


# --- CPD hours beside the change in results ---------------------------------------------------------

@dataclass(frozen=True)
class ResultsLink:
    """Pearson's r between schools' CPD hours and the change in their results since joining,
    with its 95% interval, over the schools a title may rest on."""

    verdict: str                 # `verdicts.LINKS`
    r: float | None
    low: float | None
    high: float | None
    schools: int                 # schools in the correlation
    few_pupils: int              # schools drawn but left out: about fewer than HEADLINE_MIN


def results_link(frame: pd.DataFrame) -> ResultsLink:
    """`frame` from `impact.reports.cpd.cpd_and_results` (hours_per_year, change, pupils,
    shown)."""
    shown = frame[frame["shown"].astype(bool)].dropna(subset=["hours_per_year", "change"])
    pupils = pd.to_numeric(shown["pupils"], errors="coerce")
    enough = shown[pupils >= HEADLINE_MIN]
    found = pearson_with_interval(enough["hours_per_year"], enough["change"])
    few = len(shown) - len(enough)
    if found is None:
        return ResultsLink(verdicts.TOO_FEW_TO_LINK, None, None, None, len(enough), few)
    low, high = found.low, found.high
    verdict = (verdicts.WENT_WITH_MORE if low > 0 else verdicts.WENT_WITH_LESS if high < 0
               else verdicts.NO_CLEAR_LINK)
    return ResultsLink(verdict, found.r, low, high, found.n, few)


# --- the share good or outstanding against schools in no partnership -----------------------------

@dataclass(frozen=True)
class GoodOrBetter:
    """The subject's latest year with a graded school: how many were good or outstanding, the
    share's likely range, and the comparison's share the same year."""

    year: str | None
    good: int
    schools: int
    share: float | None
    low: float | None
    high: float | None
    other_share: float | None    # the comparison's share that year (None: no school)
    other_low: float | None
    other_high: float | None
    verdict: str | None          # `verdicts.AGAINST_OTHER`; None with no comparison


def good_or_better(series: pd.DataFrame, *, subject: str, comparison: str) -> GoodOrBetter:
    """`series` from `impact.reports.ofsted.good_or_better_by_year`."""
    mine = series[(series["group"] == subject) & (series["schools"] > 0)]
    if mine.empty:
        return GoodOrBetter(None, 0, 0, None, None, None, None, None, None, None)
    mine = mine.assign(_y=mine["academic_year"].map(start_year)).sort_values("_y")
    last = mine.iloc[-1]
    year = str(last["academic_year"])
    theirs = series[(series["group"] == comparison) & (series["academic_year"] == year)
                    & (series["schools"] > 0)]
    other = theirs.iloc[0] if not theirs.empty else None
    share, low, high = (_number(last[c]) for c in ("share", "low", "high"))
    other_share, other_low, other_high = ((None, None, None) if other is None else
                                          (_number(other[c]) for c in ("share", "low", "high")))
    verdict = None
    if other_share is not None:
        verdict = verdicts.NO_CLEAR_DIFFERENCE
        if low is not None and other_high is not None and low > other_high:
            verdict = verdicts.HIGHER
        elif high is not None and other_low is not None and high < other_low:
            verdict = verdicts.LOWER
    return GoodOrBetter(year, int(last["good"]), int(last["schools"]), share, low, high,
                        other_share, other_low, other_high, verdict)


# --- grades under a newer framework ------------------------------------------------------------

@dataclass(frozen=True)
class GradeCounts:
    """The most common grade across every area and school (None on a tie), out of how many."""

    top: tuple[str, ...]         # the grade(s) given most often, best first
    count: int                   # how often each of them was given
    grades: int                  # grades given in all (areas times schools)


def grade_counts(counts: pd.DataFrame) -> GradeCounts:
    """`counts` from `impact.reports.ofsted.grade_counts` (areas down, grades across, best
    first)."""
    grades = [c for c in counts.columns if c != "Area"]
    totals = counts[grades].sum()
    total = int(totals.sum())
    if total == 0:
        return GradeCounts((), 0, 0)
    most = int(totals.max())
    return GradeCounts(tuple(g for g in grades if int(totals[g]) == most), most, total)


# --- figures against England, and a school against its partners --------------------------------

@dataclass(frozen=True)
class AgainstEngland:
    """How many measures' latest figures are above, close to or below England's, counting
    only judged ones (a likely range, enough pupils, every school's figure)."""

    above: int
    close: int
    below: int

    @property
    def judged(self) -> int:
        return self.above + self.close + self.below


def against_england(tiles: Sequence[Tile]) -> AgainstEngland:
    found = [t.verdict for t in tiles if t.judged]
    return AgainstEngland(found.count(verdicts.ABOVE), found.count(verdicts.CLOSE),
                          found.count(verdicts.BELOW))


@dataclass(frozen=True)
class StrengthsAndNeeds:
    """Measures on which a school's likely range sits wholly above (strength) or below (need)
    its partners' average."""

    strengths: tuple[str, ...]   # measure codes
    needs: tuple[str, ...]
    judged: int


def strengths_and_needs(frame: pd.DataFrame) -> StrengthsAndNeeds:
    """`frame` from `impact.reports.schools.strengths_and_needs`."""
    if frame.empty:
        return StrengthsAndNeeds((), (), 0)
    pairs = list(zip(frame["measure"], frame["verdict"], strict=True))
    judged = sum(1 for _, v in pairs if v in (verdicts.STRENGTH, verdicts.NEED,
                                                verdicts.LIKE_PARTNERS))
    return StrengthsAndNeeds(tuple(c for c, v in pairs if v == verdicts.STRENGTH),
                             tuple(c for c, v in pairs if v == verdicts.NEED), judged)
