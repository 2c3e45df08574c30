"""Every sentence about an impact estimate, made in one place from the `Estimate`.

`words(estimate)` gives the headline, the title a chart of it carries, the numbers as a page
shows them, the check of the years before joining, the bounce-back warning, the comparison and
the caveat. The Cohorts page, the Overview's impact-to-date line, the CLI and the board pack
all take their words from it, so they cannot disagree with one another or with the numbers.

The rules it keeps (the estimate's `verdict` decides; these functions only say it):

- a governor on a projector reads one sentence: what changed, by about how much, against
  whom, and how sure we are ("likely between");
- an interval that includes 0 is "no clear difference", whatever the point estimate, and
  then there are no months' progress, only the effect size with its interval;
- an interval wider than the measure's whole range is "too uncertain to say", with no number;
- a difference is never presented as the partnership's doing while the check of the years
  before joining failed, found a year that stood out, or could not be made;
- the check says what it could see: with few schools it can only catch a large difference,
  and it says how large, never "the comparison looks fair";
- every estimate carries the caveat that schools chose to work together (not randomised).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from impact.analysis.headlines import FEW_PUPILS, PARTIAL
from impact.analysis.suppression import format_number
from impact.domain import comparisons, verdicts
from impact.domain import measures as m
from impact.domain.measures import BY_CODE, PROGRESS, scale_text, short_name

if TYPE_CHECKING:
    from impact.analysis.did import EventPoint
    from impact.analysis.estimate import Estimate
    from impact.analysis.findings import (
        AgainstEngland,
        CpdYears,
        GoodOrBetter,
        GradeCounts,
        HoursByYear,
        ResultsLink,
        SelfRatings,
        StrengthsAndNeeds,
    )
    from impact.analysis.headlines import TrendFinding
    from impact.analysis.projects import ProjectLine

CAVEAT = ("This compares schools that chose to work together with schools that did not; "
          "it is not a randomised trial.")
BENCHMARK_CAVEAT = ("This compares schools that chose to work together with {area} as a "
                    "whole; it is not a randomised trial.")
MAX_TITLE_WORDS = 10

# Subjects for sentences, where the short label is an abbreviation or reads badly as one.
_SUBJECTS = {
    "ks2_rwm_exp": "Reading, writing and maths",
    "ks2_rwm_high": "Reading, writing and maths at the higher standard",
    "ks1_rwm_exp": "KS1 reading, writing and maths",
    "eyfs_gld": "Good level of development",
    "phonics_y1": "Phonics",
    "ks4_basics_94": "English and maths at grade 4 or above",
    "ks4_basics_95": "English and maths at grade 5 or above",
    "ta_reading": "Reading on track",
    "ta_writing": "Writing on track",
    "ta_maths": "Maths on track",
}


def subject(measure: str) -> str:
    """What the sentence is about: the measure's short label, in words."""
    if measure in _SUBJECTS:
        return _SUBJECTS[measure]
    m = BY_CODE.get(measure)
    if m is None:
        return measure
    text = m.short.removesuffix("%").strip()
    return text[:1].upper() + text[1:]


def comparison_phrase(kind: str) -> str:
    return comparisons.phrase(kind)


def caveat(kind: str) -> str:
    if kind == comparisons.NATIONAL:
        return BENCHMARK_CAVEAT.format(area="England")
    if kind == comparisons.LOCAL_AUTHORITY:
        return BENCHMARK_CAVEAT.format(area="their local authority")
    return CAVEAT


# --- numbers in words ---------------------------------------------------------------------------

def _decimals(*values: float) -> int:
    biggest = max(abs(v) for v in values)
    if biggest >= 5:
        return 0
    if biggest >= 0.5:
        return 1
    return 2


