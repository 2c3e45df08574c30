"""The event-study chart and the cohorts chart, from estimates shaped like
`Estimate.as_dict()`: the interval band, the joining line, gaps at years with no tests, the
base year, titles from the interval, and the strength-of-evidence badge."""

from __future__ import annotations

import pytest

from impact.charts import badge, estimates, event_study
from impact.charts.base import word_count


def _point(t, estimate, low=None, high=None, schools=4, reference=False, bridged=False):
    return {"event_time": t, "estimate": estimate, "low": low, "high": high, "se": None,
            "schools": schools, "cohorts": [2018], "reference": reference,
            "bridged": bridged}


def _estimate(effect=6.0, low=1.0, high=11.0, points=None, comparison="similar",
              first="2018/19", **extra):
    points = points if points is not None else [
        _point(-3, -1.0, -6.0, 4.0), _point(-2, 0.5, -4.0, 5.0),
        _point(-1, 0.0, reference=True), _point(0, 3.0, -2.0, 8.0),
        # 2019/20 and 2020/21 (event times 1 and 2) had no tests
        _point(3, 7.0, 1.0, 13.0, bridged=True)]
    return {"partnership": "Oak Trust", "cohort": "Cohort 2", "measure": "ks2_rwm_exp",
            "comparison": comparison, "comparison_label": "similar schools",
            "effect": effect, "low": low, "high": high, "event_study": points,
            "cohorts": [{"first_treated_year": first, "base_year": "2017/18", "schools": 4,
                         "bridges_break": True}],
            "evidence": {"padlocks": 2, "out_of": 5, "label": "Weak evidence",
                         "explanation": "2 of 5: only 4 schools"},
            "joining_schools": [{}] * 4, "sentence": "Reading rose.", **extra}


def _chart(**kw):
    return event_study.event_study_chart(_estimate(**kw), subject_phrase="the 4 schools")


def _line(chart):
    return next(t for t in chart.figure.data if t.name == "Difference")


def test_points_sit_at_years_since_joining_with_gaps_where_there_were_no_tests():
    chart = _chart()
    line = _line(chart)
    assert list(line.x) == [-3, -2, -1, 0, 1, 2, 3]
    assert list(line.y) == [-1.0, 0.5, 0.0, 3.0, None, None, 7.0]
    assert line.connectgaps is False
    gaps = [s for s in chart.figure.layout.shapes if s.type == "rect"]
    assert sorted((s.x0, s.x1) for s in gaps) == [(0.5, 1.5), (1.5, 2.5)]
    assert [a.text for a in chart.figure.layout.annotations].count("No tests") == 2
    rows = chart.table.set_index("Years since joining")
    assert rows.loc[1, "Difference (points)"] == "x"
    assert rows.loc[1, "Academic years"] == "2019/20"
    assert "COVID" in rows.loc[2, "Notes"]


def test_the_interval_is_a_band_broken_at_the_base_year_and_at_gaps():
    chart = _chart()
    bands = [t for t in chart.figure.data if t.fill == "toself"]
    # -3..-2 (before the base year), 0 on its own, 3 on its own
    spans = sorted((min(b.x), max(b.x)) for b in bands)
    assert spans == [(-3, -2), pytest.approx((-0.12, 0.12)), pytest.approx((2.88, 3.12))]
    first = next(b for b in bands if min(b.x) == -3)
    assert max(first.y) == 5.0 and min(first.y) == -6.0
    assert all(b.line.width == 0 for b in bands)
    assert sum(bool(b.showlegend) for b in bands) == 1, "one legend entry for the band"


def test_the_joining_line_sits_where_the_schools_joined_before_year_0():
    chart = _chart()
    lines = [s for s in chart.figure.layout.shapes if s.type == "line"]
    joining = [s for s in lines if s.x0 == s.x1]
    assert len(joining) == 1
    assert joining[0].x0 == event_study.JOINING_X == -0.5, \
        "between the last year before (-1) and the first year in (0)"
    assert any(a.text == "Joined" for a in chart.figure.layout.annotations)
    zero = [s for s in lines if s.y0 == s.y1 == 0]
    assert zero, "the comparison's change is drawn at 0"
    assert any("Same change as" in (a.text or "") for a in chart.figure.layout.annotations)


def test_the_base_year_is_hollow_and_bridged_points_are_marked():
    chart = _chart()
    symbols = list(_line(chart).marker.symbol)
    assert symbols[2] == "circle-open"          # the base year, 0 by design
    assert symbols[6] == "diamond-open"         # crosses the 2020-21 break
    assert symbols[3] == "circle"
    assert any("base year" in n for n in chart.notes)
    assert any("not directly comparable" in n for n in chart.notes)
    assert "0 by design" in chart.table.set_index("Years since joining").loc[-1, "Notes"]


