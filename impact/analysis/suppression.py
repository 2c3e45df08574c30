"""Small-numbers rules, applied in one place so no page can forget them.

Our defaults (product brief, section 3, after DfE and GSS practice; the thresholds are in
`impact.domain.small_numbers`, with the words that quote them):

- a figure about 5 pupils or fewer is hidden and shown as `c`, never 0 (`HIDDEN_MAX`);
- a figure about 6 to 10 pupils is shown but marked low reliability and never ranked
  (`LOW_RELIABILITY_MAX`);
- a pupil-group analysis below 11 pupils is not shown in governor views (`GOVERNOR_MIN_GROUP`);
- a second figure is hidden where a hidden one could be recovered from a total
  (secondary suppression: boys + girls = all pupils, one school's share of a cohort total);
- a missing value is shown as the GSS symbol of its stored code (`c`, `x`, `z`, `low`).

Pages and chart builders call `apply_suppression` (and, for tables with a total,
`suppress_pupil_groups` or `suppress_with_total`) on every frame of figures they show.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence

import pandas as pd

from impact.domain import missing_values
from impact.domain.small_numbers import (  # noqa: F401 (re-exported for callers)
    GOVERNOR_MIN_GROUP,
    HEADLINE_MIN,
    HIDDEN_MAX,
    LOW_MARK,
    LOW_RELIABILITY_MAX,
    SUPPRESSED_MARK,
)

HIDDEN = "hidden"          # 5 pupils or fewer: shown as c
LOW = "low"                # 6 to 10 pupils: shown, flagged, not ranked
OK = "ok"                  # 11 or more
UNKNOWN = "unknown"        # no cohort size given: shown, not ranked (reliability unknown)
MISSING = "missing"        # no figure; the stored code says why

# Pupil groups that split "all" between them: if one is hidden and "all" is shown, the other
# gives it away (all × n − other × n_other).
PARTITIONS: tuple[tuple[str, ...], ...] = (("disadvantaged", "not_disadvantaged"),
                                           ("boys", "girls"))


def reliability(cohort_size: float | None) -> str:
    """How far a figure about `cohort_size` pupils can be trusted, as one of the constants."""
    if cohort_size is None or (isinstance(cohort_size, float) and math.isnan(cohort_size)):
        return UNKNOWN
    if cohort_size <= HIDDEN_MAX:
        return HIDDEN
    if cohort_size <= LOW_RELIABILITY_MAX:
        return LOW
    return OK


def rankable(cohort_size: float | None) -> bool:
    """Whether a figure may appear in a ranking or league table: 11 pupils or more."""
    return reliability(cohort_size) == OK


def group_analysis_allowed(pupil_group: str, sizes: Iterable[float | None],
                           governor_view: bool) -> bool:
    """Whether a pupil-group analysis may be shown: in governor views every figure it rests on
    must be about at least 11 pupils (a group of unknown size counts as too small)."""
    if pupil_group == "all" or not governor_view:
        return True
    sizes = list(sizes)
    if not sizes:
        return False
    return all(s is not None and not (isinstance(s, float) and math.isnan(s))
               and s >= GOVERNOR_MIN_GROUP for s in sizes)


def format_number(value: float, decimals: int = 0, suffix: str = "") -> str:
    """A number as shown in a table: fixed decimals, the minus sign people read."""
    text = f"{value:,.{decimals}f}"
    if text.startswith("-"):
        text = "−" + text[1:]
    if text in ("−0", "−0." + "0" * decimals):
        text = text[1:]
    return text + suffix


def display(value: float | None, cohort_size: float | None, value_note: str | None = None,
            decimals: int = 0, suffix: str = "") -> str:
    """What a cell shows: `c` for a hidden group, the GSS symbol for a missing value, else the
    number, followed by `u` (the GSS mark for low reliability) when it is about 6 to 10
    pupils. Never 0 for a figure that is hidden or missing."""
    size = reliability(cohort_size)
    if size == HIDDEN:
        return SUPPRESSED_MARK
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing_values.symbol(value_note)
    text = format_number(float(value), decimals, suffix)
    return f"{text} {LOW_MARK}" if size == LOW else text


def apply_suppression(frame: pd.DataFrame, *, value: str = "value", size: str = "cohort_size",
                      note: str = "value_note", decimals: int = 0,
                      suffix: str = "") -> pd.DataFrame:
    """A copy of `frame` with the primary rules applied.

    Adds `shown` (the value, or NaN when hidden or missing, so a chart draws nothing rather
    than 0), `display` (the cell text), `reliability`, `rankable` and `suppressed`
    (`"primary"` where the small-group rule hid a figure, else None).
    """
    out = frame.copy()
    sizes = out[size] if size in out else pd.Series(None, index=out.index, dtype="float64")
    notes = out[note] if note in out else pd.Series(None, index=out.index, dtype=object)
    values = pd.to_numeric(out[value], errors="coerce")
    rel = [reliability(None if pd.isna(s) else float(s)) for s in sizes]
    rel = [MISSING if r != HIDDEN and pd.isna(v) else r for r, v in zip(rel, values, strict=True)]
    out["reliability"] = pd.Series(rel, index=out.index, dtype=object)
    hidden = out["reliability"] == HIDDEN
    out["suppressed"] = pd.Series(["primary" if h else None for h in hidden], index=out.index,
                                  dtype=object)
    out["shown"] = values.where(~hidden & values.notna())
    out["rankable"] = out["reliability"] == OK
    out["display"] = [
        display(None if pd.isna(v) else float(v), None if pd.isna(s) else float(s),
                None if pd.isna(n) else str(n), decimals, suffix)
        for v, s, n in zip(values, sizes, notes, strict=True)]
    return out


def _hide(out: pd.DataFrame, index: Hashable, why: str) -> None:
    out.at[index, "reliability"] = HIDDEN
    out.at[index, "suppressed"] = why
    out.at[index, "shown"] = float("nan")
    out.at[index, "rankable"] = False
    out.at[index, "display"] = SUPPRESSED_MARK


def secondary_suppression(frame: pd.DataFrame, parts_of_totals: Sequence[Sequence[Hashable]],
                          *, size: str = "cohort_size") -> pd.DataFrame:
    """Hide one more figure wherever a hidden one could be worked out from a shown total.

    `frame` must already have been through `apply_suppression`. Each entry of
    `parts_of_totals` lists the row labels that add up to a total which is shown (so the
    caller decides what a total is). When exactly one of them is hidden, the smallest shown
    one is hidden too (`suppressed = "secondary"`). Repeats until nothing changes, because
    one secondary suppression can expose another set.
    """
    out = frame.copy()
    changed = True
    while changed:
        changed = False
        for parts in parts_of_totals:
            parts = [p for p in parts if p in out.index]
            hidden = [p for p in parts if out.at[p, "reliability"] == HIDDEN]
            visible = [p for p in parts if out.at[p, "reliability"] in (OK, LOW, UNKNOWN)]
            unknown = [p for p in parts if out.at[p, "reliability"] == MISSING]
            # With another part missing too, the total no longer pins the hidden one down.
            if len(hidden) == 1 and visible and not unknown:
                def _size(p: Hashable) -> float:
                    s = out.at[p, size] if size in out else None
                    return float("inf") if s is None or pd.isna(s) else float(s)
                _hide(out, min(visible, key=_size), "secondary")
                changed = True
    return out


def suppress_pupil_groups(frame: pd.DataFrame, keys: Sequence[str], *,
                          group: str = "pupil_group", **columns: str) -> pd.DataFrame:
    """Primary and secondary suppression for figures broken down by pupil group.

    Rows sharing `keys` (e.g. urn, academic_year, term, measure) form one table; within it
    disadvantaged/not disadvantaged and boys/girls each split the "all" row, so when "all" is
    present, hiding one of a pair hides the other.
    """
    out = apply_suppression(frame, **columns)
    size = columns.get("size", "cohort_size")
    sets: list[list[Hashable]] = []
    for _, rows in out.groupby(list(keys), sort=False, dropna=False):
        by_group = dict(zip(rows[group], rows.index, strict=True))
        total = by_group.get("all")
        if total is None or out.at[total, "reliability"] == HIDDEN:
            continue
        for pair in PARTITIONS:
            sets.append([by_group[g] for g in pair if g in by_group])
    return secondary_suppression(out, sets, size=size)


def suppress_with_total(frame: pd.DataFrame, is_total: pd.Series, *,
                        within: Sequence[str] = (), **columns: str) -> pd.DataFrame:
    """Primary and secondary suppression for a table of parts and their total row.

    For example the schools of a cohort and the cohort's own figure: a shown cohort
    percentage and cohort size, with all schools but one shown, gives the hidden school away.
    `is_total` marks total rows; `within` names columns that separate independent tables
    (e.g. academic_year).
    """
    out = apply_suppression(frame, **columns)
    size = columns.get("size", "cohort_size")
    groups = out.groupby(list(within), sort=False, dropna=False) if within else [((), out)]
    sets: list[list[Hashable]] = []
    for _, rows in groups:
        totals = rows.index[is_total.loc[rows.index].to_numpy()]
        if len(totals) == 0 or all(out.at[t, "reliability"] == HIDDEN for t in totals):
            continue
        sets.append(list(rows.index[~is_total.loc[rows.index].to_numpy()]))
    return secondary_suppression(out, sets, size=size)


def governor_rows(frame: pd.DataFrame, *, size: str = "cohort_size", value: str = "value",
                  note: str = "value_note") -> pd.DataFrame:
    """A copy of school-level figures for the governor view: every figure about fewer than
    `GOVERNOR_MIN_GROUP` pupils (or an unknown number) is hidden, shown as `c`, never 0, so no
    school-level table shows a group of 6 to 10 pupils."""
    out = frame.copy()
    if out.empty:
        return out
    sizes = pd.to_numeric(out[size], errors="coerce")
    small = sizes.isna() | (sizes < GOVERNOR_MIN_GROUP)
    out[value] = pd.to_numeric(out[value], errors="coerce").where(~small)
    out[note] = out[note].astype(object).where(~small, "c")
    out[size] = sizes.where(~small)
    for limit in ("lower", "upper"):  # a published interval would give the figure away
        if limit in out:
            out[limit] = pd.to_numeric(out[limit], errors="coerce").where(~small)
    return out


def pair_of(group: str) -> tuple[str, ...] | None:
    """The pair of pupil groups that split All pupils with `group` in it, if any."""
    return next((pair for pair in PARTITIONS if group in pair), None)


def groups_to_read(group: str) -> list[str]:
    """The pupil groups to read to show `group` safely: itself, and for half of a pair, the
    other half and All pupils (so hiding one can hide what would give it away)."""
    pair = pair_of(group)
    return ["all", *pair] if pair is not None else [group]


def source_hidden(frame: pd.DataFrame, value: str = "value",
                  note: str = "value_note") -> pd.Series:
    """Rows whose figure was suppressed where it came from (stored empty with `c` or `SUPP`):
    hidden as surely as a small group, whatever its stored pupil count."""
    return frame[value].isna() & frame[note].map(
        lambda n: isinstance(n, str) and missing_values.symbol(n) == SUPPRESSED_MARK)


def hide_recoverable(frame: pd.DataFrame, keys: Sequence[str], *, group: str = "pupil_group",
                     size: str = "cohort_size") -> pd.DataFrame:
    """Figures for one or several pupil groups (column `group`), with everything a person may
    not see made missing (`value` NaN, `value_note` "c"): small groups, figures suppressed at
    source, and any figure from which one of those could be worked out through All pupils
    (`suppress_pupil_groups`). Same columns as `frame`."""
    if frame.empty:
        return frame
    marked = frame.copy()
    # a figure suppressed at source counts as hidden: give it a hidden size for the rules
    hidden_at_source = source_hidden(marked)
    marked["_size"] = marked[size].astype(float).where(~hidden_at_source, 0.0)
    if marked[group].nunique() > 1:
        out = suppress_pupil_groups(marked, keys, group=group, size="_size")
    else:
        out = apply_suppression(marked, size="_size")
    hidden = (out["reliability"] == HIDDEN).to_numpy()
    result = frame.copy()
    result["value"] = pd.to_numeric(result["value"], errors="coerce").where(~hidden)
    notes = result["value_note"].astype(object) if "value_note" in result else \
        pd.Series(None, index=result.index, dtype=object)
    result["value_note"] = notes.where(~hidden, SUPPRESSED_MARK)
    return result