def _fmt(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    if text.startswith("-"):
        text = "−" + text[1:]
    return "0" if text in ("−0", "−0.0", "−0.00") else text


def _points(value: float, decimals: int) -> str:
    text = _fmt(value, decimals)
    return f"{text} point" if text in ("1", "−1") else f"{text} points"


def signed(value: float, places: int) -> str:
    """'+6.2', '−1.5', '0.0' (a real minus sign, as GOV.UK writes it)."""
    text = f"{value:+.{places}f}"
    return f"{0:.{places}f}" if float(text) == 0 else text.replace("-", "−")


def _whole(value: int) -> str:
    return str(value).replace("-", "−")


def metric_places(measure: str) -> int:
    """Places for an effect shown as a number: two for progress scores, else one."""
    found = BY_CODE.get(measure)
    return 2 if found is not None and found.unit == PROGRESS else 1


def _fits(candidates: list[str]) -> str:
    for text in candidates:
        if len(text.split()) <= MAX_TITLE_WORDS:
            return text
    return candidates[-1]


def event_label(event_time: int) -> str:
    """'3 years before', '1 year before', '1st year in', '2nd year in' …"""
    if event_time < 0:
        n = -event_time
        return f"{n} year{'s' if n != 1 else ''} before"
    n = event_time + 1
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n if n < 20 else n % 10, "th")
    return f"{n}{suffix} year in"


# --- one sentence for an effect (also used on its own by tests and the board pack) -------------

def effect_sentence(measure: str, estimate: float | None, low: float | None,
                    high: float | None, comparison: str) -> str:
    """One sentence for an overall effect from its interval alone, e.g. "Reading, writing and
    maths rose about 6 points more than in similar schools (likely between 1 and 11)."."""
    what = subject(measure)
    against = comparison_phrase(comparison)
    if estimate is None or not math.isfinite(estimate):
        return f"{what}: there is not enough data to compare with {against}."
    if low is None or high is None:
        d = _decimals(estimate)
        return (f"{what}: about {_points(estimate, d)} different from {against}, but with "
                "too few schools to say how sure that is.")
    d = _decimals(estimate, low, high)
    while d < 2 and _fmt(low, d) == _fmt(high, d):  # a narrow range keeps its two ends apart
        d += 1
    if low <= 0 <= high:
        return (f"{what}: no clear difference from {against} (the estimate is "
                f"{_points(estimate, d)}, likely between {_fmt(low, d)} and {_fmt(high, d)}).")
    if estimate > 0:
        return (f"{what} rose about {_points(estimate, d)} more than in {against} "
                f"(likely between {_fmt(low, d)} and {_fmt(high, d)}).")
    return (f"{what} fell about {_points(-estimate, d)} behind {against} "
            f"(likely between {_fmt(-high, d)} and {_fmt(-low, d)} points behind).")


# --- everything about one estimate ---------------------------------------------------------------

@dataclass(frozen=True)
class EstimateWords:
    """What a page, the CLI or the board pack says about one `Estimate`."""

    verdict: str            # the domain verdict (`impact.domain.verdicts`)
    headline: str           # the one sentence a governor takes away
    title: str              # a chart title about this estimate: ten words or fewer
    value: str              # '+12.2 points', or 'Too uncertain to say' / 'Not enough data'
    span: str               # 'likely between +6.9 and +17.5', or why there is none
    size: str               # the effect size, '0.25', or 'Not available'
    size_words: str         # its interval, months (only for a clear difference), the design
    check: str              # the check of the years before joining, with what it could see
    dip: str | None         # the bounce-back warning, when the schools joined after a dip
    comparison: str         # who they were compared with
    caveat: str
    dropped: str | None     # years after joining that could not be used, and why
    left: str | None        # schools that left, and how they were counted


def _clear_sentence(e: Estimate) -> str:
    return effect_sentence(e.measure, e.effect, e.low, e.high, e.comparison)


def _standout_text(point: EventPoint, against: str) -> str:
    d = _decimals(point.estimate or 0.0, point.low or 0.0, point.high or 0.0)
    way = "above" if (point.estimate or 0.0) > 0 else "below"
    when = event_label(point.event_time)
    return (f"{when[:1].upper()}{when[1:]} joining, these schools' results were already "
            f"{_points(abs(point.estimate or 0.0), d)} {way} what {against} would predict "
            f"(likely {_fmt(point.low or 0.0, d)} to {_fmt(point.high or 0.0, d)})")


