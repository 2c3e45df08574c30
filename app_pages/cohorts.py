"""Cohorts: did working together make a difference, cohort by cohort, against schools that did
not join (the comparison is chosen in the sidebar and kept in the link).

Every number and sentence here comes from the typed `Estimate` (`common.cohort_estimate`, the
same call the Overview makes) and its own words (`Estimate.words`): the numbers `python -m
impact estimate --json` prints for the same cohort, measure, pupils and comparison.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from impact.analysis import Estimate, precomputed
from impact.analysis import wording as words
from impact.charts import estimates as estimates_chart
from impact.charts import event_study, trend, wording
from impact.domain import comparisons
from impact.domain import measures as m
from impact.domain.pupil_groups import group_label
from impact.domain.small_numbers import governor_rule
from impact.reports import cohorts as report
from impact.reports.text import markdown_code, markdown_text

WORDS = ("likely range", "comparison", "effect size", "months' progress", "not randomised",
         "strength of evidence", "years before joining check", "bounce-back", "event study")

chosen = filters.current()
st.title(markdown_text(chosen.cohort or "Cohorts"), anchor=False)
common.require_schools()
cohorts = common.query("cohorts", partnership=chosen.partnership)
if cohorts.empty:
    common.stop_for_upload("No partnership or cohort is set up yet. Add them with the schools "
                           "template on the Upload page: one row per school per cohort, with "
                           "the date it joined.")

measure = chosen.measure
governor = common.governor_view()
members = common.query("cohort_members", partnership=chosen.partnership, cohort=None)

# the schools a "chosen" comparison is made of (none for the other comparisons)
picked = {"urns": chosen.urns} if chosen.comparison == comparisons.CHOSEN else {}
if chosen.comparison == comparisons.CHOSEN and not chosen.urns:
    st.info("Choose the schools to compare with under “Schools to compare with” in the "
            "sidebar.", icon=":material/info:")
    st.stop()


def _governor_blocked(result: Estimate) -> bool:
    if governor and not result.governor_view_allowed:
        st.info(f"{markdown_text(group_label(chosen.group))}: some years are about "
                f"{governor_rule()}, too few to show here. Choose All pupils in the sidebar.",
                icon=":material/info:")
        return True
    return False


if chosen.cohort is None:
    # --- every cohort against its comparison -------------------------------------------------
    summary = report.partnership_summary(cohorts, members, chosen.partnership)
    st.subheader(markdown_text(summary.headline), anchor=False)
    common.plain(summary.sentence + " Choose a cohort in the sidebar to see it year by year.")
    if measure is not None:
        results = [common.cohort_estimate(chosen, r.partnership, r.cohort)
                   for r in cohorts.itertuples()]
        common.pending_note([r for r in results if isinstance(r, precomputed.Pending)])
        shown = [r for r in results if isinstance(r, Estimate)]
        if governor:
            shown = [r for r in shown if r.governor_view_allowed]
        if shown:
            where = chosen.partnership or "every partnership"
            focus = {(f"{r.partnership}: {r.cohort}" if cohorts["partnership"].nunique() > 1
                      else r.cohort): r.focus or "" for r in cohorts.itertuples()}
            chart = estimates_chart.cohorts_chart(
                shown, title=words.cohorts_title(shown, chosen.comparison),
                comparison=chosen.comparison, where=where, focus=focus,
                file_name=f"cohorts-{measure}-{chosen.comparison}.csv")
            common.show_chart(chart, "cohorts_estimates")
            common.explain(WORDS[:5])
    left, middle, right = st.columns(3)
    left.metric("Cohorts", summary.cohorts)
    middle.metric("Schools in them now", summary.schools_now)
    right.metric("Schools ever in them", summary.schools_ever)
    st.subheader("The cohorts", anchor=False)
    common.show_table(report.cohorts_table(cohorts), "cohorts", "cohorts.csv")
    for number, (title, table) in enumerate(report.members_tables(members)):
        st.subheader(markdown_text(title), anchor=False)
        common.show_table(table, f"members_{number}", f"cohort-{number + 1}-schools.csv")
    st.stop()

# --- one cohort ---------------------------------------------------------------------------------
row = cohorts[cohorts["cohort"] == chosen.cohort].iloc[0]
mine = members[members["cohort"] == chosen.cohort]
joined = sorted({report.long_date(d) for d in mine["joined_date"]})
focus = f"{row['focus']}: " if row["focus"] else ""
common.plain(f"{focus}{len(mine['urn'].unique())} schools in {chosen.partnership}, joined "
             f"{wording.list_words(joined)}.")
if measure is None:
    st.info("There are no results yet, so nothing to compare. Upload an attainment file on "
            "the Upload page.", icon=":material/info:")
    st.stop()

result = common.cohort_estimate(chosen, chosen.partnership, chosen.cohort)
if isinstance(result, precomputed.Pending):
    common.pending_note([result])
    st.stop()
if isinstance(result, str):
    st.info(markdown_text(result), icon=":material/info:")
    st.stop()
if _governor_blocked(result):
    st.stop()

said = result.words
subject_phrase = wording.schools_phrase(len(result.joining_schools) or
                                        len(mine["urn"].unique()), chosen.cohort)
st.subheader("Did working together make a difference?", anchor=False)
common.headline(said.headline)
left, middle, right = st.columns(3)
with left:
    st.metric("Difference after joining", said.value,
              help="How much more the results changed than the comparison schools' did.")
    common.note(said.span)
with middle:
    st.metric("Effect size", said.size, help="How big the difference is compared with the "
              "usual spread between schools' results.")
    common.note(said.size_words)
with right:
    st.markdown("**How sure can we be?**")
    common.evidence_badge(result.evidence)
if result.status != "ok":
    reason = result.reason or "too few results before and after joining"
    st.info(f"There is not enough data for an estimate: {markdown_text(reason)}. Choose a "
            "measure these "
            "schools report in the sidebar.", icon=":material/info:")
common.plain(said.caveat)
common.explain(WORDS)

if result.event_study:
    st.divider()
    chart = event_study.event_study_chart(
        result, subject_phrase=subject_phrase,
        file_name=f"event-study-{chosen.cohort}-{measure}.csv".replace(" ", "-").lower())
    common.show_chart(chart, "event_study")

st.divider()
st.subheader("Is the comparison fair?", anchor=False)
common.headline(said.check)
if said.dip:
    st.warning(markdown_text(said.dip), icon=":material/warning:")
common.plain(said.comparison)

# The raw line over the years: what the estimate is made from, not a second answer, so its
# title says what it shows rather than a finding.
lines = trend.lines_from_trend(common.trend(
    measure, group=chosen.group, cohort=f"{chosen.partnership} / {chosen.cohort}",
    partnership=chosen.partnership, by="year" if m.measure(measure).statutory else "term",
    comparisons=(chosen.comparison,), **picked))
if lines and lines[0].role == trend.SUBJECT and lines[0].data["value"].notna().any():
    st.divider()
    others = list(lines[1:])
    first_years = sorted({c.first_treated_year for c in result.cohorts})
    chart = trend.trend_chart(
        measure, lines, subject_phrase=subject_phrase, group=chosen.group,
        weighted=len(mine) > 1,
        title=words.trend_description(measure, comparisons.short(chosen.comparison)
                                      if others else None),
        joined=first_years[0] if len(first_years) == 1 else None,
        file_name=f"cohort-{chosen.cohort}-{measure}-over-time.csv".replace(" ", "-").lower())
    common.show_chart(chart, "cohort_trend")
    common.note("This line is each year's raw figure, not the estimate above: the estimate "
                "takes away the change the comparison schools saw over the same years.")

st.divider()
st.subheader("The schools behind these numbers", anchor=False)
common.show_table(report.joining_table(result), "joining", "joining-schools.csv")
if said.left:
    common.plain(said.left)
excluded = report.excluded_table(result)
if not excluded.empty:
    common.plain("Some of the cohort's schools could not be used:")
    common.show_table(excluded, "excluded", "schools-left-out.csv")
if said.dropped:
    common.plain(said.dropped)
    common.show_table(report.dropped_table(result), "dropped", "years-left-out.csv")
with st.expander("How this was worked out", icon=":material/calculate:"):
    for line in result.notes:
        st.markdown(f"- {markdown_text(line)}")
    if result.effect_size is not None:
        st.markdown(f"- {markdown_text(result.effect_size.basis)}")
    st.caption(f"Bootstrap with {result.draws} draws, seed {result.seed}: the same "
               "store gives the same numbers. The command line gives them too: "
               + markdown_code(
                   f"python -m impact estimate --cohort \"{chosen.partnership} / "
                   f"{chosen.cohort}\" --measure {measure} --group {chosen.group} "
                   f"--comparison {chosen.comparison}"
                   + (f" --urns {','.join(str(u) for u in chosen.urns)}" if picked else ""))
               + ".")
