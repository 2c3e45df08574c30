"""The trend builder: gaps at series breaks, the GAF palette, hidden small groups, direct
labels, and titles computed from the numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from impact.analysis import wording as words
from impact.charts import palette, trend
from impact.charts.base import word_count
from impact.domain import measures as m


def _rows(values: dict[str, float | None], pupils: int | None = 30, term: str = "Summer",
          note: str | None = None) -> pd.DataFrame:
    return pd.DataFrame([{"academic_year": y, "term": term, "value": v,
                          "value_note": note if v is None else None, "pupils": pupils}
                         for y, v in values.items()])


def _subject(values, **kw) -> trend.Line:
    return trend.Line("Oak Trust", trend.SUBJECT, _rows(values, **kw))


def _england(values) -> trend.Line:
    return trend.Line("England", trend.NATIONAL, _rows(values, pupils=600000))


def _chart(lines, code="ks2_rwm_exp", **kw):
    """The chart as pages make it: the title from the words module, on the analysis's
    finding for these lines against England."""
    kw.setdefault("subject_phrase", "the 3 schools in Oak Trust")
    kw.setdefault("title", words.trend_title(trend.finding(code, lines)))
    return trend.trend_chart(code, lines, **kw)


def _trace(chart, name):
    return [t for t in chart.figure.data if t.name == name][0]


YEARS = {"2017/18": 60.0, "2018/19": 62.0, "2021/22": 58.0, "2022/23": 61.0, "2023/24": 64.0}


def test_years_without_tests_are_gaps_on_the_axis_not_a_line_across():
    chart = _chart([_subject(YEARS), _england({y: v + 1 for y, v in YEARS.items()})])
    oak = _trace(chart, "Oak Trust")
    assert list(oak.x) == ["2017/18", "2018/19", "2019/20", "2020/21", "2021/22", "2022/23",
                           "2023/24"]
    assert list(oak.y) == [60.0, 62.0, None, None, 58.0, 61.0, 64.0]
    assert oak.connectgaps is False
    shaded = [s for s in chart.figure.layout.shapes if s.type == "rect"]
    assert [(s.x0, s.x1) for s in shaded] == [(1.5, 3.5)], "one band over 2019/20–2020/21"
    assert any(a.text == "No tests" for a in chart.figure.layout.annotations)
    assert any("no national tests" in n for n in chart.notes)
    assert any("cannot be compared" in n for n in chart.notes)


def test_a_stray_figure_in_a_year_with_no_tests_is_not_drawn():
    chart = _chart([_subject({"2018/19": 60.0, "2019/20": 99.0, "2021/22": 61.0})])
    assert list(_trace(chart, "Oak Trust").y) == [60.0, None, None, 61.0]
    assert chart.table.loc[1, "Oak Trust"] == "x"
    assert "COVID-19" in chart.table.loc[1, "Notes"]


def test_two_series_are_dark_blue_and_orange_with_different_lines_and_markers():
    chart = _chart([_subject(YEARS), _england(YEARS)])
    oak, england = _trace(chart, "Oak Trust"), _trace(chart, "England")
    assert (oak.line.color, england.line.color) == palette.TWO_SERIES
    assert oak.line.dash != england.line.dash
    assert oak.marker.symbol != england.marker.symbol
    # each line named in the legend beneath (it wraps on a phone), the subject's latest figure
    # beside its last dot
    assert chart.figure.layout.showlegend is True
    assert chart.figure.layout.legend.orientation == "h"
    assert chart.figure.layout.legend.yref == "container"
    assert {t.name for t in chart.figure.data} == {"Oak Trust", "England"}
    assert any(a.text.startswith("<b>") for a in chart.figure.layout.annotations)


def test_each_role_keeps_its_colour_however_many_lines():
    """England is orange with two lines or four; the local authority and a comparison group
    have their own colours, and a second comparison group another."""
    local = trend.Line("Surrey", trend.LOCAL, _rows(YEARS, pupils=9000))
    similar = trend.Line("Similar schools", trend.COMPARISON, _rows(YEARS, pupils=900))
    joined = trend.Line("Not yet joined", trend.COMPARISON, _rows(YEARS, pupils=900))
    chart = _chart([_subject(YEARS), _england(YEARS), local, similar])
    names = ("Oak Trust", "England", "Surrey", "Similar schools")
    colours = [_trace(chart, n).line.color for n in names]
    assert colours == [palette.SUBJECT_COLOUR, palette.ENGLAND_COLOUR, palette.LOCAL_COLOUR,
                       palette.COMPARISON_COLOUR]
    assert palette.ENGLAND_COLOUR == palette.ORANGE
    assert len({_trace(chart, n).line.dash for n in names}) == 4
    two = _chart([_subject(YEARS), _england(YEARS)])
    assert _trace(two, "England").line.color == palette.ENGLAND_COLOUR
    groups = _chart([_subject(YEARS), similar, joined])
    assert _trace(groups, "Similar schools").line.color == palette.COMPARISON_COLOUR
    assert _trace(groups, "Not yet joined").line.color not in (
        palette.SUBJECT_COLOUR, palette.ENGLAND_COLOUR, palette.COMPARISON_COLOUR)


def test_a_group_of_five_or_fewer_is_a_gap_and_c_never_zero():
    lines = [trend.Line("Oak Trust", trend.SUBJECT, pd.DataFrame([
        {"academic_year": "2021/22", "term": "Summer", "value": 0.0, "value_note": None,
         "pupils": 5},
        {"academic_year": "2022/23", "term": "Summer", "value": 50.0, "value_note": None,
         "pupils": 8},
        {"academic_year": "2023/24", "term": "Summer", "value": None, "value_note": "c",
         "pupils": 3}]))]
    chart = _chart(lines)
    assert list(_trace(chart, "Oak Trust").y) == [None, 50.0, None]
    assert chart.table["Oak Trust"].tolist() == ["c", "50% u", "c"]
    assert "Few pupils" in chart.table.loc[1, "Notes"]
    assert any("5 pupils or fewer" in n for n in chart.notes)
    assert any("6 to 10 pupils" in n for n in chart.notes)
    # the point on 8 pupils is drawn open, and no title rests on it
    assert list(_trace(chart, "Oak Trust").marker.symbol)[1] == "circle-open"
    assert "50" not in chart.title and "too few pupils" in chart.title


def test_a_partial_period_is_drawn_but_never_the_title():
    """One school's early termly return is not 'the 7 schools fell 30 points'."""
    rows = [{"academic_year": "2023/24", "term": t, "value": v, "value_note": None,
             "pupils": p, "schools": s, "expected": 7, "complete": s == 7}
            for t, v, p, s in (("Autumn", 70.0, 300, 7), ("Spring", 72.0, 300, 7),
                               ("Summer", 74.0, 300, 7))]
    rows.append({"academic_year": "2024/25", "term": "Autumn", "value": 44.0,
                 "value_note": None, "pupils": 40, "schools": 1, "expected": 7,
                 "complete": False})
    chart = _chart([trend.Line("Oak", trend.SUBJECT, pd.DataFrame(rows))], code="ta_reading",
                   subject_phrase="the 7 schools in Oak", weighted=True)
    assert chart.title == "On track: reading rose 4 points to Summer 2023/24"
    assert "fell" not in chart.title
    table = chart.table.set_index("Term")
    assert table.loc["Autumn 2024/25", "Schools"] == "1 of 7"
    assert table.loc["Summer 2023/24", "Schools"] == "7 of 7"
    assert "schools so far" in table.loc["Autumn 2024/25", "Notes"]
    assert list(_trace(chart, "Oak").marker.symbol)[-1] == "circle-open"
    assert any("not every school has sent" in n for n in chart.notes)


