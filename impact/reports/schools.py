"""The Schools page's tables: one school's details, memberships and results over time."""

from __future__ import annotations

from typing import Any

import pandas as pd

from impact.charts import numbers
from impact.domain import measures as m
from impact.domain.academic_years import term_order
from impact.reports.dates import long_date


def details_table(details: pd.DataFrame) -> pd.DataFrame:
    """The school's details as two columns, What and Detail, leaving out blanks."""
    if details.empty:
        return pd.DataFrame(columns=["What", "Detail"])
    row = details.iloc[0]
    pairs = [("URN", str(int(row["urn"]))), ("Phase", row["phase"]),
             ("Type", row["school_type"]), ("Local authority", row["local_authority"]),
             ("Pupils on roll", row["pupils"]), ("Capacity", row["capacity"])]
    if "contact_email" in row:
        contact = " ".join(str(v) for v in (row.get("contact_name"), row["contact_email"])
                           if not _blank(v))
        pairs.append(("Contact for returns", contact or None))
    # A detail the store does not hold is left out, never shown as "<NA>" or "nan".
    shown = [(k, f"{int(v):,}" if isinstance(v, (int, float)) and k != "URN" else str(v))
             for k, v in pairs if not _blank(v)]
    return pd.DataFrame(shown, columns=["What", "Detail"])


def _blank(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and pd.isna(value):
        return True
    return isinstance(value, str) and not value.strip()


def memberships_table(memberships: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Partnership": memberships["partnership"],
        "Cohort": memberships["cohort"],
        "Focus": memberships["focus"].fillna(""),
        "Joined": memberships["joined_date"].map(long_date),
        "Left": memberships["left_date"].map(lambda d: long_date(d) or "Still in"),
    }).reset_index(drop=True)


def visible(rows: pd.DataFrame, group: str, keys: list[str]) -> pd.DataFrame:
    """Rows of several pupil groups (`pupil_group`, `pupils`, `value`, `value_note`) cut to
    `group`, with every figure that is hidden, or would give a hidden one away through All
    pupils, made `c` (`suppression.hide_recoverable`)."""
    from impact.analysis import suppression

    if rows.empty or "pupil_group" not in rows:
        return rows
    shown = suppression.hide_recoverable(rows, keys, size="pupils")
    return shown[shown["pupil_group"] == group].reset_index(drop=True)


def attainment_table(rows: pd.DataFrame, group: str | None = None) -> pd.DataFrame:
    """Years (and terms) down, measures across; c for a hidden figure, never 0; `u` beside a
    figure about 6 to 10 pupils.

    Each cell says the figure and, beside it, how many pupils it is about. `rows` may hold
    several pupil groups (`queries/school_attainment.sql`): the table shows `group`, hiding
    any figure from which a hidden one of the other groups could be worked out.
    """
    if group is not None:
        rows = visible(rows, group, ["academic_year", "term", "measure"])
    if rows.empty:
        return pd.DataFrame(columns=["Year", "Term"])
    order = {x.code: i for i, x in enumerate(m.MEASURES)}
    cells = []
    for r in rows.itertuples(index=False):
        measure = m.BY_CODE.get(r.measure)
        if measure is None:
            continue
        text = numbers.shown(r.value, r.value_note, r.pupils, measure.unit)
        if not numbers.is_missing(r.value) and text != numbers.SUPPRESSED \
                and not numbers.is_missing(r.pupils):
            text = f"{text} ({int(r.pupils)})"
        cells.append({"Year": r.academic_year, "Term": r.term, "measure": r.measure,
                      "text": text})
    frame = pd.DataFrame(cells)
    wide = frame.pivot_table(index=["Year", "Term"], columns="measure", values="text",
                             aggfunc="first")
    measures = sorted(wide.columns, key=lambda c: order.get(c, len(order)))
    wide = wide[measures].rename(columns={c: m.measure(c).short for c in measures})
    wide = wide.reset_index()
    wide["_order"] = [(y, term_order(t)) for y, t in zip(wide["Year"], wide["Term"], strict=True)]
    wide = wide.sort_values("_order").drop(columns="_order")
    wide.columns.name = None
    return wide.fillna("").reset_index(drop=True)


# --- strengths and needs against partner schools ---------------------------------------------

def _interval(unit: str, value: float, pupils: float, lower: object, upper: object
              ) -> tuple[float, float] | None:
    """Wilson for a percentage; the DfE's own confidence limits for a progress score where
    the store has them; none otherwise (an average scaled score has no stored spread)."""
    from impact.analysis.intervals import percent_interval

    if unit == m.PERCENT and not numbers.is_missing(pupils) and pupils > 0 \
            and 0 <= value <= 100:
        return percent_interval(value, pupils)
    if not numbers.is_missing(lower) and not numbers.is_missing(upper):
        return float(lower), float(upper)
    return None


