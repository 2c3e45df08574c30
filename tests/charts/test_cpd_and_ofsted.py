"""CPD over time, self-assessment, CPD beside results (association, never cause), and the
Ofsted charts (one framework at a time)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from impact.analysis import findings
from impact.analysis import wording as words
from impact.charts import cpd as cpd_charts
from impact.charts import ofsted as ofsted_charts
from impact.charts.base import word_count
from impact.domain import ofsted, verdicts
from impact.reports import cpd as cpd_report


def _record(year, term, role, hours, staff=1, activity="Coaching", before=None, after=None,
            urn=1):
    return {"urn": urn, "academic_year": year, "term": term, "activity": activity,
            "staff_role": role, "staff_count": staff, "staff_hours": hours,
            "self_assessment_before": before, "self_assessment_after": after}


RECORDS = pd.DataFrame([
    _record("2023/24", t, "Teachers", 10.0) for t in ("Autumn", "Spring", "Summer")] + [
    _record("2024/25", t, "Teachers", 20.0) for t in ("Autumn", "Spring", "Summer")] + [
    _record("2024/25", "Summer", "Leaders", 5.0),
    _record("2025/26", "Autumn", "Teachers", 4.0)])


def test_hours_by_year_name_a_year_with_terms_missing_and_add_up():
    chart = cpd_charts.hours_by_year_chart(
        RECORDS, title=words.hours_title(findings.hours_by_year(RECORDS)), where="the 2 schools")
    assert list(chart.table["Year"]) == ["2023/24", "2024/25", "2025/26 (Autumn only)"]
    assert list(chart.table["All staff (hours)"]) == [30, 65, 4]
    teachers = next(t for t in chart.figure.data if t.name == "Teachers")
    assert list(teachers.y) == [30.0, 60.0, 4.0]
    assert chart.title == "Staff hours rose from 30 (2023/24) to 65 (2024/25)", \
        "whole years only, both named: the part year is not read as a fall"
    assert chart.figure.layout.yaxis.range[0] == 0


def test_more_than_four_roles_keep_four_colours():
    roles = ["Teachers", "Teaching assistants", "Leaders", "Governors", "Mixed"]
    frame = pd.DataFrame([_record("2024/25", "Autumn", r, 10.0 * (i + 1))
                          for i, r in enumerate(roles)])
    chart = cpd_charts.hours_by_year_chart(frame, title="Staff hours", where="x")
    assert len(chart.figure.data) == 4
    assert any(t.name == "Other roles" for t in chart.figure.data)


def test_self_assessment_rises_carry_an_interval_and_a_self_report_caveat():
    frame = pd.DataFrame([_record("2024/25", "Autumn", "Teachers", 1, activity="INSET",
                                  before=b, after=a) for b, a in ((2, 3), (2.5, 3.5), (3, 4.2))]
                         + [_record("2024/25", "Autumn", "Teachers", 1, activity="Coaching",
                                    before=3, after=3.2)])
    summary = cpd_report.self_assessment(frame)
    assert list(summary["activity"]) == ["Coaching", "INSET"]
    inset = summary.set_index("activity").loc["INSET"]
    assert inset["before"] == 2.5 and inset["after"] == pytest.approx(3.5667, abs=1e-3)
    assert inset["low"] > 0
    assert math.isnan(summary.set_index("activity").loc["Coaching", "low"]), "one record"
    found = findings.self_ratings(summary)
    assert (found.activities, found.higher, found.lower) == (2, 1, 0)
    chart = cpd_charts.self_assessment_chart(summary, title=words.ratings_title(found),
                                             where="x")
    assert chart.title == "Staff rated themselves higher after 1 of 2 activities"
    assert any("rated themselves" in n for n in chart.notes)


def _changes(rows):
    return pd.DataFrame(rows, columns=["urn", "name", "first_treated_year", "mean_before",
                                       "mean_after", "pupils_before", "pupils_after",
                                       "change"])


def test_cpd_beside_results_is_described_as_association_and_hides_small_schools():
    records = pd.DataFrame([_record("2021/22", "Autumn", "Teachers", 10.0 * u, urn=u)
                            for u in range(1, 7)])
    changes = _changes([(u, f"School {u}", "2021/22", 50.0, 50.0 + u, 30, 30, float(u))
                        for u in range(1, 6)] + [(6, "Tiny", "2021/22", 50.0, 60.0, 4, 4,
                                                  10.0)])
    frame = cpd_report.cpd_and_results(records, changes, "percent")
    assert frame.set_index("school").loc["Tiny", "change_text"] == "c"
    assert not frame.set_index("school").loc["Tiny", "shown"]
    link = findings.results_link(frame)
    assert link.schools == 5 and link.r == pytest.approx(1.0, abs=1e-5)
    assert link.verdict == verdicts.WENT_WITH_MORE
    chart = cpd_charts.cpd_and_results_chart(frame, link, title=words.link_title(link),
                                             measure="ks2_rwm_exp", where="x")
    assert len(chart.figure.data[0].x) == 5, "the 4-pupil school is not drawn"
    assert chart.title == "Schools doing more CPD tended to rise more"
    assert any("not what causes" in n for n in chart.notes)
    assert "Tiny" in set(chart.table["School"]) and \
        chart.table.set_index("School").loc["Tiny", "Change (points)"] == "c"
    assert findings.results_link(frame.head(3)).verdict == verdicts.TOO_FEW_TO_LINK


def test_good_or_outstanding_chart_has_its_interval_and_a_count_in_the_title():
    series = pd.DataFrame([
        {"group": "Ours", "academic_year": y, "schools": 4, "good": g, "share": 25.0 * g,
         "low": 25.0 * g - 10, "high": min(25.0 * g + 10, 100)}
        for y, g in (("2021/22", 2), ("2022/23", 3), ("2023/24", 4))] + [
        {"group": "Others", "academic_year": y, "schools": 20, "good": 14, "share": 70.0,
         "low": 50.0, "high": 85.0} for y in ("2021/22", "2022/23", "2023/24")])
    found = findings.good_or_better(series, subject="Ours", comparison="Others")
    assert (found.year, found.good, found.schools, found.other_share) == ("2023/24", 4, 4, 70.0)
    assert found.verdict == verdicts.HIGHER, "90 to 100 lies wholly above the others' 50 to 85"
    chart = ofsted_charts.good_or_better_chart(
        series, title=words.good_or_better_title(found), subject="Ours", comparison="Others",
        joined_year="2022/23")
    assert chart.title == "2023/24: 4 of 4 good or outstanding, above others (70%)"
    assert "schools in no partnership" not in chart.title and "'others' in the title" in \
        chart.what_it_shows
    close = series.assign(low=series["low"].where(series["group"] == "Others", 60.0))
    found = findings.good_or_better(close, subject="Ours", comparison="Others")
    assert found.verdict == verdicts.NO_CLEAR_DIFFERENCE
    assert words.good_or_better_title(found) == "2023/24: 4 of 4 good or outstanding; others 70%"
    alone = findings.good_or_better(series[series["group"] == "Ours"], subject="Ours",
                                    comparison="Others")
    assert alone.verdict is None
    assert words.good_or_better_title(alone) == "4 of 4 schools good or outstanding by 2023/24"
    ours = next(t for t in chart.figure.data if t.name == "Ours")
    assert list(ours.y) == [50.0, 75.0, 100.0] and ours.error_y.array is not None
    others = next(t for t in chart.figure.data if t.name == "Others")
    assert others.line.dash == "dashdot" and others.error_y.array is None
    assert any(s.x0 == 0.5 for s in chart.figure.layout.shapes), "joined before 2022/23"
    assert chart.table["Ours: schools good or better"].tolist() == ["2 of 4", "3 of 4",
                                                                     "4 of 4"]


def test_grade_counts_are_written_in_every_cell_on_the_frameworks_own_scale():
    counts = pd.DataFrame([{"Area": "Achievement", "Exceptional": 0, "Strong standard": 2,
                            "Expected standard": 1, "Needs attention": 0,
                            "Urgent improvement": 0}])
    chart = ofsted_charts.grade_counts_chart(
        counts, ofsted.REPORT_CARD, title=words.grade_counts_title(findings.grade_counts(counts)),
        schools=3, where="Oak Trust")
    heat = chart.figure.data[0]
    assert list(heat.x) == list(ofsted.FIVE_POINT)
    assert heat.text[0] == ["", "2", "1", "", ""]
    assert chart.title == "Most common grade: Strong standard (2 of 3)"
    tie = counts.assign(**{"Expected standard": 2})
    assert words.grade_counts_title(findings.grade_counts(tie)) == \
        "Most common: Strong standard and Expected standard, 2 each"
    assert word_count(chart.title) <= 10
    assert "the 3 schools" in chart.what_it_shows