def test_a_title_that_is_not_a_finding_says_what_the_chart_shows():
    chart = _chart([_subject(YEARS), _england(YEARS)], subject_phrase="x",
                   title=words.trend_description("ks2_rwm_exp", "England"))
    assert chart.title == "RWM expected each year, beside England"


def test_missing_values_show_their_symbol():
    chart = _chart([_subject({"2022/23": None, "2023/24": 61.0}, note="x")])
    assert chart.table["Oak Trust"].tolist() == ["x", "61%"]


def test_percentages_start_at_zero_and_progress_scores_show_their_zero_line():
    percent = _chart([_subject(YEARS)])
    # from 0 to just past 100%, so a point at 100 is whole and "100%" is labelled
    assert tuple(percent.figure.layout.yaxis.range) == (0, palette.PERCENT_TOP) > (0, 100)
    assert percent.figure.layout.yaxis.ticksuffix == "%"
    progress = _chart([_subject({"2021/22": -0.4, "2022/23": 0.3})], code="ks2_mat_progress")
    assert progress.figure.layout.yaxis.zeroline is True
    assert progress.table["Oak Trust"].tolist() == ["−0.40", "+0.30"]


@pytest.mark.parametrize(("subject", "england", "title"), [
    ({"2021/22": 58.0, "2023/24": 64.0}, {"2021/22": 59.0, "2023/24": 61.0},
     "RWM expected rose 6 points since 2021/22; England rose 2"),
    ({"2021/22": 58.0, "2023/24": 61.0}, {"2021/22": 59.0, "2023/24": 61.5},
     "RWM expected rose 3 points since 2021/22, like England"),
    ({"2021/22": 64.0, "2023/24": 60.0}, {"2021/22": 59.0, "2023/24": 61.0},
     "RWM expected fell 4 points since 2021/22; England rose 2"),
    ({"2021/22": 60.2, "2023/24": 60.0}, {"2021/22": 59.0, "2023/24": 59.0},
     "RWM expected held steady since 2021/22, like England"),
    ({"2023/24": 64.0}, {"2023/24": 61.0}, "RWM expected 3 points above England in 2023/24"),
    ({"2023/24": 59.0}, {"2023/24": 61.0}, "RWM expected 2 points below England in 2023/24"),
    ({"2023/24": 61.2}, {}, "RWM expected was 61% in 2023/24"),
])
def test_the_title_states_the_finding_from_the_numbers(subject, england, title):
    lines = [_subject(subject)] + ([_england(england)] if england else [])
    assert _chart(lines).title == title


