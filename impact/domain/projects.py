"""Vocabulary for improvement projects (case study 003, "Developing Leadership through
Partnership"): a school names an area of need, a colleague from a partner school takes it on,
collects data (lesson observations, interviews, policies), and presents findings and an action
plan to the host school's senior team.

The areas are the case study's own list; "Other" covers the rest ("the list is endless"), and
a project's title says what exactly.
"""

from __future__ import annotations

AREAS: tuple[str, ...] = (
    "Quality of feedback", "Homework provision", "Supporting disadvantaged children",
    "Pastoral systems", "Digital technology", "CPD provision", "Supporting the top end",
    "Wellbeing review", "Curriculum subject review", "Year group review", "Other",
)

PROPOSED, UNDER_WAY, PRESENTED, COMPLETED, STOPPED = (
    "Proposed", "Under way", "Findings presented", "Completed", "Stopped")
STATUSES: tuple[str, ...] = (PROPOSED, UNDER_WAY, PRESENTED, COMPLETED, STOPPED)
# Statuses of a project that has started: its host's results from the start date on count as
# "after" in its event-time line.
STARTED: tuple[str, ...] = (UNDER_WAY, PRESENTED, COMPLETED, STOPPED)


def _find(options: tuple[str, ...], value: object, synonyms: dict[str, str]) -> str | None:
    if value is None:
        return None
    key = " ".join(str(value).split()).lower()
    for option in options:
        if key == option.lower():
            return option
    return synonyms.get(key)


def find_area(value: object) -> str | None:
    return _find(AREAS, value, {
        "feedback": "Quality of feedback", "marking and feedback": "Quality of feedback",
        "homework": "Homework provision", "disadvantaged": "Supporting disadvantaged children",
        "disadvantaged pupils": "Supporting disadvantaged children",
        "pastoral": "Pastoral systems", "digital": "Digital technology",
        "technology": "Digital technology", "cpd": "CPD provision",
        "more able": "Supporting the top end", "most able": "Supporting the top end",
        "top end": "Supporting the top end", "wellbeing": "Wellbeing review",
        "well-being review": "Wellbeing review", "subject review": "Curriculum subject review",
        "curriculum": "Curriculum subject review", "year group": "Year group review"})


def find_status(value: object) -> str | None:
    return _find(STATUSES, value, {
        "planned": PROPOSED, "proposal": PROPOSED, "not started": PROPOSED,
        "in progress": UNDER_WAY, "underway": UNDER_WAY, "started": UNDER_WAY,
        "ongoing": UNDER_WAY, "presented": PRESENTED, "done": COMPLETED,
        "complete": COMPLETED, "finished": COMPLETED, "withdrawn": STOPPED,
        "cancelled": STOPPED, "abandoned": STOPPED})
