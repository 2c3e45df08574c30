"""Plain-English meanings for the few technical words the pages cannot avoid.

Each is one or two short sentences for a governor at a joint meeting (reading age about nine):
what the word means here, not a textbook definition. Pages show them beside the number they
explain and together in a "What the words mean" box.
"""

from __future__ import annotations

TERMS: dict[str, str] = {
    "likely range": (
        "With different pupils, a figure would come out a little different by chance. We are "
        "95% sure the true figure is inside the likely range. If the range for a difference "
        "includes 0, we cannot tell it apart from no difference at all."),
    "comparison": (
        "Schools that were not working together at the time, measured over the same years. "
        "Results everywhere go up and down; only the change beyond theirs can be put down "
        "to working together."),
    "effect size": (
        "How big the difference is compared with the usual spread between schools' results. "
        "It lets a difference in one measure be set beside a difference in another."),
    "months' progress": (
        "The Education Endowment Foundation turns an effect size into months of extra "
        "progress, so it can be set beside their Teaching and Learning Toolkit. It is a rough "
        "guide, always shown with the effect size it comes from."),
    "not randomised": (
        "Schools chose to work together; nobody picked them at random. So they may differ "
        "from other schools in ways the data do not show, and only a randomised trial could "
        "rule that out."),
    "strength of evidence": (
        "A score from 0 to 5, like the EEF's padlocks, for how much weight this estimate can "
        "bear: more schools, more years before and after joining, and a fair comparison earn "
        "more. Schools that chose to join can score at most 3."),
    "years before joining check": (
        "Before the schools joined, their results should have moved in step with the "
        "comparison schools. If they were already pulling apart, the comparison is not fair."),
    "bounce-back": (
        "A school that had an unusually bad year usually does better the next year anyway. "
        "If schools joined just after a bad year, some of their rise is this bounce-back "
        "(statisticians call it regression to the mean), not the partnership."),
    "event study": (
        "A chart that lines schools up by the year they joined rather than by the calendar, "
        "so schools that joined in different years can be seen together."),
}


def explain(term: str) -> str:
    return TERMS[term]
