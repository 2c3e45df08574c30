"""Meeting mode's screens: one message each, made from the board pack (`impact.reports.pack`),
so a governor on the projector sees the pack's numbers and the pages' words.

Each screen has the active title, the chart, one plain sentence, what it is compared with and
how sure we can be, and a "questions to ask" line in the spirit of governor guidance: what
would we expect, compared with whom, how sure are we. Nothing is about a single pupil: the
pack is always the governor view.
"""

from __future__ import annotations

from dataclasses import dataclass

from impact.analysis import Estimate
from impact.charts import Chart
from impact.reports.pack import Pack


@dataclass(frozen=True)
class Screen:
    about: str           # what the screen is about: a cohort, the schools, Ofsted, CPD
    title: str
    sentence: str
    chart: Chart | None
    comparison: str      # compared with whom
    sureness: str        # the interval, or why there is none
    questions: str       # the "questions to ask" line
    no_chart: str = ""   # why there is no chart, when there is none


def _estimate_screen(result: Estimate, chart: Chart | None) -> Screen:
    said = result.words
    ev = result.evidence
    sure = (f"{said.value}, {said.span}. Strength of evidence: {ev.padlocks} of {ev.out_of} "
            f"({ev.label}).")
    return Screen(
        about=result.cohort, title=said.title, sentence=said.headline, chart=chart,
        comparison=said.comparison.removeprefix("Compared with "), sureness=sure,
        questions=(f"What would we have expected without working together? Are "
                   f"{result.comparison_label.lower()} like our schools? Is the likely range "
                   "narrow enough to act on?"),
        no_chart="" if chart is not None else
        f"No chart yet: {result.reason or 'too few results before and after joining'}.")


def _over_time(chart: Chart) -> Screen:
    return Screen(
        about="Results over time",
        title=chart.title, sentence=chart.what_it_shows, chart=chart,
        comparison="England and the local authority, over the same years.",
        sureness="One year's figure moves by chance, more so for a few schools; a rise here "
                 "is not impact on its own: see the difference against comparison schools.",
        questions="What would we expect: did results rise everywhere? Compared with whom: "
                  "how far above or below England are we, and is the gap changing? How sure "
                  "are we: how many schools and pupils is each point about?")


def _ofsted(chart: Chart) -> Screen:
    return Screen(
        about="Ofsted",
        title=chart.title, sentence=chart.what_it_shows, chart=chart,
        comparison="Schools in no partnership, under the same Ofsted framework.",
        sureness="Each bar is the likely range (95%) of the share good or outstanding: with "
                 "few schools it is wide, and one inspection can move the share a lot.",
        questions="What would we expect: were these schools already improving? Compared "
                  "with whom: schools in no partnership, on the same framework only. How "
                  "sure are we: how many schools were inspected, and when?")


def _cpd(chart: Chart) -> Screen:
    return Screen(
        about="CPD and working together",
        title=chart.title, sentence=chart.what_it_shows, chart=chart,
        comparison="The same schools in earlier years.",
        sureness="These are hours and ratings recorded by the schools, not an estimate: "
                 "they show what was done, not what it changed.",
        questions="What would we expect this time and effort to change, and when? Compared "
                  "with whom: the same schools before. How sure are we: did the results "
                  "move as well, against comparison schools?")


def screens(pack: Pack) -> list[Screen]:
    """The pack's messages, one per screen: each cohort's estimate with its event study, the
    measure over time, Ofsted, then CPD."""
    impact_section, *others = pack.sections
    studies = {c.file_name: c for c in impact_section.charts}
    out = [_estimate_screen(e, studies.get(f"event-study-{e.cohort}-{pack.measure}.csv"))
           for e in pack.estimates]
    main = [c for c in impact_section.charts if c.file_name.startswith("overview-")]
    out.extend(_over_time(c) for c in main)
    for section in others:
        if section.heading == "Ofsted" and section.charts:
            out.append(_ofsted(section.charts[0]))
        elif section.charts:
            out.append(_cpd(section.charts[0]))
    return out
