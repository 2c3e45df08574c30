"""An improvement project's host lined up on the project's start, on a store built with the
answer known (tests/project_store.py): event time in terms, the partners as comparison (each
left out once its own project began), the change worked out on whole years with its t
interval, the pre-trend check, small numbers hidden, and too little data said plainly."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from scipy import stats

from impact.analysis import wording
from impact.analysis.data import UnknownName
from impact.analysis.projects import first_term_after, project_line
from impact.charts.project import project_chart
from tests import project_store as built


@pytest.fixture
def line(store):
    built.build(store)
    return project_line(store, built.HOST, built.PROJECT)


def test_term_zero_is_the_first_term_that_begins_after_the_start():
    assert first_term_after(dt.date(2022, 10, 3)) == ("2022/23", "Spring")
    assert first_term_after(dt.date(2022, 9, 1)) == ("2022/23", "Autumn")
    assert first_term_after(dt.date(2023, 1, 9)) == ("2022/23", "Summer")
    assert first_term_after(dt.date(2023, 4, 1)) == ("2022/23", "Summer")
    assert first_term_after(dt.date(2023, 4, 2)) == ("2023/24", "Autumn")


def test_the_host_is_lined_up_against_its_partners(line):
    assert (line.unit, line.first_after, line.measure) == ("term", "Spring 2022/23",
                                                           "ta_writing")
    by_period = {p.period: p for p in line.points}
    assert by_period["Autumn 2022/23"].event_time == -1
    assert by_period["Spring 2022/23"].event_time == 0
    assert by_period["Summer 2023/24"].event_time == 4
    assert by_period["Autumn 2019/20"].event_time == -10
    spring = by_period["Spring 2022/23"]
    assert (spring.host, spring.comparison, spring.gap) == (63, 60, 3)
    assert spring.comparison_schools == 3 and spring.comparison_pupils == 90
    # the partner whose own project began in September 2023 is left out from then on
    later = by_period["Autumn 2023/24"]
    assert (later.comparison, later.comparison_schools) == (60, 2)
    # the host's figure carries its Wilson interval; the gap an interval from both
    assert later.host_low < later.host < later.host_high
    assert later.gap_low < later.gap < later.gap_high
    assert line.comparison_label == "its partner schools"


def test_small_numbers_are_hidden_and_left_out(line):
    hidden = next(p for p in line.points if p.period == "Autumn 2019/20")
    assert hidden.host is None and hidden.host_display == "c" and hidden.gap is None
    assert any("5 pupils or fewer" in n for n in line.notes)


def test_the_change_is_worked_out_on_whole_years_with_a_t_interval(line):
    before, after = [-10.0, -9.0, -11.0], [2.0]  # 2022/23 has terms on both sides: left out
    assert (line.years_before, line.years_after) == (3, 1)
    assert line.change == pytest.approx(sum(after) / 1 - sum(before) / 3)  # +12
    pooled = sum((g + 10) ** 2 for g in before) / (3 + 1 - 2)
    spread = stats.t.ppf(0.975, 2) * math.sqrt(pooled * (1 / 3 + 1 / 1))
    assert (line.low, line.high) == (pytest.approx(12 - spread), pytest.approx(12 + spread))
    assert line.clear and line.status == "ok"
    assert line.sentence.startswith("School 100001's gap to its partner schools in On track: "
                                    "writing % changed by +12 percentage points")
    assert "one school's figures cannot show the project caused it" in line.sentence
    assert "One school, not randomised" in line.caveat


def test_the_pre_trend_is_checked_on_the_years_before(line):
    pre = line.pre_trend
    assert pre.testable and pre.periods == 3
    assert pre.slope == pytest.approx(-0.5)
    assert pre.flagged is False
    assert "no clear trend over the 3 years before the project" in line.caveat


def test_too_little_before_the_project_is_said_plainly(store):
    built.build(store)
    early = project_line(store, built.HOST, "Too early to tell")
    assert early.status == "not_enough_data" and early.change is None
    assert early.first_after == "Summer 2019/20"
    assert "needs at least 2 years of results before the project" in early.reason
    assert early.sentence.startswith("Not enough results yet to line up")
    chart = project_chart(early, title=wording.project_title(early))
    assert chart.title == "School 100001: too few results yet to judge the project"


def test_a_yearly_measure_uses_the_cohorts_census_rule(store):
    built.build(store)
    from tests.factories import load
    from tests.pages.helpers import rwm_frame

    load(store, "attainment", rwm_frame(
        {y: {built.HOST: 50.0 + (y - 2016), **{p: 60.0 for p in built.PARTNERS}}
         for y in (2016, 2017, 2018, 2021, 2022, 2023)},
        sizes={built.HOST: 30, **{p: 30 for p in built.PARTNERS}}))
    yearly = project_line(store, built.HOST, built.PROJECT, "ks2_rwm_exp")
    assert yearly.unit == "year" and yearly.first_after == "2023/24"
    assert {p.period: p.event_time for p in yearly.points}["2022/23"] == -1


def test_the_chart_says_what_the_line_says(line):
    chart = project_chart(line, title=wording.project_title(line))
    assert len(chart.title.split()) <= 10
    assert line.clear and line.change > 0 and not line.pre_trend.flagged
    assert chart.title == "On track: writing % rose against partners since the project"
    assert chart.what_it_shows == line.sentence
    host, comparison = chart.figure.data[0], chart.figure.data[1]
    shown = [p for p in line.points if -6 <= p.event_time < 6]
    assert list(host.x) == [p.event_time for p in shown]
    assert list(host.y) == [p.host for p in shown]
    assert list(comparison.y) == [p.comparison for p in shown]
    assert chart.table["Gap"].tolist()[-3:] == ["+2.0", "+4.0", "0.0"]
    assert chart.notes[0] == line.caveat


def test_an_unknown_project_is_named(store):
    built.build(store)
    with pytest.raises(UnknownName, match="no improvement project called 'Nope'"):
        project_line(store, built.HOST, "Nope")
