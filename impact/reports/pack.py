"""The board pack: what a trust board takes to its meeting, made from the store by the same
functions the pages call, so the pack's numbers are the pages' numbers.

`build_pack` checks who is asking (`allowed`: the partnership must be theirs to see, and a
pack is an export of what the pages show), then gathers: the sources (each upload and public
file the numbers rest on, with its date), the impact-to-date statements (the Overview's own,
with evidence and caveats), each cohort's impact estimate in its own words (`Estimate.words`),
the charts with their sentences and tables, the Ofsted and CPD summaries, a glossary and the
method in plain words. The governor view is always on: no pupil group under 11, nothing about
single pupils. `impact.reports.pack_files` turns a `Pack` into HTML or an A4 PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from impact.analysis import (
    Estimate,
    UnknownName,
    findings,
    impact_estimate,
    suppression,
    trends,
)
from impact.analysis import wording as words
from impact.auth import Actor, require
from impact.auth.rights import EXPORT, VIEW, VIEW_PARTNERSHIP, Export, Partnership
from impact.charts import Chart, event_study, trend, wording
from impact.charts import cpd as cpd_charts
from impact.charts import estimates as estimates_chart
from impact.charts import ofsted as ofsted_charts
from impact.domain import comparisons, ofsted
from impact.domain import measures as m
from impact.domain.academic_years import academic_year_of, parse_academic_year
from impact.domain.small_numbers import governor_rule, hidden_note, low_note
from impact.importing.formats import all_formats
from impact.reports import cpd as cpd_report
from impact.reports import glossary
from impact.reports import impact_to_date as impact
from impact.reports import ofsted as ofsted_report
from impact.reports import returns as returns_report
from impact.reports import years as year_range
from impact.store import Store

DEFAULT_MEASURE = "ks2_rwm_exp"  # the measure the pages open on
GROUP = "all"  # the governor view: the pack never breaks pupils into groups
COMPARISON = comparisons.DEFAULT
TERMS = ("likely range", "comparison", "effect size", "months' progress", "not randomised",
         "strength of evidence", "years before joining check", "bounce-back", "event study")


class PackRefused(ValueError):
    """A pack that cannot be made as asked (an unknown partnership, cohort, year or
    measure): the message says what there is to choose from."""


@dataclass(frozen=True)
class Source:
    """An upload or public file the pack's numbers rest on."""

    file_name: str
    what: str             # the kind of file, in words
    uploaded: dt.datetime
    rows: int             # rows of it in the store now
    years: str            # the academic years its rows cover ('' for none)


@dataclass(frozen=True)
class Section:
    """A part of the pack: a heading, plain paragraphs and charts (each with its sentence and
    table)."""

    heading: str
    paragraphs: tuple[str, ...]
    charts: tuple[Chart, ...]


@dataclass(frozen=True)
class Pack:
    partnership: str
    cohort: str | None
    measure: str
    period: str           # the years the charts over time show
    made: dt.datetime
    made_by: str
    sources: tuple[Source, ...]
    statements: tuple[impact.Statement, ...]
    estimates: tuple[Estimate, ...]
    sections: tuple[Section, ...]   # impact, Ofsted, CPD
    glossary: tuple[tuple[str, str], ...]
    method: tuple[str, ...]

    @property
    def place(self) -> str:
        return f"{self.cohort} ({self.partnership})" if self.cohort else self.partnership

    @property
    def title(self) -> str:
        return f"{self.place}: board pack"



def file_stem(partnership: str, cohort: str | None = None) -> str:
    """A file name for a pack, of letters, digits and dashes only (names are typed by
    people): 'kestrel-vale-academy-trust-board-pack'."""
    text = "".join(c if c.isalnum() else "-" for c in f"{partnership} {cohort or ''}".lower())
    return "-".join(p for p in text.split("-") if p)[:60] + "-board-pack"


