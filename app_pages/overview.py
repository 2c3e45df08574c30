"""Overview, for a trust board: headline measures against England, the partnership's impact to
date (each statement worked out from the data, with its evidence and its caveat), one measure
over time, and which schools have not sent this term's return.

The impact-to-date line about attainment is the cohorts' own estimates (`common.cohort_estimate`,
the same call and the same comparison as the Cohorts page) in their own words."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from impact.analysis import Estimate, findings, headlines, precomputed, suppression
from impact.analysis import wording as words
from impact.auth.rights import SET_UP, UPLOAD
from impact.charts import Chart, tiles, trend, wording
from impact.domain import measures as m
from impact.domain.pupil_groups import group_label
from impact.domain.small_numbers import governor_rule
from impact.reports import impact_to_date as impact
from impact.reports import ofsted as ofsted_report
from impact.reports import returns as returns_report
from impact.reports import years as year_range
from impact.reports.text import markdown_text

TILES = 4

chosen = filters.current()
st.title(markdown_text(f"{chosen.cohort} ({chosen.partnership})"
                       if chosen.cohort and chosen.partnership
                       else chosen.partnership or "Overview"), anchor=False)
common.require_schools()
if chosen.measure is None:
    common.stop_for_upload("There are no results yet. Upload an attainment file on the Upload "
                           "page to see how results change over the years.")
if chosen.partnership is None:
    st.info("Choose a partnership in the sidebar to see how its schools' results have changed. "
            "If there is none yet, set one up with the schools template on the Upload page.",
            icon=":material/info:")
    st.stop()

governor = common.governor_view()
where = chosen.where()
schools = int(common.query("partnership_schools_count", **where).iloc[0]["schools"])
place = f"{chosen.cohort} ({chosen.partnership})" if chosen.cohort else chosen.partnership
subject_phrase = wording.schools_phrase(schools, place)
period = year_range.describe(chosen.years)
if period:
    st.caption(f"Charts over time show {period} (the Years filter in the sidebar).")
common.take_to_a_meeting(chosen)


def _lines(code: str) -> list[trend.Line]:
    found = common.trend(code, group=chosen.group, partnership=chosen.partnership,
                         cohort=chosen.cohort,
                         by="year" if m.measure(code).statutory else "term",
                         comparisons=("national", "local_authority"))
    return trend.lines_from_trend(found.within(chosen.years))


def _has_figures(lines: list[trend.Line]) -> bool:
    return bool(lines) and lines[0].role == trend.SUBJECT and \
        lines[0].data["value"].notna().any()


def _allowed(lines: list[trend.Line]) -> bool:
    return suppression.group_analysis_allowed(chosen.group, lines[0].data["pupils"].tolist(),
                                              governor_view=governor)


# Every part below depends on these and on nothing else (today: for the returns and who is in
# the partnership now), so each is made once per store revision and shared.
view = ("overview", chosen, governor, dt.date.today())


# --- headline tiles ----------------------------------------------------------------------------
def _tiles() -> Chart | None:
    with_data = set(common.query("measures_with_data")["measure"])
    picked = []
    for code in tiles.HEADLINE_ORDER:
        if code not in with_data or len(picked) == TILES:
            continue
        lines = _lines(code)
        if _has_figures(lines) and _allowed(lines):
            national = next((ln for ln in lines if ln.role == trend.NATIONAL), None)
            picked.append(headlines.tile(code, lines[0].data,
                                         national.data if national is not None else None))
    return tiles.tiles_chart(picked, subject=place, subject_phrase=subject_phrase,
                             title=words.tiles_title(findings.against_england(picked)),
                             file_name=f"headline-{chosen.group}.csv") if picked else None


headline = common.made_once((*view, "tiles"), _tiles)
if headline is not None:
    common.show_chart(headline, "tiles")

# --- impact to date ----------------------------------------------------------------------------
st.divider()
st.subheader("Impact to date", anchor=False)
common.plain("What a case study would claim, checked against the data: each line says what "
             "the numbers show and what they cannot show.")
members = common.query("member_schools", **where)
today = dt.date.today()
now = returns_report.current_members(members, today)


def _main() -> tuple[bool, Chart | None]:
    """Whether the partnership's line is hidden for small groups, and its chart (or None)."""
    lines = _lines(chosen.measure)
    if _has_figures(lines) and _allowed(lines):
        return False, trend.trend_chart(
            chosen.measure, lines, subject_phrase=subject_phrase, group=chosen.group,
            title=words.trend_title(trend.finding(chosen.measure, lines)),
            weighted=schools > 1, file_name=f"overview-{chosen.measure}-{chosen.group}.csv")
    return bool(lines) and not _allowed(lines), None


