"""Ofsted: grades over time under each framework separately (Ofsted says its frameworks cannot
be compared, so no grade is ever mapped onto another framework's scale): the share good or
outstanding under the graded framework, the grades in each area under the newer ones, and each
school's grade before it joined and now."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from impact.analysis import findings
from impact.analysis import wording as words
from impact.charts import Chart
from impact.charts import ofsted as charts
from impact.domain import ofsted
from impact.domain.academic_years import academic_year_of
from impact.reports import ofsted as report

st.title("Ofsted", anchor=False)
common.require_schools()
chosen = filters.current()
inspections = common.query("ofsted_inspections", **chosen.where())
if inspections.empty:
    common.stop_for_upload("No Ofsted inspections are stored for these schools yet. Upload "
                           "them with the Ofsted template, or the Ofsted file as published, on "
                           "the Upload page.")

schools = inspections["urn"].nunique()
place = (f"{chosen.cohort} ({chosen.partnership})" if chosen.cohort
         else chosen.partnership or "all schools")
common.plain(f"{len(inspections)} inspection{'s' if len(inspections) != 1 else ''} of "
             f"{schools} school{'s' if schools != 1 else ''} in {place}. Ofsted has changed how "
             "it grades schools, and says the old and new grades cannot be compared, so each "
             "way of grading is shown on its own.")

# --- graded framework: share good or outstanding over time --------------------------------
# Only inspections with an overall grade count towards the share (the others' schools add
# nobody to it), so only those are read: every school in England's at national scale.
everyone = common.query("ofsted_graded", framework=ofsted.GRADED.code)
members = common.query("member_schools", **chosen.where()) if chosen.partnership \
    else common.query("member_schools", partnership=None, cohort=None)
in_partnership = everyone["in_any_partnership"].astype(bool)
subject_urns = sorted(set(inspections["urn"]) if chosen.partnership
                      else set(everyone.loc[in_partnership, "urn"]))
comparison_urns = sorted(set(everyone.loc[~in_partnership, "urn"]))
subject = place if chosen.partnership else "Schools in a partnership"
comparison = "schools in no partnership"
view = ("ofsted", chosen)
series = common.made_once((*view, "good_or_better"), lambda: report.good_or_better_by_year(
    everyone, {subject: subject_urns, comparison: comparison_urns}))
joined_years = {academic_year_of(d.date() if hasattr(d, "date") else d)
                for d in pd.to_datetime(members["joined_date"].dropna())}
joined_year = joined_years.pop() if len(joined_years) == 1 else None
if not series.empty and (series["schools"] > 0).any():
    st.divider()
    common.show_chart(common.made_once((*view, "good_or_better_chart"), lambda: (
        charts.good_or_better_chart(series, subject=subject, comparison=comparison,
                                    title=words.good_or_better_title(findings.good_or_better(
                                        series, subject=subject, comparison=comparison)),
                                    joined_year=joined_year,
                                    subject_short=chosen.cohort or chosen.partnership))),
        "ofsted_good")

# --- newer frameworks: grades by area ------------------------------------------------------


def _grades_chart(framework: ofsted.Framework) -> Chart | None:
    """The grades in each area at each school's latest inspection under `framework`, or None
    when there are none."""
    latest = report.latest_under(inspections, framework)
    if latest.empty:
        return None
    counts = report.grade_counts(latest, framework)
    if counts.empty:
        return None
    return charts.grade_counts_chart(
        counts, framework, title=words.grade_counts_title(findings.grade_counts(counts)),
        schools=len(latest), where=place, file_name=f"ofsted-{framework.code}-grades.csv")


for framework in (ofsted.KEY_JUDGEMENTS, ofsted.REPORT_CARD):
    grades = common.made_once((*view, "grades", framework.code),
                              lambda framework=framework: _grades_chart(framework))
    if grades is None:
        continue
    st.divider()
    st.markdown(f"**{framework.label}**")
    common.show_chart(grades, f"ofsted_{framework.code}_grades")

# --- each school before joining and now -----------------------------------------------------
if chosen.partnership:
    st.divider()
    st.subheader("Each school before it joined and now", anchor=False)
    common.plain("Each school's last inspection before it joined and its latest, each on its "
                 "own framework's scale. A change is given only where both had one overall "
                 "grade; grades from different frameworks are not compared.")
    common.show_table(common.made_once((*view, "before_and_now"),
                                       lambda: report.before_and_now(members, inspections)),
                      "ofsted_before_now", "ofsted-before-and-now.csv")

# --- every inspection, one table per framework ----------------------------------------------
st.divider()
st.subheader("Every inspection", anchor=False)
for part in common.made_once((*view, "every_inspection"),
                             lambda: report.framework_tables(inspections)):
    st.markdown(f"**{part.title}**")
    st.caption(part.scale_note)
    common.show_table(part.table, f"ofsted_{part.framework.code}",
                      f"ofsted-{part.framework.code}.csv")
