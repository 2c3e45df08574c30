"""CPD: participation and hours over time (by who took part, by activity, by cohort), staff's
own ratings before and after, and each school's CPD beside the change in its results —
described as things that happen together, never as cause."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from impact.analysis import UnknownName, before_after, findings
from impact.analysis import wording as words
from impact.analysis.projects import project_line
from impact.charts import Chart, bars, wording
from impact.charts import cpd as charts
from impact.domain import measures as m
from impact.reports import cpd as report
from impact.reports import projects as projects_report
from impact.reports import years as year_range
from impact.store import Store

st.title("CPD and working together", anchor=False)
common.require_schools()
chosen = filters.current()
records = year_range.within(common.query("cpd_records", **chosen.where()), chosen.years)
if records.empty:
    common.stop_for_upload("No CPD records are stored for these schools yet. Upload them with "
                           "the CPD template on the Upload page.")

schools = int(common.query("partnership_schools_count", **chosen.where()).iloc[0]["schools"])
place = f"{chosen.cohort} ({chosen.partnership})" if chosen.cohort else chosen.partnership
where = wording.schools_phrase(schools, place)
period = year_range.describe(chosen.years)
if period:
    st.caption(f"Showing {period} (the Years filter in the sidebar).")

# Each chart depends only on the filters, so it is made once per store revision and shared.
view = ("cpd", chosen)

# --- over time, by role ------------------------------------------------------------------------
common.show_chart(common.made_once((*view, "years"), lambda: charts.hours_by_year_chart(
    records, title=words.hours_title(findings.hours_by_year(records)), where=where)),
    "cpd_years")

# --- this year by activity, against the year before ----------------------------------------
st.divider()
by_activity = year_range.within(common.query("cpd_by_term_activity", **chosen.where()),
                                chosen.years)


def _activity_chart() -> Chart:
    years = findings.cpd_years(by_activity)
    return bars.cpd_hours_chart(by_activity, title=words.activity_title(years), where=where,
                                data=years)


common.show_chart(common.made_once((*view, "activity"), _activity_chart), "cpd")
with st.expander("Every year, by activity"):
    common.show_table(common.made_once((*view, "by_activity"),
                                       lambda: report.by_activity_table(records)),
                      "cpd_activity_years", "cpd-by-activity-and-year.csv")

# --- by cohort -----------------------------------------------------------------------------
if chosen.partnership and not chosen.cohort:
    cohort_rows = year_range.within(
        common.query("cpd_by_cohort", partnership=chosen.partnership, cohort=None),
        chosen.years)
    if cohort_rows["cohort"].nunique() > 1:
        st.divider()
        st.subheader("Each cohort, year by year", anchor=False)
        common.plain("A school in two cohorts counts in each cohort's own total.")
        common.show_table(report.by_cohort_table(cohort_rows), "cpd_cohorts",
                          "cpd-by-cohort.csv")

# --- self-assessment before and after --------------------------------------------------------
summary = common.made_once((*view, "self_assessment"), lambda: report.self_assessment(records))
if not summary.empty:
    st.divider()
    common.show_chart(common.made_once((*view, "self_chart"), lambda: (
        charts.self_assessment_chart(
            summary, title=words.ratings_title(findings.self_ratings(summary)),
            where=where))), "cpd_self")

# --- CPD beside results ----------------------------------------------------------------------
# Each school's results before and after it joined take a second or more against every school
# in England: made in the background (once per store revision and filters), filled in when
# ready.


def _beside_results(store: Store, records: pd.DataFrame, cohorts: pd.DataFrame, measure: str,
                    where: str) -> Chart | None:
    """The CPD-beside-results chart, or None when no school has both to show. Runs in the
    background thread, so it calls `impact` directly (no streamlit)."""
    changes = [before_after(store, cohort=f"{r.partnership} / {r.cohort}", measure=measure,
                            partnership=r.partnership) for r in cohorts.itertuples()]
    frames = [c for c in changes if not c.empty]
    if not frames:
        return None
    joined = pd.concat(frames, ignore_index=True)
    beside = report.cpd_and_results(records, joined, m.measure(measure).unit)
    if beside.empty:
        return None
    link = findings.results_link(beside)
    return charts.cpd_and_results_chart(beside, link, title=words.link_title(link),
                                        measure=measure, where=where,
                                        file_name=f"cpd-and-{measure}.csv")


measure = chosen.measure
if measure is not None and chosen.partnership:
    cohorts = common.query("cohorts", partnership=chosen.partnership)
    if chosen.cohort:
        cohorts = cohorts[cohorts["cohort"] == chosen.cohort]
    opened = common.store()
    job = common.made_in_background((*view, "results"), lambda: _beside_results(
        opened, records, cohorts, measure, where))
    if not job.done():
        st.divider()
        common.fill_in_when_made([job], "each school's CPD beside its results")
    elif (chart := job.result()) is not None:
        st.divider()
        common.show_chart(chart, "cpd_results")

# --- improvement projects ---------------------------------------------------------------------

def _project_sentences(store: Store, projects: pd.DataFrame) -> list[str]:
    """What each project's host school's results did after it began, one sentence each
    (`impact.analysis.projects`, as `common.project` gives it): made in the background, as
    each host's results are read afresh."""
    said = []
    for row in projects.to_dict("records"):
        if not isinstance(row["measure"], str):
            continue
        try:
            line = project_line(store, int(row["urn"]), row["project"], row["measure"],
                                group="all")
        except UnknownName as error:
            said.append(str(error))
            continue
        said.append(f"{row['project']}: {line.sentence}")
    return said


projects = common.query("projects", partnership=chosen.partnership, urn=None)
if not projects.empty:
    st.divider()
    st.subheader("Improvement projects", anchor=False)
    common.plain("Colleagues taking on an area of need in a partner school: what, where, who, "
                 "and what the host school's results did after it began (each host's chart is "
                 "on the Schools page).")
    common.show_table(projects_report.projects_table(projects), "cpd_projects",
                      "improvement-projects.csv")
    if projects["measure"].map(lambda v: isinstance(v, str)).any():
        opened = common.store()
        lines = common.made_in_background((*view, "projects"),
                                          lambda: _project_sentences(opened, projects))
        if not lines.done():
            common.fill_in_when_made([lines], "what each host school's results did")
        else:
            for line in lines.result():
                common.plain(line)

st.divider()
st.subheader("Every term", anchor=False)
common.show_table(common.made_once((*view, "by_term"), lambda: report.by_term_table(by_activity)),
                  "cpd_terms", "cpd-by-term.csv")