def test_the_title_never_compares_across_a_series_break():
    chart = _chart([_subject({"2017/18": 40.0, "2018/19": 42.0, "2022/23": 60.0}),
                    _england({"2017/18": 61.0, "2022/23": 60.0})])
    assert chart.title == "RWM expected level with England in 2022/23"


@pytest.mark.parametrize("code", [x.code for x in m.MEASURES])
def test_titles_are_ten_words_or_fewer_for_every_measure(code):
    measure = m.measure(code)
    term = "Summer" if measure.statutory else "Autumn"
    low = measure.minimum + (measure.maximum - measure.minimum) * 0.3
    values = {"2022/23": low, "2023/24": low + 1.5}
    subject = trend.Line("A Long Partnership Name Trust", trend.SUBJECT,
                         _rows(values, term=term))
    national = trend.Line("England", trend.NATIONAL, _rows({y: v - 2.2 for y, v in values.items()},
                                                           term=term))
    chart = _chart([subject, national], code=code, subject_phrase="the schools")
    assert word_count(chart.title) <= 10, chart.title
    assert chart.what_it_shows.endswith(".") and ". " not in chart.what_it_shows, \
        "one sentence"


def test_termly_measures_put_every_term_on_the_axis():
    rows = pd.DataFrame([
        {"academic_year": "2023/24", "term": "Autumn", "value": 60.0, "value_note": None,
         "pupils": 30},
        {"academic_year": "2023/24", "term": "Summer", "value": 66.0, "value_note": None,
         "pupils": 30}])
    chart = _chart([trend.Line("Oak", trend.SUBJECT, rows)], code="ta_reading",
                   subject_phrase="Oak")
    assert list(chart.figure.data[0].x) == ["Autumn 2023/24", "Spring 2023/24",
                                            "Summer 2023/24"]
    assert list(chart.figure.data[0].y) == [60.0, None, 66.0]
    assert chart.table["Term"].tolist() == ["Autumn 2023/24", "Spring 2023/24", "Summer 2023/24"]
    assert "in one term" in chart.what_it_shows


def test_the_sentence_names_each_line_by_its_style():
    local = trend.Line("Surrey", trend.LOCAL, _rows(YEARS))
    chart = _chart([_subject(YEARS), _england(YEARS), local], group="disadvantaged")
    assert chart.what_it_shows == (
        "For disadvantaged pupils, each dot shows how many Year 6 pupils in every 100 reached "
        "the expected standard in reading, writing and maths in one year: the solid line is the "
        "3 schools in Oak Trust, the dashed line is all of England and the dotted line is all "
        "schools in Surrey.")


def test_the_table_is_the_plotted_data_and_downloads_as_csv():
    chart = _chart([_subject(YEARS), _england(YEARS)], file_name="oak.csv")
    assert list(chart.table.columns) == ["Year", "Oak Trust", "Pupils", "England", "Notes"]
    csv = chart.csv_bytes().decode("utf-8-sig").splitlines()
    assert csv[0] == "Year,Oak Trust,Pupils,England,Notes"
    assert csv[1].startswith("2017/18,60%,30,60%,")
    assert chart.file_name == "oak.csv"


def test_lines_come_from_the_analysis_trend_subject_first_with_its_interval(store):
    from impact.analysis import trends
    from tests.factories import attainment_frame, benchmarks_frame, load, schools_frame

    load(store, "schools", schools_frame(4))
    load(store, "attainment", attainment_frame([100001, 100002], range(2016, 2019)))
    load(store, "benchmarks", benchmarks_frame(range(2016, 2019)))
    frame = trends.trend(store, "ks2_rwm_exp", partnership="Test Trust",
                         comparisons=("national", "local_authority"))
    lines = trend.lines_from_trend(frame)
    assert [(ln.name, ln.role) for ln in lines] == [("Test Trust", trend.SUBJECT),
                                                    ("England", trend.NATIONAL)]
    subject = lines[0].data
    assert subject["academic_year"].tolist() == ["2016/17", "2017/18", "2018/19"]
    assert (subject["low"] < subject["value"]).all() and (subject["value"] < subject["high"]).all()
    chart = _chart(lines, subject_phrase="the 2 schools")
    bars = _trace(chart, "Test Trust").error_y
    assert bars.visible is not False and len(bars.array) == 3
    low, high = subject.loc[0, ["low", "high"]]
    assert chart.table.loc[0, "Likely range"] == f"{round(low)}% to {round(high)}%"
    assert any("95%" in n for n in chart.notes)
    assert _trace(chart, "England").error_y.array is None, "bars on the subject's line only"


def test_the_first_line_must_be_the_subject():
    with pytest.raises(ValueError):
        trend.trend_chart("ks2_rwm_exp", [_england(YEARS)], title="x", subject_phrase="x")
