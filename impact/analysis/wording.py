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

from impact.domain import comparisons, verdicts
from impact.domain.measures import BY_CODE, PROGRESS, scale_text, short_name

if TYPE_CHECKING:
    from impact.analysis.did import EventPoint
    from impact.analysis.estimate import Estimate

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
