"""Overview: the trend chart plots the store's own weighted means against England, breaks the
line where there were no tests, hides small groups and says its finding in words."""

from __future__ import annotations

import pytest

from impact.charts.palette import TWO_SERIES
from tests.factories import load
from tests.pages.helpers import (
    ENGLAND,
    MEMBERS,
    RWM_VALUES,
    SIZES,
    TRUST,
    england_frame,
    figure,
    open_app,
    rwm_frame,
    sentences,
    table_with,
    texts,
    weighted_mean,
)


def test_the_chart_plots_the_partnerships_weighted_means_and_england(app_store):
    at = open_app()
    spec = figure(at, "overview")
    trust = spec["data"][-1]  # drawn last, on top
    assert trust["name"] == TRUST
    assert trust["x"] == ["2016/17", "2017/18", "2018/19"]
    expected = [weighted_mean(y) for y in sorted(RWM_VALUES)]
    assert trust["y"] == pytest.approx(expected)
    plain = [sum(RWM_VALUES[y][u] for u in MEMBERS) / 3 for y in sorted(RWM_VALUES)]
    assert trust["y"] != pytest.approx(plain), "weighted by pupils, not a plain mean"
    england = [t for t in spec["data"] if t["name"] == "England"][0]
    assert england["y"] == pytest.approx([ENGLAND[y] for y in sorted(ENGLAND)])
    assert {trust["line"]["color"], england["line"]["color"]} == set(TWO_SERIES)
    assert trust["line"]["dash"] != england["line"]["dash"]
    assert trust["marker"]["symbol"] != england["marker"]["symbol"]


def test_the_title_and_sentence_come_from_the_data(app_store):
    at = open_app()
    change = round(weighted_mean(2018) - weighted_mean(2016))
    assert f"RWM expected rose {change} points since 2016/17; England rose 2" in \
        texts(at.subheader)
    sentence = [s for s in sentences(at) if "dot shows" in s][0]
    assert "the 3 schools in Test Trust" in sentence and "all of England" in sentence


def test_the_numbers_are_in_a_table_beneath_with_a_download(app_store):
    at = open_app()
    table = table_with(at, "Year", TRUST, "England")
    assert table["Year"].tolist() == ["2016/17", "2017/18", "2018/19"]
    assert table[TRUST].tolist() == [f"{round(weighted_mean(y))}%" for y in sorted(RWM_VALUES)]
    assert table["Pupils"].tolist() == [str(sum(SIZES.values()))] * 3
    labels = [b.label for b in at.download_button]
    assert labels.count("Download these numbers (CSV)") == len(at.get("plotly_chart")), \
        "every chart has its CSV"


def test_an_upload_changes_the_chart(app_store):
    before = figure(open_app(), "overview")
    with app_store.open() as store:
        load(store, "attainment", rwm_frame({2021: {100001: 90.0, 100002: 90.0, 100003: 90.0}}))
        load(store, "benchmarks", england_frame({2021: 59.0}))
    at = open_app()
    trust = figure(at, "overview")["data"][-1]
    assert trust != before["data"][-1]
    assert trust["x"] == ["2016/17", "2017/18", "2018/19", "2019/20", "2020/21", "2021/22"]
    assert trust["y"][3:5] == [None, None], "no line drawn across the years with no tests"
    assert trust["y"][5] == pytest.approx(90.0)
    # The title compares only within the comparable stretch (2021/22 on): one point, so it
    # compares with England that year.
    assert "RWM expected 31 points above England in 2021/22" in texts(at.subheader)
    notes = " ".join(texts(at.caption))
    assert "no national tests" in notes and "cannot be compared" in notes
    table = table_with(at, "Year", TRUST)
    assert table.loc[table["Year"] == "2019/20", TRUST].item() == "x"


def test_a_group_of_five_pupils_or_fewer_is_hidden_never_zero(app_store):
    with app_store.open() as store:
        load(store, "attainment", rwm_frame({2018: {100001: 0.0}}, sizes={100001: 4},
                                            group="Disadvantaged"))
        load(store, "attainment", rwm_frame({2017: {100001: 50.0}}, sizes={100001: 12},
                                            group="Disadvantaged"))
    at = open_app(query={"group": "disadvantaged"})
    trust = figure(at, "overview")["data"][-1]
    assert trust["x"] == ["2017/18", "2018/19"]
    assert trust["y"] == [pytest.approx(50.0), None]
    table = table_with(at, "Year", TRUST)
    assert table[TRUST].tolist() == ["50%", "c"]
    assert not {"0", "0%"} & set(table[TRUST])
    assert any("hidden because it is about 5 pupils or fewer" in t for t in texts(at.caption))
    sentence = [s for s in sentences(at) if "dot shows" in s][0]
    assert "For disadvantaged pupils" in sentence


def test_only_measures_with_data_are_offered(app_store):
    at = open_app()
    assert at.selectbox(key="filter_measure").options == ["RWM expected %", "Reading score"]


def test_a_store_with_schools_but_no_results_says_where_to_start(_isolated_store_path):
    from impact.store import Store
    from tests.factories import schools_frame
    from tests.pages.helpers import add_accounts

    with Store(_isolated_store_path) as store:
        load(store, "schools", schools_frame(2))
        add_accounts(store, admin_only=True)
    at = open_app()
    assert any("no results yet" in t for t in texts(at.info))
    assert not at.get("plotly_chart")


def test_governors_see_no_pupil_group_of_fewer_than_eleven(app_store):
    with app_store.open() as store:
        load(store, "attainment", rwm_frame({2018: {100001: 50.0, 100002: 60.0}},
                                            sizes={100001: 8, 100002: 5}, group="SEND"))
    at = open_app(query={"group": "send"}, user="governor")
    assert at.selectbox(key="filter_group").value == "send"
    assert any("too few to show here" in t for t in texts(at.info))
    assert not at.get("plotly_chart")
    at = open_app(query={"group": "send"})  # the admin's view shows it, flagged
    table = table_with(at, "Year", TRUST)
    # the 5-pupil school's figure is hidden, so the line is the other school's alone: marked
    # low reliability (8 pupils) and as covering 1 of the 2 schools
    assert table[TRUST].tolist() == ["50% u"]
    assert table["Schools"].tolist() == ["1 of 2"]
    assert "Few pupils" in table["Notes"][0]
    assert "RWM expected: waiting for every school's figures" in texts(at.subheader), \
        "no title is built on a partial, 8-pupil figure"
