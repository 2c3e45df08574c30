"""Series breaks: explicit gaps for missing years, no line across non-comparable years."""

import math

import pandas as pd

from impact.analysis.series import NO_FIGURE, insert_gaps


def yearly(years, values):
    return pd.DataFrame({"academic_year": years, "value": values})


def test_covid_years_become_gap_rows_and_the_break_is_marked():
    out = insert_gaps(yearly(["2017/18", "2018/19", "2021/22", "2022/23"], [60, 62, 58, 59]),
                      "ks2_rwm_exp")
    assert out["academic_year"].tolist() == ["2017/18", "2018/19", "2019/20", "2020/21",
                                             "2021/22", "2022/23"]
    assert out["gap"].tolist() == [False, False, True, True, False, False]
    assert math.isnan(out["value"].iloc[2])
    assert "2019/20" in out["gap_reason"].iloc[2] and "COVID" in out["gap_reason"].iloc[2]
    assert "not comparable" in out["break_before"].iloc[4]
    assert out["connect"].tolist() == [False, True, False, False, False, True]


def test_a_year_without_a_figure_is_a_gap_with_its_own_reason():
    out = insert_gaps(yearly(["2015/16", "2017/18"], [50, 52]), "ks2_rwm_exp")
    assert out["gap_reason"].tolist() == [None, NO_FIGURE, None]
    assert out["connect"].tolist() == [False, False, False]


def test_a_missing_value_in_an_existing_row_is_a_gap_too():
    out = insert_gaps(yearly(["2015/16", "2016/17", "2017/18"], [50, None, 52]),
                      "phonics_y1")
    assert out["gap"].tolist() == [False, True, False]
    assert out["connect"].tolist() == [False, False, False]


def test_progress_scores_have_their_own_missing_years():
    out = insert_gaps(yearly(["2022/23", "2025/26"], [0.1, 0.3]), "ks2_read_progress")
    reasons = out["gap_reason"].tolist()
    assert "no KS2 progress scores" in reasons[1] and "no KS2 progress scores" in reasons[2]


def test_termly_teacher_assessment_steps_by_term():
    frame = pd.DataFrame({"academic_year": ["2019/20", "2019/20", "2020/21"],
                          "term": ["Autumn", "Spring", "Autumn"], "value": [70, 72, 69]})
    out = insert_gaps(frame, "ta_reading")
    assert list(zip(out["academic_year"], out["term"], strict=True)) == [
        ("2019/20", "Autumn"), ("2019/20", "Spring"), ("2019/20", "Summer"),
        ("2020/21", "Autumn")]
    assert out["gap"].tolist() == [False, False, True, False]
    assert out["break_before"].isna().all()  # teacher assessment has no statutory break


def test_each_line_gets_its_own_gaps():
    frame = pd.DataFrame({"line": ["A", "A", "B", "B", "B"],
                          "academic_year": ["2017/18", "2021/22", "2016/17", "2017/18",
                                            "2018/19"],
                          "value": [1, 2, 3, 4, 5]})
    out = insert_gaps(frame, "ks2_rwm_exp", by=["line"])
    assert out[out["line"] == "A"]["academic_year"].tolist() == [
        "2017/18", "2018/19", "2019/20", "2020/21", "2021/22"]
    assert out[out["line"] == "B"]["gap"].sum() == 0
