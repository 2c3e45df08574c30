"""The Ofsted page's tables: one per framework, each grade on its own framework's scale.

Ofsted says its frameworks are not comparable, so grades from different frameworks never
share a column: a "Good" under the old framework and a "Strong standard" under report cards
sit in different tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from impact.domain import ofsted, verdicts
from impact.reports.dates import long_date


@dataclass(frozen=True)
class FrameworkTable:
    framework: ofsted.Framework
    table: pd.DataFrame

    @property
    def title(self) -> str:
        return self.framework.label

    @property
    def scale_note(self) -> str:
        scales = {s for s in self.framework.scales.values()
                  if s not in (ofsted.EFFECTIVE, ofsted.MET)}
        grades = "; ".join(", ".join(scale) for scale in scales)
        return f"Grades, best first: {grades}. A blank means the area was not judged."


def framework_tables(inspections: pd.DataFrame) -> list[FrameworkTable]:
    """Newest framework first; in each, only that framework's areas, newest inspection first."""
    out = []
    for framework in reversed(list(ofsted.FRAMEWORKS.values())):
        rows = inspections[inspections["framework"] == framework.code]
        if rows.empty:
            continue
        areas = [a for a in framework.areas if a in rows and rows[a].notna().any()]
        table = pd.DataFrame({
            "School": rows["school_name"].fillna("").to_numpy(),
            "URN": rows["urn"].astype(int).to_numpy(),
            "Inspected": rows["inspection_date"].map(long_date).to_numpy(),
            "Type": rows["inspection_type"].fillna("").to_numpy(),
            **{ofsted.AREAS[a].label: rows[a].fillna("").to_numpy() for a in areas},
        })
        out.append(FrameworkTable(framework, table))
    return out


# --- grades over time, before joining and now -------------------------------------------------

GOOD_OR_BETTER = ("Outstanding", "Good")
LAST_GRADED_YEAR = 2023  # 2023/24: the last full academic year with overall grades


def _dates(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column, errors="coerce")


def graded(inspections: pd.DataFrame) -> pd.DataFrame:
    """Inspections with an overall grade (the graded framework only), oldest first."""
    if inspections.empty:
        return inspections
    rows = inspections[(inspections["framework"] == ofsted.GRADED.code)
                       & inspections["overall_effectiveness"].notna()].copy()
    rows["_day"] = _dates(rows["inspection_date"])
    return rows.sort_values(["urn", "_day"]).drop(columns="_day")


def latest_graded(inspections: pd.DataFrame, by: object = None) -> pd.DataFrame:
    """Each school's latest overall grade (on or before `by`, a date, if given)."""
    rows = graded(inspections)
    if rows.empty:
        return rows
    if by is not None:
        rows = rows[_dates(rows["inspection_date"]) <= pd.Timestamp(by)]
    return rows.groupby("urn", sort=False).tail(1).reset_index(drop=True)


def grade_summary(row: pd.Series | dict) -> str:
    """One inspection in words, on its own framework's scale: 'Good (graded)', 'Key
    judgements: 4 Good, 1 Outstanding', 'Report card: 5 Expected standard, 1 Strong standard'."""
    framework = ofsted.FRAMEWORKS.get(row.get("framework"))
    if framework is None:
        return ""
    if framework is ofsted.GRADED and isinstance(row.get("overall_effectiveness"), str):
        return str(row["overall_effectiveness"])
    scale = ofsted.FOUR_POINT if framework is not ofsted.REPORT_CARD else ofsted.FIVE_POINT
    counts = {g: 0 for g in scale}
    for area in framework.areas:
        grade = row.get(area)
        if isinstance(grade, str) and grade in counts:
            counts[grade] += 1
    parts = [f"{n} {g}" for g, n in counts.items() if n]
    name = "Key judgements" if framework is ofsted.KEY_JUDGEMENTS else "Report card"
    return f"{name}: {', '.join(parts)}" if parts else name


def _rank(grade: object) -> int | None:
    return ofsted.grade_rank(ofsted.FOUR_POINT, grade) if grade in ofsted.FOUR_POINT else None


