"""The small-numbers rules: hidden as c (never 0), low reliability not ranked, governor views,
secondary suppression, missing-value symbols."""

import math

import pandas as pd
import pytest

from impact.analysis.suppression import (
    HIDDEN,
    LOW,
    MISSING,
    OK,
    UNKNOWN,
    apply_suppression,
    display,
    group_analysis_allowed,
    rankable,
    reliability,
    suppress_pupil_groups,
    suppress_with_total,
)


@pytest.mark.parametrize("size, expected", [
    (0, HIDDEN), (1, HIDDEN), (5, HIDDEN), (6, LOW), (10, LOW), (11, OK), (300, OK),
    (None, UNKNOWN), (float("nan"), UNKNOWN)])
def test_reliability_bands(size, expected):
    assert reliability(size) == expected


def test_only_eleven_or_more_are_ranked():
    assert not rankable(6)
    assert not rankable(10)
    assert rankable(11)
    assert not rankable(None)


def test_a_hidden_figure_shows_c_never_zero():
    assert display(0.0, 5) == "c"
    assert display(40.0, 3) == "c"
    assert display(None, 4, "x") == "c"
    assert display(0.0, 20, suffix="%") == "0%"  # a real zero from 20 pupils is shown


@pytest.mark.parametrize("note, symbol", [
    ("c", "c"), ("SUPP", "c"), ("x", "x"), ("NP", "x"), ("NE", "z"), ("z", "z"),
    ("low", "low"), (None, "x")])
def test_missing_values_show_their_gss_symbol(note, symbol):
    assert display(None, 30, note) == symbol


def frame():
    return pd.DataFrame({"school": ["A", "B", "C", "D", "E"],
                         "cohort_size": [4, 8, 30, 25, None],
                         "value": [0.0, 62.5, 60.0, None, 55.0],
                         "value_note": [None, None, None, "NE", None]})


def test_apply_suppression_marks_every_row():
    out = apply_suppression(frame(), suffix="%")
    assert out["display"].tolist() == ["c", "62% u", "60%", "z", "55%"]
    assert out["reliability"].tolist() == [HIDDEN, LOW, OK, MISSING, UNKNOWN]
    assert out["rankable"].tolist() == [False, False, True, False, False]
    assert math.isnan(out["shown"].iloc[0])   # hidden: nothing to draw, not 0
    assert out["shown"].iloc[2] == 60.0
    assert out["suppressed"].tolist() == ["primary", None, None, None, None]


def groups(boys=4, girls=26, pp=12, not_pp=18):
    rows = [("all", boys + girls, 60.0), ("boys", boys, 50.0), ("girls", girls, 61.5),
            ("disadvantaged", pp, 50.0), ("not_disadvantaged", not_pp, 66.7),
            ("send", 3, 33.3)]
    return pd.DataFrame([{"urn": 1, "academic_year": "2023/24", "pupil_group": g,
                          "cohort_size": n, "value": v, "value_note": None}
                         for g, n, v in rows])


def test_a_hidden_boys_figure_hides_the_girls_figure_too():
    out = suppress_pupil_groups(groups(), ["urn", "academic_year"]).set_index("pupil_group")
    assert out.loc["boys", "display"] == "c"
    assert out.loc["girls", "display"] == "c"          # all − girls would give boys away
    assert out.loc["girls", "suppressed"] == "secondary"
    assert out.loc["all", "display"] == "60"
    assert out.loc["disadvantaged", "display"] == "50"  # 12 and 18: nothing hidden there
    assert out.loc["send", "display"] == "c"            # no complement: no second cell hidden


def test_no_secondary_suppression_when_nothing_is_hidden():
    out = suppress_pupil_groups(groups(boys=14, girls=16), ["urn", "academic_year"])
    assert (out["suppressed"] == "secondary").sum() == 0


def test_no_secondary_suppression_when_the_total_is_hidden_too():
    out = suppress_pupil_groups(groups(boys=2, girls=3, pp=2, not_pp=3),
                                ["urn", "academic_year"])
    assert (out["suppressed"] == "secondary").sum() == 0
    assert set(out["display"]) == {"c"}


def test_a_cohort_total_cannot_give_away_its_one_hidden_school():
    schools = pd.DataFrame({"name": ["A", "B", "C", "Cohort"],
                            "cohort_size": [5, 25, 40, 70],
                            "value": [40.0, 60.0, 70.0, 64.3],
                            "value_note": [None] * 4})
    out = suppress_with_total(schools, schools["name"] == "Cohort")
    assert out["display"].tolist() == ["c", "c", "70", "64"]
    assert out["suppressed"].tolist() == ["primary", "secondary", None, None]


def test_secondary_suppression_is_per_year():
    rows = pd.DataFrame({"year": ["2022/23"] * 3 + ["2023/24"] * 3,
                         "name": ["A", "B", "Total"] * 2,
                         "cohort_size": [3, 20, 23, 12, 20, 32],
                         "value": [33.3, 50.0, 47.8, 50.0, 55.0, 53.1],
                         "value_note": [None] * 6})
    out = suppress_with_total(rows, rows["name"] == "Total", within=["year"])
    assert out["display"].tolist() == ["c", "c", "48", "50", "55", "53"]


def test_governor_views_need_eleven_pupils_in_every_figure_of_a_group():
    assert group_analysis_allowed("all", [3, 4], governor_view=True)
    assert group_analysis_allowed("disadvantaged", [11, 30], governor_view=True)
    assert not group_analysis_allowed("disadvantaged", [10, 30], governor_view=True)
    assert not group_analysis_allowed("send", [None, 30], governor_view=True)
    assert group_analysis_allowed("send", [4], governor_view=False)


def test_the_governor_view_hides_every_school_figure_about_fewer_than_eleven_pupils():
    from impact.analysis.suppression import governor_rows

    frame = pd.DataFrame({"value": [40.0, 55.0, 61.0, 70.0], "cohort_size": [5, 8, 11, None],
                          "value_note": [None, None, None, None],
                          "lower": [1.0, 2.0, 3.0, 4.0], "upper": [5.0, 6.0, 7.0, 8.0]})
    shown = governor_rows(frame)
    assert shown["value"].isna().tolist() == [True, True, False, True]
    assert shown["value_note"].tolist() == ["c", "c", None, "c"]  # never 0
    assert shown["lower"].isna().tolist() == [True, True, False, True]
    assert frame["value"].notna().all(), "the caller's frame is left alone"
