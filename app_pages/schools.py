"""Schools: one school's profile — every measure over time against its partnership and England
(with likely ranges), its strengths and needs against its partner schools (so strengths can be
matched to needs), its Ofsted history (each framework on its own) and its CPD."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from impact.analysis import findings, suppression
from impact.analysis import wording as words
from impact.charts import Chart, bars, profile, trend
from impact.charts.project import project_chart
from impact.domain import measures as m
from impact.domain import small_numbers as small
from impact.domain.pupil_groups import group_label
from impact.reports import ofsted as ofsted_report
from impact.reports import projects as projects_report
from impact.reports import schools as report
from impact.reports import years as year_range
from impact.reports.text import markdown_text

common.require_schools()
chosen = filters.current()
details = common.query("school_details", urn=chosen.school)
if details.empty:
    st.title("Schools", anchor=False)
    st.info("Choose a school in the sidebar.", icon=":material/info:")
    st.stop()
name = str(details.iloc[0]["name"])
st.title(markdown_text(name), anchor=False)

left, right = st.columns([1, 2])
with left:
    st.subheader("About the school", anchor=False)
    st.dataframe(report.details_table(details), hide_index=True, key="school_details")
with right:
    st.subheader("Partnerships and cohorts", anchor=False)
    memberships = common.query("school_memberships", urn=chosen.school)
    if memberships.empty:
        st.markdown("This school is in no partnership here: it can be a comparison school.")
    else:
        st.dataframe(report.memberships_table(memberships), hide_index=True,
                     key="school_memberships")

# Its partnership for the comparison line: the one it is still in, else the latest it was in.
partnership = None
if not memberships.empty:
    current = memberships[memberships["left_date"].isna()]
    partnership = str((current if not current.empty else memberships).iloc[-1]["partnership"])


def _by(code: str) -> str:
    return "year" if m.measure(code).statutory else "term"


def _school_lines(code: str) -> list[trend.Line]:
    found = common.trend(code, group=chosen.group, urn=chosen.school, by=_by(code),
                         comparisons=("national",))
    lines = trend.lines_from_trend(found.within(chosen.years))
    if not lines or lines[0].role != trend.SUBJECT:
        return []
    if m.measure(code).unit == m.PROGRESS:
        limits = common.query("school_confidence_limits", urn=chosen.school, measure=code,
                              pupil_group=chosen.group)
        lines[0].data = report.with_confidence_limits(lines[0].data, limits)
    if partnership is not None:
        theirs = trend.lines_from_trend(common.trend(
            code, group=chosen.group, partnership=partnership, by=_by(code),
            comparisons=()).within(chosen.years))
        if theirs and theirs[0].data["value"].notna().any():
            lines.insert(1, trend.Line(f"{partnership} (all its schools)", trend.COMPARISON,
                                       theirs[0].data))
    return lines


governor = common.governor_view()


def _has_figures(lines: list[trend.Line]) -> bool:
    """Figures to show; in the governor view, a pupil group only on 11 pupils or more."""
    if not lines or not (lines[0].data["value"].notna().any()
                         or lines[0].data["value_note"].notna().any()):
        return False
    return suppression.group_analysis_allowed(chosen.group, lines[0].data["pupils"].tolist(),
                                              governor_view=governor)


period = year_range.describe(chosen.years)
if period:
    st.caption(f"Charts over time show {period} (the Years filter in the sidebar).")

# Each chart depends only on the filters and the view, so it is made once per store revision
# and shared.
view = ("schools", chosen, governor)


def _measure_chart() -> Chart | None:
    lines = _school_lines(chosen.measure)
    if not _has_figures(lines):
        return None
    return trend.trend_chart(chosen.measure, lines, subject_phrase=name, group=chosen.group,
                             title=words.trend_title(trend.finding(chosen.measure, lines)),
                             file_name=f"school-{chosen.school}-{chosen.measure}.csv")


# --- the chosen measure ------------------------------------------------------------------------
if chosen.measure is not None:
    st.divider()
    chart = common.made_once((*view, "measure"), _measure_chart)
    if chart is None:
        st.info(f"{markdown_text(name)} has no figures for this measure "
                f"({markdown_text(group_label(chosen.group))}). "
                "Choose another measure in the sidebar.", icon=":material/info:")
    else:
        common.show_chart(chart, "school")

# --- every measure -----------------------------------------------------------------------------
# the chosen group with what could give its hidden figures away (impact.analysis.suppression)
groups = suppression.groups_to_read(chosen.group)
every_group = common.query("school_attainment", urn=chosen.school, groups=groups)
results = report.visible(every_group, chosen.group, ["academic_year", "term", "measure"])


def _grid() -> Chart | None:
    order = {x.code: i for i, x in enumerate(m.MEASURES)}
    codes = sorted((c for c in set(results["measure"]) if c in m.BY_CODE),
                   key=lambda c: order[c]) if not results.empty else []
    panels = [(code, lines) for code in codes if _has_figures(lines := _school_lines(code))]
    if len(panels) < 2:
        return None
    summaries = profile.measure_tiles(panels)
    return profile.measures_grid(
        panels, summaries, school=name,
        title=words.measures_title(findings.against_england(summaries)),
        file_name=f"school-{chosen.school}-measures.csv")


# Each small chart needs the school's and its partnership's line for that measure: for a
# dozen measures most of the page's work, so they are made only when asked for.
with_figures = sorted({c for c in results["measure"] if c in m.BY_CODE}) \
    if not results.empty else []
if len(with_figures) >= 2:
    st.divider()
    st.subheader("Every measure", anchor=False)
    if st.toggle(f"Show the small chart of each of its {len(with_figures)} measures with "
                 "figures, against its partnership and England", key="school_grid_shown"):
        grid = common.made_once((*view, "grid"), _grid)
        if grid is None:
            common.plain(f"{name} has figures for fewer than two measures to show side by "
                         "side for this pupil group.")
        else:
            common.show_chart(grid, "school_grid")

# --- strengths and needs -----------------------------------------------------------------------
if partnership is not None:
    st.divider()
    def _partner_figures():
        rows = common.query("school_partner_figures", urn=chosen.school, groups=groups)
        # The governor view judges no school on a figure about fewer than 11 pupils.
        return suppression.governor_rows(rows, size="pupils") if governor else rows

    frame = common.made_once((*view, "strengths_table"), lambda: report.strengths_and_needs(
        _partner_figures(), chosen.school, chosen.group))
    if frame.empty:
        st.subheader("Strengths and needs", anchor=False)
        common.plain("There are no figures for this school and its partner schools in the "
                     "same year yet, so nothing to compare.")
    else:
        common.show_chart(common.made_once((*view, "strengths"), lambda: profile.strengths_chart(
            frame, title=words.strengths_title(findings.strengths_and_needs(frame)),
            school=name, file_name=f"school-{chosen.school}-strengths-and-needs.csv")),
            "strengths")
        strengths = frame[frame["verdict"] == profile.STRENGTH]
        if not strengths.empty:
            common.plain(f"{name} could support its partners in: "
                         + ", ".join(m.measure(c).short for c in strengths["measure"]) + ".")
        # Who could help with a need: the pairings below (against partners and similar
        # schools, one rule for every page), not a second list here.

# --- suggested pairings: this school's needs, and where it could help ---------------------------
if partnership is not None:
    suggested = common.pairings(partnership, chosen.group)
    needs_here = suggested.for_school(chosen.school)
    helps = suggested.helped_by(chosen.school)
    if needs_here or helps:
        st.divider()
        st.subheader("Suggested pairings in the partnership", anchor=False)
        common.plain(f"Measures on which {name} is clearly below both its partners and similar "
                     "schools, and the partner schools clearly strong there: a starting point "
                     "for an improvement project.")
        if needs_here:
            common.show_table(projects_report.pairings_table(needs_here), "school_pairings",
                              f"school-{chosen.school}-pairings.csv")
        for pair in helps:
            common.plain(f"{name} could help {pair.need.name} with {pair.measure_short} "
                         f"({pair.academic_year}).")
        for line in suggested.notes:
            st.caption(line)

# --- improvement projects ----------------------------------------------------------------------
projects = common.query("projects", urn=chosen.school, partnership=None)
if not projects.empty:
    st.divider()
    st.subheader("Improvement projects", anchor=False)
    common.show_table(projects_report.projects_table(projects), "school_projects",
                      f"school-{chosen.school}-projects.csv")
    hosted = projects[projects["urn"].astype(int) == int(chosen.school)]
    for number, row in enumerate(hosted.to_dict("records")):
        measure = row["measure"] if isinstance(row["measure"], str) else chosen.measure
        if measure is None:
            continue
        line = common.project(chosen.school, row["project"], measure, chosen.group)
        if isinstance(line, str):
            common.plain(line)
            continue
        common.show_chart(common.made_once((*view, "project", row["project"], measure),
                                           lambda line=line: project_chart(
                                               line, title=words.project_title(line))),
                          f"project_{number}")

# --- Ofsted ------------------------------------------------------------------------------------
st.divider()
st.subheader("Ofsted inspections", anchor=False)
inspections = common.query("school_ofsted", urn=chosen.school)
if inspections.empty:
    common.plain("No Ofsted inspections are stored for this school.")
else:
    common.plain("Ofsted has changed how it grades schools and says the old and new grades "
                 "cannot be compared, so each way of grading has its own table.")
    for part in ofsted_report.framework_tables(inspections):
        st.markdown(f"**{part.title}**")
        st.caption(part.scale_note)
        common.show_table(part.table.drop(columns=["School", "URN"]),
                          f"school_ofsted_{part.framework.code}",
                          f"school-{chosen.school}-ofsted-{part.framework.code}.csv")

# --- CPD ---------------------------------------------------------------------------------------
st.divider()
cpd = year_range.within(common.query("school_cpd", urn=chosen.school), chosen.years)
if cpd.empty:
    st.subheader("CPD and working together", anchor=False)
    common.plain("No CPD records are stored for this school.")
else:
    common.show_chart(common.made_once((*view, "cpd"), lambda: bars.cpd_hours_chart(
        cpd, title=words.activity_title(findings.cpd_years(cpd)), where=name)),
        "school_cpd")

# --- every figure ------------------------------------------------------------------------------
st.divider()
st.subheader(f"All results: {markdown_text(group_label(chosen.group).lower())}", anchor=False)
st.caption("Each cell is the figure, with how many pupils it is about in brackets. "
           f"c means hidden ({small.hidden_rule()}, or a figure that would give a hidden one "
           f"away); {small.LOW_MARK} marks a figure about {small.low_rule()}, to treat with "
           "care; x means not available.")
if governor:
    st.caption(f"Governor view: figures about fewer than {small.GOVERNOR_MIN_GROUP} "
               "pupils are shown as c.")
    results = suppression.governor_rows(results, size="pupils")
table = report.attainment_table(year_range.within(results, chosen.years)
                                if not results.empty else pd.DataFrame())
if table.empty:
    st.markdown("No results have been uploaded for this school yet.")
else:
    common.show_table(table, "school_results", f"school-{chosen.school}-results.csv")