def check_sentence(e: Estimate) -> str:
    """The check of the years before joining in words, with how much it could see."""
    c = e.check
    against = comparison_phrase(e.comparison)
    p = ("" if c.p_value is None else
         "p < 0.001" if c.p_value < 0.001 else f"p = {c.p_value:.2f}")
    schools = f"{c.schools} school{'s' if c.schools != 1 else ''}"
    if c.status == verdicts.CHECK_FLAGGED:
        drift = c.drift
        if drift is not None and math.isfinite(drift) and drift != 0:
            d = _decimals(drift)
            way = "rising faster than" if drift > 0 else "falling behind"
            return (f"Warning: before joining, these schools' results were already moving "
                    f"differently from {against}, {way} them by about "
                    f"{_points(abs(drift), d)} a year ({p}), so this comparison may not be "
                    "fair.")
        return (f"Warning: before joining, these schools' results were already moving "
                f"differently from {against} ({p}), so this comparison may not be fair.")
    if c.status == verdicts.CHECK_POINT_OFF and c.standout is not None:
        steady = (f" The test for a steady drift found none ({p}), but one year standing out "
                  "like this is enough to doubt it." if p else "")
        return (f"Warning: {_standout_text(c.standout, against)}, so this comparison may not "
                f"be fair.{steady}")
    if c.status == verdicts.CHECK_UNTESTABLE:
        return (f"There are not enough years or schools before joining to check that these "
                f"schools were moving in step with {against} beforehand, so nobody can say "
                "whether the comparison is fair.")
    drift = _drift_at_stake(e)
    if c.status == verdicts.CHECK_PASSED:
        return (f"Before joining, these schools' results moved roughly in step with {against}"
                f" ({p}), so the comparison looks fair: {drift} would have been noticed "
                f"{_times_in_ten(c.power_at_stake)}.")
    if drift and c.power_at_stake is not None:
        large = f" {drift} would be noticed only {_times_in_ten(c.power_at_stake)}."
    else:
        large = " a smaller difference could easily go unnoticed."
    return (f"Before joining there was no clear sign that these schools were moving "
            f"differently from {against} ({p}). But with {schools} this check can only catch "
            f"large differences:{large}")


def _times_in_ten(power: float | None) -> str:
    """'about 8 times in 10', 'fewer than 1 time in 10'."""
    if power is None:
        return "rarely"
    tens = round(power * 10)
    if tens < 1:
        return "fewer than 1 time in 10"
    if tens >= 10:
        return "almost every time"
    return f"about {tens} time{'s' if tens != 1 else ''} in 10"


def _drift_at_stake(e: Estimate) -> str:
    """'a drift big enough to explain the whole 7-point difference' (a clear interval) or
    'a drift that moved the estimate by 9 points, as much as its own margin of error'."""
    stake = e.check.at_stake
    if stake is None or not math.isfinite(stake):
        return ""
    amount = _points(stake, _decimals(stake))
    if e.low is not None and e.high is not None and (e.low > 0 or e.high < 0):
        return f"a drift big enough to explain away the difference (at least {amount})"
    return f"a drift that moved the estimate by {amount}, as much as its own margin of error,"


def dip_sentence(e: Estimate) -> str | None:
    """A plain warning when the schools joined after a dip (regression to the mean)."""
    dip = e.dip
    if not dip.flagged:
        return None
    tail = (" Results usually bounce back after a bad year anyway, so some of any rise after "
            "joining may be that bounce-back, not the partnership.")
    if dip.schools_dipped:
        return (f"Take care: {dip.schools_dipped} of {dip.schools} schools had an unusually "
                f"bad year just before they joined.{tail}")
    drop = dip.average_drop or 0.0
    d = _decimals(drop)
    return (f"Take care: taken together, these {dip.schools} schools' last results before "
            f"joining were about {_points(drop, d)} below their own earlier results, more "
            f"than chance usually explains, though no one school's drop stands out alone."
            f"{tail}")