def _choose(run: Callable[..., pd.DataFrame], partnership: str, cohort: str | None,
            year: str | None, measure: str | None
            ) -> tuple[pd.DataFrame, tuple[str, str] | None, str]:
    names = run("partnerships")["partnership"].tolist()
    if partnership not in names:
        raise PackRefused(f"There is no partnership called {partnership!r}. Choose one of: "
                          f"{', '.join(names) or 'none yet'}.")
    cohorts = run("cohorts", partnership=partnership)
    if cohort is not None and cohort not in set(cohorts["cohort"]):
        raise PackRefused(f"{partnership} has no cohort called {cohort!r}. Choose one of: "
                          f"{', '.join(cohorts['cohort']) or 'none yet'}.")
    if cohort is not None:
        cohorts = cohorts[cohorts["cohort"] == cohort].reset_index(drop=True)
    stored = run("academic_years")["academic_year"].tolist()
    years = (stored[0], stored[-1]) if stored else None
    if year is not None:
        wanted = parse_academic_year(year)
        if wanted is None or wanted not in stored:
            raise PackRefused(f"--year must be an academic year with figures, such as "
                              f"{stored[-1] if stored else '2023/24'}, not {year!r}. Years "
                              f"stored: {', '.join(stored) or 'none'}.")
        years = (stored[0], wanted)
    with_data = run("measures_with_data")["measure"].tolist()
    if measure is None:
        measure = DEFAULT_MEASURE if DEFAULT_MEASURE in with_data else \
            (with_data[0] if with_data else DEFAULT_MEASURE)
    elif measure not in m.BY_CODE:
        raise PackRefused(f"There is no measure {measure!r}. Choose one of: "
                          f"{', '.join(with_data) or ', '.join(m.BY_CODE)}.")
    return cohorts, years, measure


def sources(store: Store) -> tuple[Source, ...]:
    """Every upload and public file still standing whose rows are in the store."""
    labels = {code: fmt.label for code, fmt in all_formats().items()}
    found = store.run("pack_sources")
    out = []
    for row in found.itertuples():
        first, last = row.first_year, row.last_year
        years = "" if not isinstance(first, str) else (
            first if first == last else f"{first} to {last}")
        out.append(Source(str(row.file_name), labels.get(row.kind, str(row.kind)),
                          pd.Timestamp(row.uploaded_at).to_pydatetime(), int(row.rows_used),
                          years))
    return tuple(out)


def _estimates(store: Store, cohorts: pd.DataFrame, measure: str,
               made: Mapping[str, Estimate | str] | None = None) -> tuple[
        list[Estimate], list[str]]:
    """Each cohort's estimate, as `common.cohort_estimate` makes it with the pages' default
    pupils and comparison (taken from `made`, by cohort, when it is there: the same call's
    result, or the sentence a name that matches nothing gets); and a sentence for each the
    governor view cannot show."""
    shown, left_out = [], []
    for r in cohorts.itertuples():
        result = (made or {}).get(r.cohort)
        if result is None:
            try:
                result = impact_estimate(store, cohort=f"{r.partnership} / {r.cohort}",
                                         measure=measure, group=GROUP, comparison=COMPARISON,
                                         partnership=r.partnership)
            except UnknownName as error:
                result = str(error)
        if isinstance(result, str):
            left_out.append(f"{r.cohort}: {result}")
            continue
        if result.governor_view_allowed:
            shown.append(result)
        else:
            left_out.append(f"{r.cohort}: some years are about {governor_rule()}, too few "
                            "to show in a board pack.")
    return shown, left_out


def _main_chart(store: Store, partnership: str, cohort: str | None, measure: str,
                years: tuple[str, str] | None, subject_phrase: str, weighted: bool,
                trend_of: Callable[..., trends.Trend] | None = None) -> Chart | None:
    """The Overview's chart of one measure over time, against England and the local
    authority (its trend from `trend_of(measure, **arguments)` when given: the same call)."""
    arguments = {"group": GROUP, "partnership": partnership, "cohort": cohort,
                 "by": "year" if m.measure(measure).statutory else "term",
                 "comparisons": (comparisons.NATIONAL, comparisons.LOCAL_AUTHORITY)}
    found = trend_of(measure, **arguments) if trend_of is not None else \
        trends.trend(store, measure, **arguments)
    lines = trend.lines_from_trend(found.within(years))
    if not lines or lines[0].role != trend.SUBJECT or not lines[0].data["value"].notna().any():
        return None
    if not suppression.group_analysis_allowed(GROUP, lines[0].data["pupils"].tolist(),
                                              governor_view=True):
        return None
    return trend.trend_chart(measure, lines, subject_phrase=subject_phrase, group=GROUP,
                             title=words.trend_title(trend.finding(measure, lines)),
                             weighted=weighted, file_name=f"overview-{measure}-{GROUP}.csv")


