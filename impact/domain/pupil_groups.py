"""Pupil groups an attainment figure can describe.

Governor views show no group smaller than 11 pupils, so every figure carries its group's size.
"""

from __future__ import annotations

PUPIL_GROUPS: dict[str, str] = {
    "all": "All pupils",
    "disadvantaged": "Disadvantaged",
    "not_disadvantaged": "Not disadvantaged",
    "send": "SEND",
    "eal": "EAL",
    "boys": "Boys",
    "girls": "Girls",
}

_SYNONYMS = {
    "all": "all", "everyone": "all", "whole cohort": "all", "all pupils": "all",
    "pp": "disadvantaged", "pupil premium": "disadvantaged", "fsm6cla1a": "disadvantaged",
    "non-disadvantaged": "not_disadvantaged", "not disadvantaged": "not_disadvantaged",
    "non disadvantaged": "not_disadvantaged", "other": "not_disadvantaged",
    "notfsm6cla1a": "not_disadvantaged",
    "sen": "send", "special educational needs": "send",
    "english as an additional language": "eal",
    "male": "boys", "boy": "boys", "b": "boys",
    "female": "girls", "girl": "girls", "g": "girls",
}


def group_label(code: str) -> str:
    return PUPIL_GROUPS.get(code, code)


def find_group(text: object) -> str | None:
    """The group code for a label, code or common synonym, in any case; None if unknown."""
    if text is None:
        return None
    key = " ".join(str(text).split()).lower()
    for code, label in PUPIL_GROUPS.items():
        if key in (code, label.lower()):
            return code
    return _SYNONYMS.get(key)