BETTER, SAME, WORSE = verdicts.BETTER, verdicts.SAME, verdicts.WORSE
NOT_COMPARABLE = verdicts.NOT_COMPARABLE


def before_and_now(members: pd.DataFrame, inspections: pd.DataFrame) -> pd.DataFrame:
    """Per school: its last inspection before it joined and its latest, each on its own
    framework's scale, and a change only between two overall grades of the graded framework
    (never mapped across frameworks). The two inspections compared are named in their own
    column, so a change is never read against a latest inspection under another framework.

    `members`: urn, name, joined_date (a school in several cohorts: its first joining)."""
    columns = ["School", "URN", "Joined", "Before joining", "Inspected (before)", "Now",
               "Inspected (now)", "Overall grades compared", "Change"]
    if members.empty:
        return pd.DataFrame(columns=columns)
    first = (members.assign(joined_ts=_dates(members["joined_date"]))
             .sort_values("joined_ts", kind="stable").drop_duplicates("urn"))
    last_of: dict[tuple[int, bool, bool], dict] = {}
    if not inspections.empty:
        # one pass over every inspection: each school's last one before joining and since,
        # and its last one with an overall grade on each side
        joined = first.set_index("urn")["joined_ts"]
        rows = inspections.assign(_day=_dates(inspections["inspection_date"]),
                                  _joined=inspections["urn"].map(joined))
        rows = rows[rows["_joined"].notna()].sort_values("_day", kind="stable")
        rows["_after"] = rows["_day"] >= rows["_joined"]
        rows["_graded"] = ((rows["framework"] == ofsted.GRADED.code)
                           & rows["overall_effectiveness"].map(lambda g: _rank(g) is not None))
        for only_graded in (False, True):
            subset = rows[rows["_graded"]] if only_graded else rows
            for r in subset.drop_duplicates(["urn", "_after"], keep="last").to_dict("records"):
                last_of[(int(r["urn"]), bool(r["_after"]), only_graded)] = r
    out = []
    for r in first.itertuples():
        urn = int(r.urn)
        last_before, now = last_of.get((urn, False, False)), last_of.get((urn, True, False))
        compared = ""
        if last_before is None:
            change = "No inspection before joining"
        elif now is None:
            change = "No inspection since joining"
        else:
            was, is_now = last_of.get((urn, False, True)), last_of.get((urn, True, True))
            if was is not None and is_now is not None:
                a, b = _rank(was["overall_effectiveness"]), _rank(is_now["overall_effectiveness"])
                change = BETTER if b < a else WORSE if b > a else SAME
                compared = (f"{was['overall_effectiveness']} ({long_date(was['inspection_date'])})"
                            f" to {is_now['overall_effectiveness']} "
                            f"({long_date(is_now['inspection_date'])}), both overall grades")
            else:
                change = NOT_COMPARABLE
        out.append({
            "School": r.name if isinstance(r.name, str) else str(r.urn), "URN": urn,
            "Joined": long_date(r.joined_date),
            "Before joining": "" if last_before is None else grade_summary(last_before),
            "Inspected (before)": "" if last_before is None else
            long_date(last_before["inspection_date"]),
            "Now": "" if now is None else grade_summary(now),
            "Inspected (now)": "" if now is None else long_date(now["inspection_date"]),
            "Overall grades compared": compared,
            "Change": change})
    return pd.DataFrame(out, columns=columns)


