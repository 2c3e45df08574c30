"""Vocabulary for CPD and collaboration activity, from the case studies.

Closed lists keep a partnership's returns comparable across schools and terms.
"""

from __future__ import annotations

ACTIVITIES: tuple[str, ...] = (
    "Peer review", "Review day", "Joint moderation", "Learning walk", "INSET",
    "Coaching", "Twilight session", "Governor training", "Lesson study", "Other",
)
STAFF_ROLES: tuple[str, ...] = (
    "Teachers", "Teaching assistants", "Leaders", "Governors", "Mixed",
)
SELF_ASSESSMENT_RANGE = (1.0, 5.0)


def _find(options: tuple[str, ...], value: object, synonyms: dict[str, str]) -> str | None:
    if value is None:
        return None
    key = " ".join(str(value).split()).lower()
    for option in options:
        if key == option.lower():
            return option
    return synonyms.get(key)


def find_activity(value: object) -> str | None:
    return _find(ACTIVITIES, value, {
        "peer reviews": "Peer review", "review days": "Review day", "moderation": "Joint moderation",
        "learning walks": "Learning walk", "inset day": "INSET", "shared inset": "INSET",
        "twilight": "Twilight session", "twilights": "Twilight session",
        "governors training": "Governor training"})


def find_role(value: object) -> str | None:
    return _find(STAFF_ROLES, value, {
        "teacher": "Teachers", "ta": "Teaching assistants", "tas": "Teaching assistants",
        "teaching assistant": "Teaching assistants", "leader": "Leaders",
        "senior leaders": "Leaders", "slt": "Leaders", "middle leaders": "Leaders",
        "governor": "Governors", "all staff": "Mixed", "mixed roles": "Mixed"})