def _cohort_estimates() -> tuple[list[Estimate], list[precomputed.Pending]]:
    """The cohorts' estimates made so far, and those still being made in the background."""
    cohorts = common.query("cohorts", partnership=chosen.partnership)
    if chosen.cohort:
        cohorts = cohorts[cohorts["cohort"] == chosen.cohort]
    estimates, pending = [], []
    for r in cohorts.itertuples():
        result = common.cohort_estimate(chosen, r.partnership, r.cohort)
        if isinstance(result, precomputed.Pending):
            pending.append(result)
        elif isinstance(result, Estimate) and (not governor or result.governor_view_allowed):
            estimates.append(result)
    return estimates, pending


def _statements(main_title: str | None,
                estimates: list[Estimate] | None) -> list[impact.Statement]:
    """The statements; the attainment one only once every cohort's estimate is made."""
    inspections = common.query("ofsted_inspections", **where)
    records = common.query("cpd_records", **where)
    return [
        *([impact.attainment_improved(estimates, main_title)] if estimates is not None else []),
        impact.good_or_outstanding(now, inspections),
        impact.ofsted_improved(ofsted_report.before_and_now(members, inspections)),
        impact.schools_full(now),
        impact.staff_hours(records),
        impact.staff_confidence(records),
    ]


hidden_for_small_groups, main_chart = common.made_once((*view, "main"), _main)
main_title = main_chart.title if main_chart else None
made, pending = _cohort_estimates()
if pending:
    # not kept: the attainment statement follows once the estimates are made
    statements = _statements(main_title, None)
    common.pending_note(pending)
else:
    statements = common.made_once((*view, "statements"),
                                  lambda: _statements(main_title, made))
for number, statement in enumerate(statements):
    with st.container(border=True, key=f"statement_{number}"):
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.markdown(f"#### {markdown_text(statement.claim)}")
        with right:
            common.verdict_badge(statement.verdict)
        common.plain(statement.evidence)
        st.caption(f"**What this cannot show:** {markdown_text(statement.caveat)}  \n"
                   f"Source: {markdown_text(statement.source)}.")

# --- one measure over time ---------------------------------------------------------------------
st.divider()
if main_chart is None:
    if hidden_for_small_groups:
        st.info(f"{markdown_text(group_label(chosen.group))}: some years are about "
                f"{governor_rule()}, too few to show here. Choose All pupils in the sidebar.",
                icon=":material/info:")
    else:
        st.info(f"The schools here have no {m.measure(chosen.measure).short} figures for "
                f"{markdown_text(group_label(chosen.group).lower())} yet. Choose another measure in the "
                "sidebar.", icon=":material/info:")
else:
    common.show_chart(main_chart, "overview")

# --- returns -----------------------------------------------------------------------------------
st.divider()
termly = [x.code for x in m.MEASURES if not x.statutory]
expected = [int(u) for u in members["urn"]] if not members.empty else []
check = common.made_once((*view, "returns"), lambda: returns_report.returns_check(
    members, common.query("returns_by_term", termly=termly, urns=expected), today))
st.subheader(markdown_text(check.headline), anchor=False)
common.plain(check.why)
if check.schools:
    common.show_table(check.missing, "missing_returns",
                      f"missing-returns-{check.term.lower()}-"
                      f"{check.academic_year.replace('/', '-')}.csv")
    if common.may(SET_UP):
        st.page_link(common.RETURNS_PAGE, label="Chase them: reminders ready to copy",
                     icon=":material/mail:")
    if common.may(UPLOAD):
        st.page_link(common.UPLOAD_PAGE, label="Upload a return", icon=":material/upload:")