def _ofsted(run: Callable[..., pd.DataFrame], partnership: str, cohort: str | None,
            place: str, members: pd.DataFrame, inspections: pd.DataFrame,
            first_only: bool = False) -> Section | None:
    """The Ofsted page's summary: the share good or outstanding beside schools in no
    partnership, and the grades under the newer frameworks (with `first_only`, only the
    first of these charts: all a meeting's screen shows)."""
    if inspections.empty:
        return None
    everyone = run("ofsted_overall_all")
    in_partnership = everyone["in_any_partnership"].astype(bool)
    comparison = "schools in no partnership"
    series = ofsted_report.good_or_better_by_year(everyone, {
        place: sorted(set(inspections["urn"])),
        comparison: sorted(set(everyone.loc[~in_partnership, "urn"]))})
    joined = {academic_year_of(d.date() if hasattr(d, "date") else d)
              for d in pd.to_datetime(members["joined_date"].dropna())}
    charts: list[Chart] = []
    if not series.empty and (series["schools"] > 0).any():
        charts.append(ofsted_charts.good_or_better_chart(
            series, subject=place, comparison=comparison,
            title=words.good_or_better_title(findings.good_or_better(
                series, subject=place, comparison=comparison)),
            joined_year=joined.pop() if len(joined) == 1 else None,
            subject_short=cohort or partnership))
    for framework in (ofsted.KEY_JUDGEMENTS, ofsted.REPORT_CARD):
        if first_only and charts:
            break
        latest = ofsted_report.latest_under(inspections, framework)
        counts = ofsted_report.grade_counts(latest, framework) if not latest.empty else latest
        if not counts.empty:
            charts.append(ofsted_charts.grade_counts_chart(
                counts, framework, title=words.grade_counts_title(findings.grade_counts(counts)),
                schools=len(latest), where=place,
                file_name=f"ofsted-{framework.code}-grades.csv"))
    schools = inspections["urn"].nunique()
    paragraph = (f"{len(inspections)} inspection{'s' if len(inspections) != 1 else ''} of "
                 f"{schools} school{'s' if schools != 1 else ''}. Ofsted has changed how it "
                 "grades schools and says the old and new grades cannot be compared, so each "
                 "way of grading is shown on its own.")
    return Section("Ofsted", (paragraph,), tuple(charts))


def _cpd(records: pd.DataFrame, where: str, first_only: bool = False) -> Section | None:
    """The CPD page's summary: hours by year and who took part, and staff's own ratings
    (with `first_only`, only the hours: all a meeting's screen shows)."""
    if records.empty:
        return None
    charts = [cpd_charts.hours_by_year_chart(
        records, title=words.hours_title(findings.hours_by_year(records)), where=where)]
    summary = cpd_report.self_assessment(records) if not first_only else pd.DataFrame()
    if not summary.empty:
        charts.append(cpd_charts.self_assessment_chart(
            summary, title=words.ratings_title(findings.self_ratings(summary)), where=where))
    return Section("CPD and working together", (
        "What staff did together, how many hours, and how they rated themselves before and "
        "after. These happen alongside results; they do not show that one caused the "
        "other.",), tuple(charts))


def method(measure: str, estimates: list[Estimate]) -> tuple[str, ...]:
    """How the numbers were made, in plain words, from the same vocabularies the pages use."""
    label = m.measure(measure).label
    comparison = comparisons.phrase(COMPARISON)
    draws = estimates[0].draws if estimates else None
    return (
        f"Impact is the change in the schools' results after they began working together "
        f"({label}), beyond the change that {comparison} saw over the same years. A rising "
        "line alone is not impact: results rose in many schools that did not join.",
        "Schools are lined up by the year they joined, not by the calendar, and each is "
        "compared with schools that had not yet joined at that time (difference-in-"
        "differences for schools joining at different times, Callaway and Sant'Anna).",
        "The years before joining are checked: if the schools were already moving "
        "differently from the comparison schools, the comparison is not fair, and the pack "
        "says so.",
        "The likely range is a 95% interval from a bootstrap that resamples whole schools"
        + (f" ({draws} draws, with a fixed seed: the same data give the same numbers)."
           if draws else "."),
        "Schools chose to work together; nobody picked them at random. So this is "
        "non-randomised evidence, and the strength-of-evidence score (0 to 5 padlocks) "
        "says how much weight each estimate can bear.",
        f"Small numbers: {hidden_note()} {low_note()} This pack is a governor view: nothing "
        f"about {governor_rule()} is broken out, and no figure is about a single pupil.",
        "Years with no national tests (2019/20 and 2020/21) are shown as gaps, never "
        "bridged by a line.",
    )