def _latest_by_year(mine: pd.DataFrame, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each academic year in `years`: how many schools had a graded inspection by its end
    (31 August) and how many of those were good or better at the latest of them. `mine`:
    urn, _day, _good, each school's rows together, oldest first (as `graded` orders them).

    In one pass rather than year by year (every school in England's inspections, twenty
    years): each inspection is a school's latest from the year it falls in until the year
    before its next one."""
    rows = mine[mine["_day"].notna()]
    counted = np.zeros(len(years) + 1, dtype=np.int64)
    good = np.zeros(len(years) + 1, dtype=np.int64)
    if rows.empty or not len(years):
        return counted[:-1], good[:-1]
    day = rows["_day"].to_numpy(dtype="datetime64[ns]")
    year_of = day.astype("datetime64[Y]")
    ends = (year_of.astype("datetime64[M]") + 7).astype("datetime64[D]") + 30  # 31 August
    # the first academic year at whose end (31 August) the inspection has happened
    first = year_of.astype(np.int64) + 1970 - (day <= ends).astype(np.int64)
    urn = rows["urn"].to_numpy()
    same_school_next = np.append(urn[1:] == urn[:-1], False)
    until = np.where(same_school_next, np.append(first[1:], 0), years[-1] + 1)
    begin = np.clip(first - years[0], 0, len(years))
    end = np.clip(until - years[0], 0, len(years))
    spans = begin < end
    is_good = rows["_good"].to_numpy(dtype=bool)
    np.add.at(counted, begin[spans], 1)
    np.add.at(counted, end[spans], -1)
    np.add.at(good, begin[spans & is_good], 1)
    np.add.at(good, end[spans & is_good], -1)
    return np.cumsum(counted)[:-1], np.cumsum(good)[:-1]


def good_or_better_by_year(inspections: pd.DataFrame, groups: dict[str, list[int]],
                           first_year: int | None = None,
                           last_year: int = LAST_GRADED_YEAR) -> pd.DataFrame:
    """For each group of schools and academic year: how many had an overall grade by the end
    of that year (31 August), how many of those were good or outstanding, the share and its
    Wilson 95% interval. Graded framework only: it stops when Ofsted stopped overall grades."""
    from impact.analysis.intervals import percent_interval

    columns = ["group", "academic_year", "schools", "good", "share", "low", "high"]
    rows_graded = graded(inspections)
    if rows_graded.empty:
        return pd.DataFrame(columns=columns)
    # only what the count needs: at national scale this is every school's every inspection
    rows_graded = pd.DataFrame({"urn": rows_graded["urn"].to_numpy(),
                                "_day": _dates(rows_graded["inspection_date"]).to_numpy(),
                                "_good": rows_graded["overall_effectiveness"]
                                .isin(GOOD_OR_BETTER).to_numpy()})
    days = rows_graded["_day"].dropna()
    start = first_year if first_year is not None else int(
        (days.dt.year - (days.dt.month < 9)).min())
    years = np.arange(start, last_year + 1)
    out = []
    for name, urns in groups.items():
        counted, good = _latest_by_year(rows_graded[rows_graded["urn"].isin(urns)], years)
        for year, n, k in zip(years.tolist(), counted.tolist(), good.tolist(), strict=True):
            share = 100.0 * k / n if n else None
            low, high = percent_interval(share, n) if n else (None, None)
            out.append({"group": name, "academic_year": f"{year}/{(year + 1) % 100:02d}",
                        "schools": n, "good": k, "share": share, "low": low, "high": high})
    return pd.DataFrame(out, columns=columns)


def latest_under(inspections: pd.DataFrame, framework: ofsted.Framework) -> pd.DataFrame:
    """Each school's latest inspection under one framework."""
    rows = inspections[inspections["framework"] == framework.code].copy()
    if rows.empty:
        return rows
    rows["_day"] = _dates(rows["inspection_date"])
    return (rows.sort_values(["urn", "_day"]).groupby("urn").tail(1)
            .drop(columns="_day").reset_index(drop=True))


def grade_counts(latest: pd.DataFrame, framework: ofsted.Framework) -> pd.DataFrame:
    """Areas down, grades across (best first): how many schools got each grade."""
    scale = ofsted.FIVE_POINT if framework is ofsted.REPORT_CARD else ofsted.FOUR_POINT
    areas = [a for a in framework.areas if a != "safeguarding"
             and framework.scales[a] == scale and a in latest and latest[a].notna().any()]
    rows = []
    for area in areas:
        counts = latest[area].value_counts()
        rows.append({"Area": ofsted.AREAS[area].label,
                     **{g: int(counts.get(g, 0)) for g in scale}})
    return pd.DataFrame(rows, columns=["Area", *scale])