def test_without_a_base_year_point_there_is_no_hollow_dot_note():
    points = [_point(-2, 1.0, -3.0, 5.0), _point(-1, -1.0, -5.0, 3.0),
              _point(0, 4.0, 0.5, 7.5), _point(1, 5.0, 1.0, 9.0)]
    chart = event_study.event_study_chart(_estimate(points=points, first="2022/23"),
                                          subject_phrase="x")
    assert not any("base year" in n for n in chart.notes)
    assert list(_line(chart).y) == [1.0, -1.0, 4.0, 5.0]
    bands = [t for t in chart.figure.data if t.fill == "toself"]
    assert len(bands) == 1 and (min(bands[0].x), max(bands[0].x)) == (-2, 1)


@pytest.mark.parametrize(("low", "high", "words"), [
    (1.0, 11.0, "rose more than similar schools"),
    (-11.0, -1.0, "fell behind similar schools"),
    (-2.0, 9.0, "no clear difference from similar schools"),
])
def test_the_title_follows_the_interval_not_the_point_estimate(low, high, words):
    chart = _chart(effect=(low + high) / 2, low=low, high=high)
    assert words in chart.title
    assert word_count(chart.title) <= 10


def test_no_estimate_says_so():
    chart = event_study.event_study_chart(_estimate(effect=None, low=None, high=None,
                                                    points=[]), subject_phrase="x")
    assert "not enough data" in chart.title.lower()
    assert chart.table.empty


def test_the_sentence_names_the_comparison_and_the_band():
    chart = _chart()
    assert "similar schools" in chart.what_it_shows
    assert "likely range" in chart.what_it_shows
    assert chart.csv_bytes().startswith(b"\xef\xbb\xbfYears since joining")


# --- every cohort against its comparison ------------------------------------------------------

def _cohort(name, effect, low, high, padlocks=1, partnership="Oak Trust"):
    e = _estimate(effect=effect, low=low, high=high)
    e.update(cohort=name, partnership=partnership,
             evidence={"padlocks": padlocks, "out_of": 5, "label": "x", "explanation": ""},
             effect_size={"value": 0.1, "low": 0.0, "high": 0.2, "months": 1,
                          "months_low": 0, "months_high": 3})
    return e


def test_cohorts_keep_their_order_and_say_in_words_what_each_bar_shows():
    rows = [_cohort("Cohort 1", -1.0, -8.0, 6.0), _cohort("Cohort 2", 9.0, 2.0, 16.0, 3),
            _cohort("Cohort 3", -9.0, -15.0, -3.0)]
    rows.append({**_cohort("Cohort 4", 0, 0, 0), "effect": None, "low": None, "high": None})
    chart = estimates.cohorts_chart(rows, comparison="similar", where="Oak Trust")
    dots = chart.figure.data[0]
    assert list(dots.y) == ["Cohort 1", "Cohort 2", "Cohort 3", "Cohort 4"], "not ranked"
    assert list(dots.x) == [-1.0, 9.0, -9.0, None]
    assert list(dots.error_x.array) == [7.0, 7.0, 6.0, None]
    assert list(chart.table["What it shows"]) == [
        estimates.UNCLEAR, estimates.HIGHER, estimates.LOWER, estimates.NO_DATA]
    words = [a.text for a in chart.figure.layout.annotations]
    assert any("Clearly rose more" in w and "evidence 3 of 5" in w for w in words)
    # the full finding has 12 words, so the title keeps its first part (10 or fewer)
    assert chart.title == "1 of 3 cohorts rose more than similar schools"


def test_cohorts_from_several_partnerships_are_named_with_their_partnership():
    rows = [_cohort("All schools", 1.0, -3.0, 5.0, partnership="Oak Trust"),
            _cohort("All schools", 2.0, -3.0, 7.0, partnership="Ash Cluster")]
    chart = estimates.cohorts_chart(rows, comparison="not_yet_joined", where="every partnership")
    assert list(chart.table["Cohort"]) == ["Oak Trust: All schools", "Ash Cluster: All schools"]
    assert chart.title == "No cohort clearly different from schools not yet joined"


# --- the badge --------------------------------------------------------------------------------

@pytest.mark.parametrize(("padlocks", "row", "colour"), [
    (0, "○○○○○", "gray"), (1, "🔒○○○○", "gray"), (2, "🔒🔒○○○", "violet"),
    (3, "🔒🔒🔒○○", "blue")])
def test_the_badge_reads_in_words_and_numbers_not_colour(padlocks, row, colour):
    shown = badge.evidence_badge({"padlocks": padlocks, "out_of": 5,
                                  "label": "Weak evidence", "explanation": "only 4 schools"})
    assert shown.text == f"{padlocks} of 5: Weak evidence"
    assert shown.padlock_row == row
    assert shown.colour == colour
    assert shown.explanation == "only 4 schools"