def build_pack(store: Store, actor: Actor, *, partnership: str, cohort: str | None = None,
               year: str | None = None, measure: str | None = None,
               today: dt.date | None = None, now: dt.datetime | None = None,
               estimates: Mapping[str, Estimate | str] | None = None,
               trend_of: Callable[..., trends.Trend] | None = None,
               run: Callable[..., pd.DataFrame] | None = None,
               for_screens: bool = False) -> Pack:
    """The board pack for a partnership (or one of its cohorts), as far as `actor` may see
    it; NotAllowed when they may not, PackRefused for a name or year that is not there.

    Results made already (the server makes the pages' defaults in the background) are taken
    rather than made again: `estimates`, each cohort's with the pack's measure, pupils and
    comparison, by cohort name; `trend_of(measure, **arguments)`, the trend for the chart over
    time; `run(name, **parameters)`, a named query's result (`store.run` unless given: the
    pages' cached one). `for_screens`: only what meeting mode's screens show (`impact.reports.meeting`):
    no statements, sources, cohorts chart, nor the charts after the first of Ofsted and CPD.
    """
    today = today or dt.date.today()
    run = run or store.run
    members_all = run("partnership_members")
    urns = frozenset(int(u) for u in members_all.loc[
        members_all["partnership"] == partnership, "urn"])
    require(actor, VIEW_PARTNERSHIP, Partnership(partnership, urns))
    require(actor, EXPORT, Export(VIEW))
    cohorts, years, measure = _choose(run, partnership, cohort, year, measure)

    where = {"partnership": partnership, "cohort": cohort}
    place = f"{cohort} ({partnership})" if cohort else partnership
    schools = int(run("partnership_schools_count", **where).iloc[0]["schools"])
    subject_phrase = wording.schools_phrase(schools, place)

    made, left_out = _estimates(store, cohorts, measure, estimates)
    main = _main_chart(store, partnership, cohort, measure, years, subject_phrase,
                       weighted=schools > 1, trend_of=trend_of)
    members = run("member_schools", **where)
    inspections = run("ofsted_inspections", **where)
    records = run("cpd_records", **where)
    now_members = returns_report.current_members(members, today)
    statements = () if for_screens else (
        impact.attainment_improved(made, main.title if main else None),
        impact.good_or_outstanding(now_members, inspections),
        impact.ofsted_improved(ofsted_report.before_and_now(members, inspections)),
        impact.schools_full(now_members),
        impact.staff_hours(records),
        impact.staff_confidence(records),
    )
    estimates = made

    impact_charts: list[Chart] = []
    if len(estimates) > 1 and not for_screens:
        focus = {r.cohort: r.focus or "" for r in cohorts.itertuples()}
        impact_charts.append(estimates_chart.cohorts_chart(
            estimates, title=words.cohorts_title(estimates, COMPARISON), comparison=COMPARISON,
            where=place, focus=focus,
            file_name=f"cohorts-{measure}-{COMPARISON}.csv"))
    for result in estimates:
        if result.event_study:
            impact_charts.append(event_study.event_study_chart(
                result, subject_phrase=wording.schools_phrase(
                    len(result.joining_schools), result.cohort),
                file_name=f"event-study-{result.cohort}-{measure}.csv"))
    if main is not None:
        impact_charts.append(main)
    sections = [Section("Results over time and against comparison schools", tuple(left_out),
                        tuple(impact_charts))]
    for part in (_ofsted(run, partnership, cohort, place, members, inspections,
                         first_only=for_screens),
                 _cpd(year_range.within(records, years), subject_phrase,
                      first_only=for_screens)):
        if part is not None:
            sections.append(part)

    return Pack(
        partnership=partnership, cohort=cohort, measure=measure,
        period=year_range.describe(years) or "no results yet",
        made=now or dt.datetime.now().replace(microsecond=0), made_by=actor.name,
        sources=() if for_screens else sources(store), statements=statements,
        estimates=tuple(estimates),
        sections=tuple(sections),
        glossary=tuple((term, glossary.explain(term)) for term in TERMS),
        method=method(measure, estimates))
