"""Series breaks made explicit, for chart builders: gaps where there are no results, and no
line drawn between years that are not comparable.

A line from 2018/19 straight to 2021/22 tells a governor the two are comparable and that
nothing happened in between; neither is true. So a series gets an explicit row (value None)
for every period it has no figure, with the reason, and every row says whether a chart may
join it to the previous point (`connect`) and, where a break forbids it, why (`break_before`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from impact.domain.academic_years import TERMS, format_academic_year, start_year, term_order
from impact.domain.measures import BY_CODE, missing_reason, not_comparable

NO_FIGURE = "no figure for this period"


def _periods(first: tuple[int, int], last: tuple[int, int],
             termly: bool) -> list[tuple[int, int]]:
    out = []
    year, term = first
    while (year, term) <= last:
        out.append((year, term))
        if termly and term < len(TERMS) - 1:
            term += 1
        else:
            year, term = year + 1, (0 if termly else term)
    return out


def insert_gaps(series: pd.DataFrame, measure: str, *, value: str = "value",
                by: list[str] | None = None) -> pd.DataFrame:
    """`series` (columns `academic_year`, optional `term`, `value`, anything else) with a row
    for every missing period between its first and last (value NaN), ready to draw.

    Added columns: `gap` (True where there is no figure), `gap_reason` (why: no statutory
    assessments in 2019/20, no figure uploaded, …), `break_before` (why this point must not be
    joined to the previous one, e.g. 2021/22 is not comparable with 2018/19) and `connect`
    (whether a chart may draw a segment from the previous row). Statutory measures step by
    year; teacher assessments step by term when the series has more than one term. `by` names
    columns that identify separate lines (each gets its own gaps).
    """
    m = BY_CODE.get(measure)
    statutory = bool(m and m.statutory)
    frame = series.copy()
    has_term = "term" in frame.columns
    termly = has_term and not statutory and frame["term"].dropna().nunique() > 1
    if not has_term:
        frame["term"] = "Summer"
    frame["_y"] = frame["academic_year"].map(start_year)
    frame["_t"] = frame["term"].map(term_order) if termly else 0
    pieces = []
    groups = frame.groupby(by, sort=False, dropna=False) if by else [((), frame)]
    for key, rows in groups:
        if rows.empty:
            continue
        rows = rows.sort_values(["_y", "_t"])
        first = (int(rows["_y"].iloc[0]), int(rows["_t"].iloc[0]))
        last = (int(rows["_y"].iloc[-1]), int(rows["_t"].iloc[-1]))
        have = {(int(y), int(t)) for y, t in zip(rows["_y"], rows["_t"], strict=True)}
        extra = []
        for y, t in _periods(first, last, termly):
            if (y, t) in have:
                continue
            row = {"academic_year": format_academic_year(y),
                   "term": TERMS[t] if termly else "Summer", value: None, "_y": y, "_t": t}
            if by:
                keys = key if isinstance(key, tuple) else (key,)
                row.update(dict(zip(by, keys, strict=True)))
            extra.append(row)
        if extra:
            rows = pd.concat([rows, pd.DataFrame(extra)], ignore_index=True)
        rows = rows.sort_values(["_y", "_t"]).reset_index(drop=True)
        values = pd.to_numeric(rows[value], errors="coerce")
        rows[value] = values  # gap rows hold NaN, which every chart library leaves blank
        rows["gap"] = values.isna()
        rows["gap_reason"] = pd.Series(
            [(missing_reason(measure, ay) or NO_FIGURE) if gap else None
             for ay, gap in zip(rows["academic_year"], rows["gap"], strict=True)], dtype=object)
        breaks: list[str | None] = []
        connect: list[bool] = []
        previous_year: str | None = None
        previous_had_value = False
        for ay, gap in zip(rows["academic_year"], rows["gap"], strict=True):
            reason = None
            if not gap and previous_year is not None:
                reason = not_comparable(measure, previous_year, ay)
            breaks.append(reason)
            connect.append(bool(not gap and previous_had_value and reason is None))
            previous_had_value = not gap
            if not gap:
                previous_year = ay
        rows["break_before"] = pd.Series(breaks, dtype=object)
        rows["connect"] = connect
        pieces.append(rows)
    if pieces:
        out = pd.concat(pieces, ignore_index=True)
    else:
        out = frame.assign(gap=pd.Series(dtype=bool), gap_reason=pd.Series(dtype=object),
                           break_before=pd.Series(dtype=object),
                           connect=pd.Series(dtype=bool))
    out = out.drop(columns=["_y", "_t"])
    if not has_term:
        out = out.drop(columns=["term"])
    return out


# --- the periods a chart's axis shows, and the stretches between breaks -----------------------

@dataclass(frozen=True)
class Period:
    """One point on a time axis: an academic year (annual measures) or a term in one."""

    academic_year: str
    term: str
    label: str


def axis(code: str, frames: Sequence[pd.DataFrame]) -> list[Period]:
    """Every period from the first to the last with data in any of `frames` (each with
    `academic_year` and `term`), gaps included.

    Statutory measures are annual (Summer), labelled by academic year; teacher assessments
    are termly, labelled 'Autumn 2023/24'.
    """
    m = BY_CODE[code]
    parts = [f[["academic_year", "term"]] for f in frames if not f.empty]
    if not parts:
        return []
    rows = pd.concat(parts, ignore_index=True)
    years = [start_year(y) for y in rows["academic_year"]]
    if m.statutory:
        return [Period(format_academic_year(y), "Summer", format_academic_year(y))
                for y in range(min(years), max(years) + 1)]
    keys = [(start_year(y), term_order(t)) for y, t in zip(rows["academic_year"], rows["term"],
                                                            strict=True)]
    first, last = min(keys), max(keys)
    periods = []
    for year in range(first[0], last[0] + 1):
        for position, term in enumerate(TERMS):
            if first <= (year, position) <= last:
                label = f"{term} {format_academic_year(year)}"
                periods.append(Period(format_academic_year(year), term, label))
    return periods


def gap_reason(code: str, period: Period) -> str | None:
    """Why a period can have no figures at all (a series break), or None."""
    return missing_reason(code, period.academic_year)


def eras(code: str, periods: list[Period]) -> list[int]:
    """Stretch numbers: periods in different stretches must not be compared or joined (-1 for
    a period with no figures by design)."""
    out: list[int] = []
    era = 0
    previous: Period | None = None
    for period in periods:
        if gap_reason(code, period):
            era += 1
            out.append(-1)
            previous = None
            continue
        if previous is not None and not_comparable(code, previous.academic_year,
                                                   period.academic_year):
            era += 1
        out.append(era)
        previous = period
    return out


def rows_by_period(code: str, frame: pd.DataFrame, periods: list[Period]
                   ) -> list[dict[str, Any] | None]:
    """A line's row for each period (None for a gap or no row), aligned with `periods`."""
    found = {(r["academic_year"], r["term"]): r for r in frame.to_dict("records")}
    return [None if gap_reason(code, p) else found.get((p.academic_year, p.term))
            for p in periods]
