"""Plain-English sentences for an estimate, in the brief's style.

A governor on a projector reads one sentence, not a table: what changed, by about how much,
against whom, and how sure we are ("likely between"). When the interval spans zero the honest
sentence is "no clear difference", whatever the point estimate. Every estimate carries the
caveat that schools chose to work together, so this is not a randomised trial.
"""

from __future__ import annotations

import math

from impact.domain.measures import BY_CODE

CAVEAT = ("This compares schools that chose to work together with schools that did not; "
          "it is not a randomised trial.")
BENCHMARK_CAVEAT = ("This compares schools that chose to work together with {area} as a "
                    "whole; it is not a randomised trial.")

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

COMPARISONS = {
    "not_yet_joined": "schools that had not joined",
    "never_joined": "schools that never joined",
    "similar": "similar schools",
    "chosen": "the chosen schools",
    "local_authority": "the local authority as a whole",
    "national": "England as a whole",
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
    return COMPARISONS.get(kind, kind.replace("_", " "))


def caveat(kind: str) -> str:
    if kind == "national":
        return BENCHMARK_CAVEAT.format(area="England")
    if kind == "local_authority":
        return BENCHMARK_CAVEAT.format(area="their local authority")
    return CAVEAT


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


def effect_sentence(measure: str, estimate: float | None, low: float | None,
                    high: float | None, comparison: str) -> str:
    """One sentence for an overall effect, e.g. "Reading, writing and maths rose about
    6 points more than in similar schools (likely between 1 and 11)."."""
    what = subject(measure)
    against = comparison_phrase(comparison)
    if estimate is None or not math.isfinite(estimate):
        return f"{what}: there is not enough data to compare with {against}."
    if low is None or high is None:
        d = _decimals(estimate)
        return (f"{what}: about {_points(estimate, d)} different from {against}, but with "
                "too few schools to say how sure that is.")
    d = _decimals(estimate, low, high)
    if low <= 0 <= high:
        return (f"{what}: no clear difference from {against} (the estimate is "
                f"{_points(estimate, d)}, likely between {_fmt(low, d)} and {_fmt(high, d)}).")
    if estimate > 0:
        return (f"{what} rose about {_points(estimate, d)} more than in {against} "
                f"(likely between {_fmt(low, d)} and {_fmt(high, d)}).")
    return (f"{what} fell about {_points(-estimate, d)} behind {against} "
            f"(likely between {_fmt(-high, d)} and {_fmt(-low, d)} points behind).")


def pre_trend_verdict(testable: bool, flagged: bool | None, p_value: float | None,
                      comparison: str, slope: float | None = None) -> str:
    """The pre-trend check in words: is the comparison fair? `slope` (points a year, joining
    minus comparison schools, from the drift test) says which way they were drifting."""
    against = comparison_phrase(comparison)
    if not testable or p_value is None:
        return (f"There are not enough years or schools before joining to check that these "
                f"schools were moving in step with {against} beforehand.")
    p = "p < 0.001" if p_value < 0.001 else f"p = {p_value:.2f}"
    if flagged:
        if slope is not None and math.isfinite(slope) and slope != 0:
            d = _decimals(slope)
            way = "rising faster than" if slope > 0 else "falling behind"
            return (f"Warning: before joining, these schools' results were already moving "
                    f"differently from {against}, {way} them by about "
                    f"{_points(abs(slope), d)} a year ({p}), so this comparison may not be "
                    "fair.")
        return (f"Warning: before joining, these schools' results were already moving "
                f"differently from {against} ({p}), so this comparison may not be fair.")
    return (f"Before joining, these schools' results moved roughly in step with {against} "
            f"({p}), so the comparison looks fair, though with few schools this check can "
            "miss a small difference.")
