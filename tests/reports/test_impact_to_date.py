"""The impact-to-date list: each case-study claim checked against the data, with a verdict in
words, the evidence and a caveat."""

from __future__ import annotations

import pandas as pd

from impact.domain import verdicts
from impact.reports import impact_to_date as impact
from tests.factories import made_estimate
from tests.reports.test_ofsted import INSPECTIONS, MEMBERS


def _estimate(effect, low, high, cohort="Cohort 1", padlocks=2, **extra):
    return made_estimate(effect, low, high, cohort=cohort, padlocks=padlocks,
                         comparison="not_yet_joined", **extra)


def test_attainment_is_judged_on_the_estimates_not_a_rising_line():
    first = _estimate(6.0, 1.0, 11.0)
    one = impact.attainment_improved([first], "RWM rose 9 points")
    assert one.verdict == impact.YES
    assert one.evidence.startswith(first.words.headline), "the Cohorts page's own sentence"
    assert "RWM rose 9 points" in one.evidence and "not an estimate of impact" in one.evidence
    assert "not a randomised trial" in one.caveat and "at most 2 of 5" in one.caveat
    unclear = impact.attainment_improved([_estimate(6.0, -1.0, 13.0)], "RWM rose 9 points")
    assert unclear.verdict == impact.NOT_CLEAR, "a rising line alone is not impact"
    several = impact.attainment_improved([_estimate(6.0, 1.0, 11.0),
                                          _estimate(0.0, -5.0, 5.0, "Cohort 2"),
                                          _estimate(None, None, None, "Cohort 3")])
    assert several.verdict == impact.PARTLY
    assert "in 1 of 2 cohorts" in several.evidence and "no clear difference in 1" in \
        several.evidence
    assert impact.attainment_improved([]).verdict == impact.NONE


def test_no_improvement_while_the_comparison_is_in_doubt_or_unchecked():
    for status in (verdicts.CHECK_FLAGGED, verdicts.CHECK_POINT_OFF,
                   verdicts.CHECK_UNTESTABLE):
        e = _estimate(6.0, 1.0, 11.0, check_status=status)
        statement = impact.attainment_improved([e])
        assert statement.verdict == impact.NOT_CLEAR, status
        assert "may not be the partnership's doing" in statement.evidence or \
            "not enough years or schools" in statement.evidence


def test_too_uncertain_is_not_judged():
    wide = _estimate(20.0, -42.0, 58.0, too_uncertain=True)
    statement = impact.attainment_improved([wide])
    assert statement.verdict == impact.NOT_CLEAR
    assert "too uncertain to say" in statement.evidence and "20" not in statement.evidence


def test_good_or_outstanding_counts_latest_overall_grades_and_says_they_age():
    statement = impact.good_or_outstanding(MEMBERS, INSPECTIONS)
    assert statement.verdict == impact.PARTLY
    assert statement.evidence.startswith("3 of 4 schools were good or outstanding")
    assert "1 Outstanding, 2 Good, 1 Inadequate" in statement.evidence
    assert "2 schools have been inspected since" in statement.caveat
    good = impact.good_or_outstanding(MEMBERS.iloc[:3], INSPECTIONS)
    assert good.verdict == impact.YES


def test_ofsted_improvement_compares_overall_grades_only():
    statement = impact.ofsted_improved(impact.ofsted_report.before_and_now(MEMBERS,
                                                                           INSPECTIONS))
    assert statement.verdict == impact.YES  # 2 better, none worse; 2 cannot be compared
    assert "2 got a better grade, 0 the same and 0 a worse" in statement.evidence
    assert "2 schools cannot be compared" in statement.evidence


def test_schools_full_uses_roll_and_capacity():
    schools = pd.DataFrame({"urn": [1, 2, 3], "pupils": [210, 200, None],
                            "capacity": [210, 240, 300]})
    statement = impact.schools_full(schools)
    assert statement.verdict == impact.PARTLY
    assert statement.evidence.startswith("1 of 2 schools has as many pupils as places")


def test_staff_confidence_needs_a_clear_rise_and_says_it_is_self_reported():
    records = pd.DataFrame({"self_assessment_before": [2.0, 2.5, 3.0, None],
                            "self_assessment_after": [3.5, 3.5, 4.0, 4.0]})
    statement = impact.staff_confidence(records)
    assert statement.verdict == impact.YES
    assert "2.5 out of 5 before and 3.7 after" in statement.evidence
    assert "rated themselves" in statement.caveat
    flat = pd.DataFrame({"self_assessment_before": [2.0, 3.0, 4.0],
                         "self_assessment_after": [3.0, 2.0, 4.0]})
    assert impact.staff_confidence(flat).verdict == impact.NOT_CLEAR


def test_staff_hours_compare_with_the_year_before():
    records = pd.DataFrame({"academic_year": ["2023/24", "2024/25", "2024/25"],
                            "staff_role": ["Teachers", "Teachers", "Leaders"],
                            "staff_hours": [100.0, 150.0, 50.0]})
    statement = impact.staff_hours(records)
    assert statement.evidence == ("Staff spent 200 hours on joint CPD and collaboration in "
                                  "2024/25, across 2 roles (100 hours in 2023/24).")


def test_a_year_under_way_is_compared_with_the_same_terms_of_the_year_before():
    records = pd.DataFrame({
        "academic_year": ["2023/24"] * 3 + ["2024/25"],
        "term": ["Autumn", "Spring", "Summer", "Autumn"],
        "staff_role": ["Teachers"] * 4,
        "staff_hours": [40.0, 60.0, 80.0, 50.0]})
    statement = impact.staff_hours(records)
    assert statement.evidence == (
        "Staff spent 50 hours on joint CPD and collaboration in 2024/25 so far (Autumn term), "
        "across 1 role (40 hours in the same term of 2023/24; 180 in the whole of 2023/24).")


def test_a_whole_year_is_compared_with_the_whole_year_before():
    records = pd.DataFrame({
        "academic_year": ["2023/24"] * 2 + ["2024/25"] * 2,
        "term": ["Autumn", "Spring", "Autumn", "Spring"],
        "staff_role": ["Teachers"] * 4,
        "staff_hours": [40.0, 60.0, 50.0, 70.0]})
    assert impact.staff_hours(records).evidence == (
        "Staff spent 120 hours on joint CPD and collaboration in 2024/25, across 1 role "
        "(100 hours in 2023/24).")