def comparison_sentence(e: Estimate) -> str:
    n = len(e.comparison_schools)
    if comparisons.is_benchmark(e.comparison):
        return (f"Compared with {e.comparison_label}: each school's change is set against "
                "the change in that line over the same years.")
    return (f"Compared with {n} school{'s' if n != 1 else ''} ({e.comparison_label}), over the "
            "same years.")


def _dropped_sentence(e: Estimate) -> str | None:
    if not e.dropped:
        return None
    parts = [f"{x.academic_year} for the schools first in from {x.first_treated_year}"
             for x in e.dropped]
    listing = "; ".join(parts)
    return (f"Some years could not be used because no comparison schools had results then: "
            f"{listing}. They are left out of every figure here.")


def _left_sentence(e: Estimate) -> str | None:
    gone = [s for s in e.joining_schools if s.last_treated_year]
    if not gone:
        return None
    names = "; ".join(f"{s.name} (left {_long_date(s.left_date)}, last year in "
                      f"{s.last_treated_year})" for s in gone)
    return (f"Schools that left count only for their years in the cohort: {names}. Their "
            "later results are not used.")


def _long_date(text: str | None) -> str:
    """'31 August 2024' from '2024-08-31' (as it is stored)."""
    try:
        day = dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return str(text or "")
    return f"{day.day} {day:%B %Y}"


def _title(e: Estimate) -> str:
    name = short_name(e.measure)
    against = comparisons.short(e.comparison)
    v = e.verdict
    if v == verdicts.NOT_ENOUGH_DATA:
        return _fits([f"{name}: not enough data to compare yet",
                      "Not enough data to compare yet"])
    if v == verdicts.TOO_FEW_SCHOOLS:
        return _fits([f"{name}: too few schools to be sure", "Too few schools to be sure"])
    if v == verdicts.TOO_UNCERTAIN:
        return _fits([f"{name}: too uncertain to say", "Too uncertain to say"])
    if v == verdicts.NO_CLEAR_DIFFERENCE:
        return _fits([f"{name}: no clear difference from {against}",
                      "No clear difference from the comparison"])
    effect = e.effect or 0.0
    amount = _points(abs(effect), _decimals(effect))
    if v in (verdicts.COMPARISON_IN_DOUBT, verdicts.COMPARISON_UNCHECKED):
        way = "higher" if effect > 0 else "lower"
        doubt = "in doubt" if v == verdicts.COMPARISON_IN_DOUBT else "unchecked"
        return _fits([f"{name} {amount} {way}, but comparison {doubt}",
                      f"{amount} {way}, but comparison {doubt}"])
    if v == verdicts.ROSE_MORE:
        return _fits([f"{name} rose {amount} more than {against}",
                      f"{name}: {amount} more than {against}",
                      f"{name} rose {amount} more than the comparison",
                      f"Rose {amount} more than {against}",
                      f"Rose {amount} more than the comparison"])
    return _fits([f"{name} fell {amount} behind {against}",
                  f"{name}: {amount} behind {against}",
                  f"{name} fell {amount} behind the comparison",
                  f"Fell {amount} behind {against}", f"Fell {amount} behind the comparison"])


def _headline(e: Estimate) -> str:
    v = e.verdict
    what = subject(e.measure)
    against = comparison_phrase(e.comparison)
    if v == verdicts.TOO_UNCERTAIN:
        n = len(e.joining_schools)
        return (f"{what}: too uncertain to say how these schools compare with {against}. With "
                f"{n} school{'s' if n != 1 else ''}, the likely range is wider than the whole "
                f"scale ({scale_text(e.measure)}), so it could be almost anything.")
    sentence = _clear_sentence(e)
    if v == verdicts.COMPARISON_IN_DOUBT:
        c = e.check
        if c.status == verdicts.CHECK_POINT_OFF and c.standout is not None:
            why = (f"{event_label(c.standout.event_time)} joining these schools already stood "
                   f"apart from {against}")
        else:
            why = f"these schools were already moving differently from {against} before joining"
        return f"{sentence[:-1]}, but {why}, so this may not be the partnership's doing."
    if v == verdicts.COMPARISON_UNCHECKED:
        return (f"{sentence[:-1]}, but there were not enough years or schools before joining "
                "to check that the comparison is fair.")
    return sentence