def strengths_and_needs(rows: pd.DataFrame, urn: int, group: str | None = None
                        ) -> pd.DataFrame:
    """For each measure, the school's latest figure against its partners' average that year.

    `rows`: `queries/school_partner_figures.sql` (the school's and its partners' Summer
    figures for the pupil groups read; `group` is the one shown, with anything that would
    give a hidden figure away hidden too). A *clear strength* is a likely range wholly above the
    partners' pupil-weighted average, a *need* wholly below (the DfE's way of judging a school
    against the national average). Figures about `LOW_RELIABILITY_MAX` pupils or fewer are
    not judged, `HIDDEN_MAX` or fewer are hidden; partner schools suggested for a need are
    those with a clear strength in it, on `HEADLINE_MIN` pupils or more.
    """
    from impact.analysis import suppression
    from impact.charts import profile

    columns = ["measure", "academic_year", "value", "pupils", "low", "high", "shown",
               "range_text", "partners_mean", "partners_text", "partners_schools", "verdict",
               "suggest"]
    if group is not None:
        rows = visible(rows, group, ["urn", "academic_year", "term", "measure"])
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows[[m.missing_reason(c, y) is None if c in m.BY_CODE else False
                 for c, y in zip(rows["measure"], rows["academic_year"], strict=True)]]
    order = {x.code: i for i, x in enumerate(m.MEASURES)}
    # Each measure's rows (the school's with a figure or a note, its partners' with a figure)
    # found in one pass, by position and in the rows' order: testing every row for every
    # measure took most of the Schools page's time.
    is_mine = (rows["urn"] == urn).to_numpy(dtype=bool)
    has_value = rows["value"].notna().to_numpy(dtype=bool)
    has_note = rows["value_note"].notna().to_numpy(dtype=bool)
    row_years = rows["academic_year"].tolist()
    mine_at: dict[Any, list[int]] = {}
    others_at: dict[Any, list[int]] = {}
    for at, code in enumerate(rows["measure"].tolist()):
        if is_mine[at]:
            if has_value[at] or has_note[at]:
                mine_at.setdefault(code, []).append(at)
        elif has_value[at]:
            others_at.setdefault(code, []).append(at)
    out = []
    for code in sorted(set(rows["measure"]), key=lambda c: order.get(c, len(order))):
        measure = m.measure(code)
        mine, others = mine_at.get(code, []), others_at.get(code, [])
        years = sorted({row_years[at] for at in mine} & {row_years[at] for at in others})
        if not years:
            continue
        year = years[-1]
        own = rows.iloc[next(at for at in mine if row_years[at] == year)]
        theirs = rows.iloc[[at for at in others if row_years[at] == year]]
        sizes = theirs["pupils"].astype(float)
        known = sizes.notna() & (sizes > 0)
        partners_mean = (float((theirs["value"][known] * sizes[known]).sum() / sizes[known].sum())
                         if known.any() else float(theirs["value"].mean()))
        value = None if numbers.is_missing(own["value"]) else float(own["value"])
        pupils = own["pupils"]
        size_class = suppression.reliability(None if numbers.is_missing(pupils)
                                             else float(pupils))
        span = None if value is None else _interval(measure.unit, value, pupils, own["lower"],
                                                    own["upper"])
        shown = numbers.shown(own["value"], own["value_note"], pupils, measure.unit)
        if value is None or size_class == suppression.HIDDEN:
            verdict = profile.HIDDEN if size_class == suppression.HIDDEN else "No figure"
            span, value = None, None
        elif size_class != suppression.OK:
            verdict = profile.TOO_FEW
        elif span is None:
            verdict = profile.NO_RANGE
        else:
            above, below = span[0] > partners_mean, span[1] < partners_mean
            good, bad = (above, below) if measure.higher_is_better else (below, above)
            verdict = profile.STRENGTH if good else profile.NEED if bad else profile.SIMILAR
        suggest = ""
        if verdict == profile.NEED:
            strong = []
            for partner in theirs.itertuples():
                if not suppression.rankable(None if numbers.is_missing(partner.pupils)
                                            else float(partner.pupils)):
                    continue
                theirs_span = _interval(measure.unit, float(partner.value), partner.pupils,
                                        partner.lower, partner.upper)
                if theirs_span is None:
                    continue
                clear = (theirs_span[0] > partners_mean if measure.higher_is_better
                         else theirs_span[1] < partners_mean)
                if clear:
                    strong.append(str(partner.name))
            suggest = ", ".join(sorted(strong)) or "None clearly strong here"
        out.append({
            "measure": code, "academic_year": year, "value": value,
            "pupils": None if numbers.is_missing(pupils) else float(pupils),
            "low": None if span is None else span[0], "high": None if span is None else span[1],
            "shown": shown,
            "range_text": "" if span is None else
            f"{numbers.format_number(span[0], measure.unit)} to "
            f"{numbers.format_number(span[1], measure.unit)}",
            "partners_mean": partners_mean,
            "partners_text": numbers.format_number(partners_mean, measure.unit),
            "partners_schools": int(theirs["urn"].nunique()),
            "verdict": verdict, "suggest": suggest})
    return pd.DataFrame(out, columns=columns)


def with_confidence_limits(data: pd.DataFrame, limits: pd.DataFrame) -> pd.DataFrame:
    """A school's line (academic_year, term, value, …) with the DfE's published confidence
    limits as its `low`/`high` where the store has them (progress scores), so the chart draws
    the DfE's interval rather than none. `limits`: academic_year, term, lower, upper."""
    if limits.empty or limits[["lower", "upper"]].isna().all().all():
        return data
    keyed = limits.dropna(subset=["lower", "upper"]).set_index(["academic_year", "term"])
    out = data.copy()
    for column in ("low", "high"):
        if column not in out:
            out[column] = float("nan")
    for i, (year, term) in enumerate(zip(out["academic_year"], out["term"], strict=True)):
        if (year, term) in keyed.index and not numbers.is_missing(out["value"].iloc[i]):
            out.loc[out.index[i], "low"] = float(keyed.loc[(year, term), "lower"])
            out.loc[out.index[i], "high"] = float(keyed.loc[(year, term), "upper"])
    return out
