"""Cohorts, Schools, Ofsted, CPD and Data: simple pages, real content from the store."""

from __future__ import annotations

import datetime as dt

from impact.reports.data import OGL_ATTRIBUTION
from tests.factories import cpd_frame, load, ofsted_frame, schools_frame
from tests.pages.helpers import (
    TRUST,
    figure,
    open_app,
    rwm_frame,
    table_with,
    texts,
)


def test_cohorts_lists_each_cohort_with_its_schools_and_dates(app_store):
    with app_store.open() as store:
        frame = schools_frame(2, partnership=TRUST, cohort="Cohort B", in_partnership=2,
                              joined=dt.date(2021, 9, 1))
        frame["Cohort focus"] = "Early years to KS1"
        frame["Left date"] = [dt.date(2023, 7, 31), None]
        load(store, "schools", frame)
    at = open_app("app_pages/cohorts.py")
    assert at.subheader[0].value == "Test Trust: 3 schools in 2 cohorts"
    cohorts = table_with(at, "Cohort", "Focus", "Started", "Schools now", "Schools ever")
    assert cohorts["Cohort"].tolist() == ["Cohort A", "Cohort B"]
    assert cohorts.set_index("Cohort").loc["Cohort B"].tolist() == \
        ["Early years to KS1", "", 1, 2]
    assert [m.value for m in at.metric] == ["2", "3", "3"]
    members = [d.value for d in at.dataframe if "Joined" in d.value.columns]
    assert [len(m) for m in members] == [3, 2]
    cohort_b = members[1].set_index("URN")
    assert cohort_b.loc[100001, "Joined"] == "1 September 2021"
    assert cohort_b.loc[100001, "Left"] == "31 July 2023"
    assert cohort_b.loc[100002, "Left"] == "Still in"


def test_schools_shows_details_memberships_results_and_a_trend(app_store):
    with app_store.open() as store:
        load(store, "attainment", rwm_frame({2018: {100002: "c"}}, {100002: 4},
                                            group="Boys"))
    at = open_app("app_pages/schools.py", query={"school": "100002"})
    assert at.title[0].value == "School 100002"
    details = table_with(at, "What", "Detail").set_index("What")["Detail"]
    assert details["URN"] == "100002" and details["Local authority"] == "Testshire"
    memberships = table_with(at, "Partnership", "Cohort", "Joined")
    assert memberships.iloc[0].tolist()[:2] == [TRUST, "Cohort A"]
    results = table_with(at, "Year", "Term", "RWM expected %")
    assert results["RWM expected %"].tolist() == ["50% (30)", "55% (30)", "60% (30)"]
    spec = figure(at, "school")
    assert {t["name"] for t in spec["data"]} == {"School 100002", f"{TRUST} (all its schools)",
                                                 "England"}
    at.selectbox(key="filter_group").set_value("boys").run()
    results = table_with(at, "Year", "Term", "RWM expected %")
    assert results["RWM expected %"].tolist() == ["c"], "hidden, never 0, no pupil count"
    school = [t for t in figure(at, "school")["data"] if t["name"] == "School 100002"][0]
    assert school["y"] == [None]


def test_schools_says_plainly_when_a_school_has_no_figures_for_a_measure(app_store):
    at = open_app("app_pages/schools.py", query={"school": "100002",
                                                 "measure": "ks2_read_score"})
    assert any("has no figures for this measure" in t for t in texts(at.info))


def test_ofsted_keeps_each_frameworks_grades_in_its_own_table(app_store):
    with app_store.open() as store:
        load(store, "ofsted", ofsted_frame([100001, 100002]))
    at = open_app("app_pages/ofsted.py")
    labels = [t.strip("*") for t in texts(at.markdown)
              if t.startswith("**") and "(" in t and "Report" in t or "Graded" in t
              or "Key judgements" in t]
    assert labels[-3:] == [
        "Report cards (from 10 November 2025)",
        "Key judgements, no overall grade (2 September 2024 to 9 November 2025)",
        "Graded inspections with an overall grade (to 1 September 2024)"]
    tables = [d.value for d in at.dataframe if "Inspected" in d.value.columns]
    report_card, key_judgements, graded = tables
    assert "Overall effectiveness" not in report_card and "Inclusion" in report_card
    assert set(report_card["Achievement"]) == {"Needs attention"}
    assert "Overall effectiveness" not in key_judgements
    assert set(graded["Overall effectiveness"]) == {"Good"}
    four_point = {"Outstanding", "Good", "Requires improvement", "Inadequate"}
    for column in report_card.columns[4:]:
        assert not set(report_card[column]) & four_point, column
    assert len(graded) == 2 and set(graded["URN"]) == {100001, 100002}


def test_ofsted_says_so_when_there_are_no_inspections(app_store):
    at = open_app("app_pages/ofsted.py")
    assert any("No Ofsted inspections" in t for t in texts(at.info))


def test_cpd_charts_staff_hours_by_activity_against_the_year_before(app_store):
    with app_store.open() as store:
        load(store, "cpd", cpd_frame([100001, 100002], range(2021, 2023)))
    at = open_app("app_pages/cpd.py")
    assert "Most staff time in 2022/23 (Autumn and Spring): Review day" in texts(at.subheader)
    spec = figure(at, "cpd")
    bars = [t for t in spec["data"] if t["type"] == "bar"][0]
    assert dict(zip(bars["y"], bars["x"], strict=True)) == {"Review day": 42.0,
                                                           "Coaching": 40.0}
    chart_table = table_with(at, "Activity", "Staff hours 2022/23", "Staff hours 2021/22")
    assert chart_table["Activity"].tolist() == ["Review day", "Coaching"]
    terms = table_with(at, "Year", "Term", "Activity", "Staff taking part", "Staff hours")
    assert terms.iloc[0][["Year", "Term", "Activity", "Schools", "Staff taking part",
                          "Staff hours"]].tolist() == ["2022/23", "Spring", "Coaching", 2, 4, 40]


def test_data_counts_rows_offers_exports_and_credits_sources(app_store):
    at = open_app("app_pages/data.py")
    counts = table_with(at, "What", "Rows").set_index("What")["Rows"]
    assert counts["Schools"] == 6
    assert counts["Results (school figures)"] == \
        app_store.scalar("SELECT count(*) FROM attainment")
    assert counts["Uploads"] == app_store.scalar("SELECT count(*) FROM uploads")
    assert at.download_button(key="data_export").label == \
        "Download schools and partnerships (xlsx)"
    at.selectbox(key="data_export_kind").set_value("attainment").run()
    at.radio(key="data_export_format").set_value("csv").run()
    assert not at.exception
    assert at.download_button(key="data_export").label == "Download attainment (csv)"
    assert any(OGL_ATTRIBUTION in m.value for m in at.markdown)
    symbols = table_with(at, "Symbol", "Meaning")
    assert symbols["Symbol"].tolist()[:3] == ["c", "u", "x"]