def _value_and_span(e: Estimate) -> tuple[str, str]:
    places = metric_places(e.measure)
    if e.effect is None:
        return verdicts.NOT_ENOUGH_DATA, str(e.reason or "")
    if e.too_uncertain:
        return (verdicts.TOO_UNCERTAIN,
                f"the likely range is wider than the whole scale ({scale_text(e.measure)})")
    value = f"{signed(e.effect, places)} points"
    if e.low is None or e.high is None:
        return value, "too few schools to give a likely range"
    return value, f"likely between {signed(e.low, places)} and {signed(e.high, places)}"


def _size(e: Estimate) -> tuple[str, str]:
    size = e.effect_size
    if e.too_uncertain:
        return "Not available", "Too uncertain to say: the likely range covers the whole scale."
    if size is None or size.value is None:
        return "Not available", "There is no effect size without an estimate."
    value = signed(size.value, 2).lstrip("+")
    parts = []
    if size.low is not None and size.high is not None:
        parts.append(f"likely {signed(size.low, 2).lstrip('+')} to "
                     f"{signed(size.high, 2).lstrip('+')}")
    if size.months is not None and e.clear:
        word = "month's" if abs(size.months) == 1 else "months'"
        text = f"about {_whole(size.months)} {word} progress"
        if size.months_low is not None and size.months_high is not None:
            text += f" (likely {_whole(size.months_low)} to {_whole(size.months_high)})"
        parts.append(text)
    elif e.verdict == verdicts.NO_CLEAR_DIFFERENCE:
        parts.append("no clear difference, so no months' progress")
    elif e.verdict in (verdicts.COMPARISON_IN_DOUBT, verdicts.COMPARISON_UNCHECKED):
        parts.append("no months' progress while the comparison is not shown to be fair")
    parts.append("from a design that is not randomised")
    return value, "; ".join(parts)


def words(e: Estimate) -> EstimateWords:
    """Every sentence about `e` (see the module)."""
    value, span = _value_and_span(e)
    size, size_words = _size(e)
    return EstimateWords(
        verdict=e.verdict, headline=_headline(e), title=_title(e), value=value, span=span,
        size=size, size_words=size_words, check=check_sentence(e), dip=dip_sentence(e),
        comparison=comparison_sentence(e), caveat=caveat(e.comparison),
        dropped=_dropped_sentence(e), left=_left_sentence(e))


# --- a trend chart's title, from `impact.analysis.headlines.TrendFinding` ----------------------

def _number(value: float, unit: str) -> str:
    """A figure as a chart shows it: whole percentages with %, a + on progress scores."""
    text = format_number(float(value), m.places(unit), "%" if unit == m.PERCENT else "")
    if unit == m.PROGRESS and round(float(value), m.places(unit)) > 0:
        text = "+" + text
    return text


def _amount(change: float, unit: str) -> str:
    places = m.places(unit)
    size = round(abs(change), places)
    number = f"{size:.{places}f}"
    return f"{number} point" if size == 1 else f"{number} points"


def _rounded(change: float, unit: str) -> float:
    return round(change, m.places(unit))


def _verb(change: float, unit: str) -> str:
    rounded = _rounded(change, unit)
    if rounded > 0:
        return verdicts.UP
    if rounded < 0:
        return verdicts.DOWN
    return verdicts.LEVEL


def _moved(change: float, unit: str, *, points: bool = True) -> str:
    """'rose 4 points', 'fell 1 point' or 'held steady' ('rose 4' without `points`)."""
    verb = _verb(change, unit)
    if verb == verdicts.LEVEL:
        return verb
    amount = _amount(change, unit)
    return f"{verb} {amount if points else amount.split()[0]}"


