"""The event-study chart and the cohorts chart, from typed estimates (`Estimate`): the
interval band, the joining line, gaps at years with no tests, the base year, titles that are
the estimate's own words, and the strength-of-evidence badge."""

from __future__ import annotations

import pytest

from impact.analysis import wording
from impact.analysis.evidence import Evidence
from impact.charts import badge, estimates, event_study
from impact.charts.base import word_count
from impact.domain import verdicts
from tests.factories import event_point, made_estimate


def _point(t, estimate, low=None, high=None, schools=4, reference=False, bridged=False):
    return event_point(t, estimate, low, high, schools, reference, bridged)


def _estimate(effect=6.0, low=1.0, high=11.0, points=None, comparison="similar",
              first="2018/19", **extra):
    return made_estimate(effect, low, high, points=points, comparison=comparison,
                         first=first, **extra)


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
    # two gap years side by side are named once, so the words never overprint each other
    assert [a.text for a in chart.figure.layout.annotations].count("No tests") == 1
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
    # named in the legend beneath, not in a right margin a phone has no room for
    assert any("Same change as" in (t.name or "") for t in chart.figure.data)


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
    (1.0, 11.0, "RWM expected rose 6 points more than similar schools"),
    (-11.0, -1.0, "RWM expected fell 6 points behind similar schools"),
    (-2.0, 9.0, "no clear difference from similar schools"),
])
def test_the_title_follows_the_interval_not_the_point_estimate(low, high, words):
    effect = (low + high) / 2
    e = _estimate(effect=effect, low=low, high=high)
    chart = event_study.event_study_chart(e, subject_phrase="the 4 schools")
    assert words in chart.title
    assert chart.title == e.words.title, "the chart's title is the estimate's own"
    assert word_count(chart.title) <= 10


def test_a_flagged_check_makes_the_title_say_so():
    e = _estimate(check_status=verdicts.CHECK_FLAGGED)
    assert e.verdict == verdicts.COMPARISON_IN_DOUBT
    chart = event_study.event_study_chart(e, subject_phrase="x")
    assert "in doubt" in chart.title and "more than" not in chart.title


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

def _cohort(name, effect, low, high, padlocks=1, partnership="Oak Trust", **extra):
    return _estimate(effect=effect, low=low, high=high, cohort=name, partnership=partnership,
                     padlocks=padlocks, **extra)


def test_cohorts_keep_their_order_and_say_in_words_what_each_bar_shows():
    rows = [_cohort("Cohort 1", -1.0, -8.0, 6.0), _cohort("Cohort 2", 9.0, 2.0, 16.0, 3),
            _cohort("Cohort 3", -9.0, -15.0, -3.0), _cohort("Cohort 4", None, None, None),
            _cohort("Cohort 5", 5.0, 1.0, 9.0, check_status=verdicts.CHECK_FLAGGED)]
    chart = estimates.cohorts_chart(rows, title=wording.cohorts_title(rows, "similar"),
                                    comparison="similar", where="Oak Trust")
    dots = chart.figure.data[0]
    assert list(dots.y) == ["Cohort 1", "Cohort 2", "Cohort 3", "Cohort 4", "Cohort 5"], \
        "not ranked"
    assert list(dots.x) == [-1.0, 9.0, -9.0, None, 5.0]
    assert list(dots.error_x.array) == [7.0, 7.0, 6.0, None, 4.0]
    assert list(chart.table["What it shows"]) == [
        verdicts.NO_CLEAR_DIFFERENCE, verdicts.ROSE_MORE, verdicts.FELL_BEHIND,
        verdicts.NOT_ENOUGH_DATA, verdicts.COMPARISON_IN_DOUBT]
    assert list(chart.table["In words"]) == [e.words.headline for e in rows]
    assert chart.table["Months' progress"].tolist()[4] == "", "no months while in doubt"
    words = [a.text for a in chart.figure.layout.annotations]
    assert any("Clearly rose more" in w and "evidence 3 of 5" in w for w in words)
    assert any("Comparison in doubt" in w for w in words)
    # the full finding has 11 words, so the title keeps both halves in fewer words, and
    # never drops the cohort that fell behind
    assert chart.title == "Against similar schools: 1 rose more, 1 fell behind"
    assert wording.cohorts_title(rows[2:3], "similar") == \
        "1 of 1 cohorts fell behind similar schools", "the comparison is named"


def test_a_cohort_too_uncertain_to_say_is_listed_not_drawn():
    rows = [_cohort("Cohort 1", 20.0, -42.0, 58.0, too_uncertain=True),
            _cohort("Cohort 2", 1.0, -3.0, 5.0)]
    chart = estimates.cohorts_chart(rows, title=wording.cohorts_title(rows, "similar"),
                                    comparison="similar", where="Oak Trust")
    assert list(chart.figure.data[0].x) == [None, 1.0]
    assert chart.table["What it shows"].tolist()[0] == verdicts.TOO_UNCERTAIN
    assert chart.table["Likely range"].tolist()[0] == ""
    assert any("too uncertain" in n for n in chart.notes)


def test_cohorts_from_several_partnerships_are_named_with_their_partnership():
    rows = [_cohort("All schools", 1.0, -3.0, 5.0, partnership="Oak Trust"),
            _cohort("All schools", 2.0, -3.0, 7.0, partnership="Ash Cluster")]
    chart = estimates.cohorts_chart(rows, title=wording.cohorts_title(rows, "not_yet_joined"),
                                    comparison="not_yet_joined", where="every partnership")
    assert list(chart.table["Cohort"]) == ["Oak Trust: All schools", "Ash Cluster: All schools"]
    assert chart.title == "No cohort clearly different from schools not yet joined"


# --- the badge --------------------------------------------------------------------------------

@pytest.mark.parametrize(("padlocks", "row", "colour"), [
    (0, "○○○○○", "gray"), (1, "🔒○○○○", "gray"), (2, "🔒🔒○○○", "violet"),
    (3, "🔒🔒🔒○○", "blue")])
def test_the_badge_reads_in_words_and_numbers_not_colour(padlocks, row, colour):
    shown = badge.evidence_badge(Evidence(padlocks, "Weak evidence", "only 4 schools", ()))
    assert shown.text == f"{padlocks} of 5: Weak evidence"
    assert shown.padlock_row == row
    assert shown.colour == colour
    assert shown.explanation == "only 4 schools"
