"""What a title or a headline tile may say about figures over time, decided here so that
charts only draw it.

A headline is drawn only from figures that can carry one:

- a figure for a line of several schools is used only for a period in which every school
  that should be in it is (`complete`): one school's early termly return is not "the 7
  schools";
- a figure about fewer than `HEADLINE_MIN` pupils is shown (marked `u` when 6 to 10) but no
  title is built on it;
- periods either side of a series break are never compared.

`trend_finding` is the basis of a trend chart's active title; `tile` is a headline tile (the
latest such figure against England, with its likely range): above or below England only when
that range sits wholly on one side, close only when it has a range that includes England's
figure; with no range or too few pupils it is not judged (`impact.domain.verdicts`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from impact.analysis import suppression
from impact.analysis.series import Period, axis, eras, rows_by_period
from impact.domain import measures as m
from impact.domain import verdicts
from impact.domain.small_numbers import HEADLINE_MIN

# How close two changes must be (in the measure's own units) to say "like England".
LIKE_TOLERANCE = {m.PERCENT: 1.0, m.SCORE: 0.5, m.PROGRESS: 0.1}
PARTIAL = "not every school's figure is in yet"
FEW_PUPILS = f"fewer than {HEADLINE_MIN} pupils"


def number(value: Any) -> float | None:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def plotted(row: dict[str, Any] | None) -> float | None:
    """The number drawn for a row, or None (a gap) when missing or about too few pupils."""
    if row is None:
        return None
    value = number(row.get("value"))
    if value is None or suppression.reliability(number(row.get("pupils"))) == \
            suppression.HIDDEN:
        return None
    return value


def unusable(row: dict[str, Any] | None) -> str | None:
    """Why a drawn figure may not carry a title or headline, or None when it may."""
    if plotted(row) is None:
        return "no figure"
    assert row is not None
    if row.get("complete") is False or (isinstance(row.get("complete"), float)
                                        and row.get("complete") == 0.0):
        return PARTIAL
    pupils = number(row.get("pupils"))
    if pupils is not None and pupils < HEADLINE_MIN:
        return FEW_PUPILS
    return None


@dataclass(frozen=True)
class TrendFinding:
    """What a line's title may say: the change over its latest comparable stretch of usable
    figures (or its level, with one), against a comparison line where there is one."""

    measure: str
    first: str | None          # label of the first period compared
    last: str | None           # label of the period the finding is about
    latest: str | None         # the latest period drawn (later than `last` if left out)
    value: float | None        # the subject at `last`
    change: float | None       # the subject's change from `first` to `last`
    other: float | None        # the comparison at `last`
    other_change: float | None
    like: bool | None          # the comparison moved the same way by about as much
    left_out: tuple[tuple[str, str], ...] = ()  # drawn periods after `last`, and why
    reason: str | None = None  # why there is no finding at all


def _direction(change: float, unit: str) -> int:
    r = round(change, m.places(unit))
    return (r > 0) - (r < 0)


def trend_finding(code: str, subject: pd.DataFrame, comparison: pd.DataFrame | None = None
                  ) -> TrendFinding:
    """The finding for `subject` (a line's rows), against `comparison` if given."""
    unit = m.measure(code).unit
    frames = [subject] + ([comparison] if comparison is not None else [])
    periods = axis(code, frames)
    labels = [p.label for p in periods]
    era = eras(code, periods)
    rows = rows_by_period(code, subject, periods)
    others = (rows_by_period(code, comparison, periods) if comparison is not None
              else [None] * len(periods))
    drawn = [i for i, r in enumerate(rows) if plotted(r) is not None]
    usable = [i for i in drawn if unusable(rows[i]) is None]
    latest = labels[drawn[-1]] if drawn else None
    if not usable:
        why = unusable(rows[drawn[-1]]) if drawn else "no figure"
        return TrendFinding(code, None, None, latest, None, None, None, None, None,
                            reason=why)
    last = usable[-1]
    left_out = tuple((labels[i], unusable(rows[i]) or "") for i in drawn if i > last)
    first = next(i for i in usable if era[i] == era[last])
    value = plotted(rows[last])
    other_last = plotted(others[last])
    if first == last:
        return TrendFinding(code, None, labels[last], latest, value, None, other_last, None,
                            None, left_out)
    change = value - plotted(rows[first])
    other_first = plotted(others[first])
    other_change = (other_last - other_first if other_last is not None
                    and other_first is not None else None)
    like = None
    if other_change is not None:
        like = (_direction(change, unit) == _direction(other_change, unit)
                and abs(change - other_change) <= LIKE_TOLERANCE.get(unit, 0.5))
    return TrendFinding(code, labels[first], labels[last], latest, value, change, other_last,
                        other_change, like, left_out)


# --- headline tiles ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Tile:
    """One headline measure: its latest usable figure with its likely range, England's that
    year, the change over the latest comparable stretch, and the small line of every year."""

    code: str
    period: str | None          # the period the tile is about
    value: float | None
    low: float | None
    high: float | None
    pupils: float | None
    reliability: str            # `suppression.OK`, `LOW`, `UNKNOWN`, …
    schools: int | None         # schools in the figure, of …
    expected: int | None        # … the schools that should be
    england: float | None
    first_period: str | None    # the start of the latest comparable stretch
    change: float | None
    england_change: float | None
    verdict: str                # `impact.domain.verdicts` (above / close / below / …)
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    england_values: tuple[float | None, ...]
    latest: str | None = None   # the latest period drawn, if later than `period`
    latest_note: str | None = None  # why it is not the tile's figure

    @property
    def name(self) -> str:
        return m.short_name(self.code)

    @property
    def judged(self) -> bool:
        return self.verdict in verdicts.JUDGED_AGAINST_ENGLAND

    @property
    def low_reliability(self) -> bool:
        return self.reliability == suppression.LOW


def _int(value: Any) -> int | None:
    x = number(value)
    return None if x is None else int(x)


def tile(code: str, subject: pd.DataFrame, england: pd.DataFrame | None = None) -> Tile:
    """A headline tile from a subject line's rows and England's (as `trend` makes them)."""
    frames = [subject] + ([england] if england is not None else [])
    periods: list[Period] = axis(code, frames)
    labels = tuple(p.label for p in periods)
    rows = rows_by_period(code, subject, periods)
    values = tuple(plotted(r) for r in rows)
    theirs = (tuple(plotted(r) for r in rows_by_period(code, england, periods))
              if england is not None else tuple([None] * len(periods)))
    era = eras(code, periods)
    drawn = [i for i, v in enumerate(values) if v is not None]
    # the tile is about the latest figure every school is in (a few pupils: shown, marked);
    # with no such period, the latest figure drawn, not judged
    whole = [i for i in drawn if unusable(rows[i]) in (None, FEW_PUPILS)]
    if not drawn:
        return Tile(code, None, None, None, None, None, suppression.MISSING, None, None, None,
                    None, None, None, verdicts.NO_FIGURE, labels, values, theirs)
    last = whole[-1] if whole else drawn[-1]
    row = rows[last] or {}
    value = values[last]
    low, high = number(row.get("low")), number(row.get("high"))
    pupils = number(row.get("pupils"))
    size = suppression.reliability(pupils)
    other = theirs[last]
    if unusable(row) == PARTIAL:
        verdict = verdicts.SOME_SCHOOLS
    elif unusable(row) == FEW_PUPILS:
        verdict = verdicts.TOO_FEW_PUPILS
    elif other is None:
        verdict = verdicts.NO_ENGLAND
    elif low is None or high is None:
        verdict = verdicts.NO_RANGE
    elif low > other:
        verdict = verdicts.ABOVE
    elif high < other:
        verdict = verdicts.BELOW
    else:
        verdict = verdicts.CLOSE
    usable = [i for i in drawn if unusable(rows[i]) is None]
    first = next((i for i in usable if era[i] == era[last]), last)
    change = england_change = None
    if first < last and unusable(row) is None:
        change = value - values[first]
        if theirs[first] is not None and other is not None:
            england_change = other - theirs[first]
    later = [i for i in drawn if i > last]
    return Tile(code, labels[last], value, low, high, pupils, size, _int(row.get("schools")),
                _int(row.get("expected")), other, labels[first] if first < last else None,
                change, england_change, verdict, labels, values, theirs,
                labels[later[-1]] if later else None,
                unusable(rows[later[-1]]) if later else None)