def trend_title(found: TrendFinding, comparison_name: str = "England") -> str:
    """An active title from what `impact.analysis.headlines.trend_finding` found: the change
    over the latest comparable stretch of figures that can carry a headline (or the level),
    naming the period, against the comparison line where there is one."""
    code = found.measure
    unit = m.measure(code).unit
    name = short_name(code)
    if found.last is None:
        if found.reason == PARTIAL:
            return _fits([f"{name}: waiting for every school's figures",
                          "Waiting for every school's figures"])
        if found.reason == FEW_PUPILS:
            return _fits([f"{name}: too few pupils for a headline",
                          "Too few pupils for a headline"])
        return _fits([f"No {name} figures to show yet", "No figures to show yet"])
    if found.first is not None and found.change is not None:
        moved = f"{name} {_moved(found.change, unit)}"
        latest = found.latest == found.last
        since = f"since {found.first}" if latest else f"{found.first} to {found.last}"
        candidates = []
        if found.other_change is not None:
            clause = (f"like {comparison_name}" if found.like
                      else f"{comparison_name} {_moved(found.other_change, unit, points=False)}")
            sep = ", " if found.like else "; "
            candidates += [f"{moved} {since}{sep}{clause}"]
            if latest:
                candidates += [f"{moved}{sep}{clause}"]
        # a title that stops before the latest period drawn always says where it stops
        candidates += [f"{moved} {since}"] + ([moved] if latest else
                                              [f"{moved} to {found.last}"])
        return _fits(candidates)
    at = f"in {found.last}"
    candidates = []
    if found.other is not None and found.value is not None:
        gap = found.value - found.other
        if _rounded(gap, unit) == 0:
            candidates.append(f"{name} level with {comparison_name} {at}")
        else:
            side = "above" if gap > 0 else "below"
            candidates.append(f"{name} {_amount(gap, unit)} {side} {comparison_name} {at}")
    value = found.value if found.value is not None else 0.0
    candidates += [f"{name} was {_number(value, unit)} {at}",
                   f"{name}: {_number(value, unit)}"]
    return _fits(candidates)


def trend_description(code: str, comparison_name: str | None = None) -> str:
    """A title that says what a chart shows without claiming a finding: for a raw line on a
    page whose finding is an impact estimate."""
    name = short_name(code)
    if comparison_name:
        return _fits([f"{name} each year, beside {comparison_name}",
                              f"{name} each year, with its comparison",
                              f"{name} each year"])
    return f"{name} each year"



# --- chart titles made from typed findings (`impact.analysis.findings`) ----------------------------
#
# A title states a finding only with what it is compared with (the year before, the schools in
# no partnership, England, partners, the comparison schools), and only from a verdict the
# analysis made; otherwise it says what the chart shows. Charts take these titles as given.

def list_words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _hours(value: float) -> str:
    return f"{value:,.0f}"


def hours_title(found: HoursByYear) -> str:
    """Staff hours in the latest whole year against the whole year before, both named."""
    if not found.any_hours:
        return "No CPD hours recorded yet"
    if found.later is None:
        return "Staff hours each year (no year with every term recorded)"
    if found.earlier is None or found.direction is None:
        return _fits([f"Staff spent {_hours(found.later_hours or 0)} hours in {found.later}",
                      f"Staff hours in {found.later}"])
    a, b = _hours(found.earlier_hours or 0), _hours(found.later_hours or 0)
    if found.direction == verdicts.LEVEL:
        return _fits([f"Staff hours held steady at {b} in {found.later} against "
                      f"{found.earlier}",
                      f"Staff hours in {found.later} held steady against {found.earlier}"])
    return _fits([f"Staff hours {found.direction} from {a} ({found.earlier}) to {b} "
                  f"({found.later})",
                  f"Staff hours {found.direction} from {a} to {b}, {found.earlier} to "
                  f"{found.later}",
                  f"Staff hours {found.direction} in {found.later} against {found.earlier}"])


def activity_title(found: CpdYears) -> str:
    """Which activity took the most staff time in the latest year (or its terms so far): a
    ranking within one period, so it claims no change."""
    if not found.any_hours:
        return f"No CPD hours recorded in {found.latest}"
    leader = found.leader
    if leader is None:
        return _fits([f"Staff time shared between activities in {found.when}",
                      f"Staff time by activity in {found.latest}"])
    return _fits([f"{leader} took the most staff time in {found.when}",
                  f"{leader} took the most staff time in {found.terms_label}",
                  f"Most staff time in {found.terms_label}: {leader}",
                  f"Most staff time: {leader}"])


def ratings_title(found: SelfRatings) -> str:
    """Staff's ratings after against before: only clear rises (or falls) are counted."""
    n = found.activities
    if n == 0:
        return "No self-assessments recorded"
    if found.higher == found.lower == 0:
        return _fits(["No clear change in staff's own ratings after against before",
                      "No clear change in staff's own ratings"])
    kinds = f"{n} activit{'ies' if n != 1 else 'y'}"
    parts = []
    if found.higher:
        parts.append(f"higher after {found.higher} of {kinds}")
    if found.lower:
        parts.append(f"lower after {found.lower}")
    text = ", ".join(parts)
    return _fits([f"Staff rated themselves {text} than before",
                  f"Staff rated themselves {text}",
                  f"Ratings {text}"])


def link_title(found: ResultsLink) -> str:
    """CPD hours beside the change in results: together, never because."""
    v = found.verdict
    if v == verdicts.WENT_WITH_MORE:
        return _fits(["Schools doing more CPD tended to rise more",
                      "More CPD went with bigger rises"])
    if v == verdicts.WENT_WITH_LESS:
        return "Schools doing more CPD tended to rise less"
    if v == verdicts.NO_CLEAR_LINK:
        return _fits(["No clear link between CPD hours and results",
                      "No clear link with results"])
    return "Too few schools to see a pattern"


def link_clause(found: ResultsLink) -> str:
    """The same finding inside the chart's sentence."""
    return {verdicts.WENT_WITH_MORE: "schools that did more CPD also tended to see bigger rises",
            verdicts.WENT_WITH_LESS: "schools that did more CPD tended to see smaller rises",
            verdicts.NO_CLEAR_LINK: "there is no clear link between how much CPD a school "
                                    "did and its results"}.get(
        found.verdict, "there are too few schools to see a pattern")


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


def good_or_better_title(found: GoodOrBetter, others: str = "others") -> str:
    """The latest year's count, with the comparison's share the same year; 'above' or 'below'
    only when the two likely ranges do not overlap."""
    if found.year is None:
        return "No graded inspections for these schools"
    count = f"{found.good} of {found.schools}"
    if found.verdict is None:
        return _fits([f"{count} schools good or outstanding by {found.year}; no comparison",
                      f"{count} schools good or outstanding by {found.year}"])
    theirs = _share(found.other_share)
    if found.verdict in (verdicts.HIGHER, verdicts.LOWER):
        way = "above" if found.verdict == verdicts.HIGHER else "below"
        return _fits([f"{found.year}: {count} good or outstanding, {way} {others} ({theirs})",
                      f"{count} good or outstanding, {way} {others} ({theirs})"])
    return _fits([f"{found.year}: {count} good or outstanding; {others} {theirs}",
                  f"{count} good or outstanding; {others} {theirs}"])


def grade_counts_title(found: GradeCounts) -> str:
    if not found.top:
        return "No grades under this framework yet"
    if len(found.top) > 1:
        return _fits([f"Most common grades: {list_words(list(found.top))} ({found.count} "
                      f"each of {found.grades})",
                      f"Most common: {list_words(list(found.top))}, {found.count} each",
                      "No one grade most common"])
    top = found.top[0]
    return _fits([f"Most common grade: {top} ({found.count} of {found.grades})",
                  f"Most common grade: {top}"])


def tiles_title(found: AgainstEngland) -> str:
    """Headline tiles: counted from judged tiles only (a figure on too few pupils, with no
    range or without every school's figure is never a headline)."""
    if not found.judged:
        return "No figures to compare with England yet"
    if found.close == found.judged:
        return _fits(["Latest results close to England on every measure",
                      "Close to England on every measure"])
    parts = [f"{n} {word}" for n, word in ((found.above, "above England"),
                                            (found.below, "below"), (found.close, "close"))
             if n]
    if not found.above:
        parts[0] = parts[0].replace("below", "below England").replace(
            "close", "close to England")
    return _fits([f"Latest results: {', '.join(parts)}", ", ".join(parts)])


def measures_title(found: AgainstEngland) -> str:
    """A school's every measure, each latest figure against England's."""
    if not found.judged:
        return "No figures to compare with England yet"
    if found.above == found.below == 0:
        return f"Close to England on all {found.judged} measures"
    if not found.below:
        return f"Above England on {found.above} of {found.judged} measures"
    if not found.above:
        return f"Below England on {found.below} of {found.judged} measures"
    return _fits([f"Above England on {found.above} of {found.judged} measures, below on "
                  f"{found.below}",
                  f"Above England on {found.above}, below on {found.below}"])


def strengths_title(found: StrengthsAndNeeds) -> str:
    """Strengths and needs against the school's partners' average, named as such."""
    if not found.strengths and not found.needs:
        return "No clear strengths or needs against partner schools"
    names = [short_name(c) for c in found.strengths]
    needs = [short_name(c) for c in found.needs]
    parts = []
    if names:
        parts.append(f"strength in {list_words(names)}")
    if needs:
        parts.append(f"support needed in {list_words(needs)}")
    text = "; ".join(parts)
    s, n = len(found.strengths), len(found.needs)
    return _fits([f"Against partners: {text}",
                  f"Against partners: {s} clear strength{'s' if s != 1 else ''}, "
                  f"{n} need{'s' if n != 1 else ''}"])


def cohorts_title(estimates: list[Estimate], comparison: str) -> str:
    """How many cohorts clearly rose more or fell behind their comparison: only clear
    estimates count (an interval that excludes 0, with a comparison that held)."""
    against = comparisons.short(comparison)
    found = [e.verdict for e in estimates]
    rose, fell = found.count(verdicts.ROSE_MORE), found.count(verdicts.FELL_BEHIND)
    total = len([v for v in found if v in verdicts.JUDGED])
    if total == 0:
        return "Not enough data to compare any cohort yet"
    if rose == fell == 0:
        return _fits([f"No cohort clearly different from {against}",
                      "No cohort clearly different from its comparison"])
    if rose and fell:
        return _fits([f"{rose} of {total} cohorts rose more than {against}; {fell} fell "
                      "behind",
                      f"Against {against}: {rose} of {total} rose more, {fell} fell behind",
                      f"Against {against}: {rose} rose more, {fell} fell behind",
                      f"Against the comparison: {rose} rose more, {fell} fell behind"])
    n, way = (rose, "rose more than") if rose else (fell, "fell behind")
    return _fits([f"{n} of {total} cohorts {way} {against}",
                  f"{n} of {total} cohorts {way} the comparison"])


def project_title(line: ProjectLine) -> str:
    """An improvement project's host against its comparison since the project began: a
    direction only when the change's likely range leaves out 0 and the gap was not already
    moving before."""
    against = "partners" if line.comparison_label == "its partner schools" else "other schools"
    if line.status != "ok" or line.change is None:
        finding = "too few results yet to judge the project"
    elif not line.clear:
        finding = f"no clear change in {line.measure_short} against {against} since the project"
    elif line.pre_trend.flagged:
        finding = f"{line.measure_short} gap to {against} already moving before the project"
    else:
        went = "rose" if line.change > 0 else "fell"
        finding = f"{line.measure_short} {went} against {against} since the project"
    who = line.host.split(" Primary")[0].split(" School")[0] or line.host
    return _fits([f"{who}: {finding}", finding[0].upper() + finding[1:]])
