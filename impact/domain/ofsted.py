"""Ofsted's three inspection frameworks, each with its own areas and grading scale.

Ofsted says the frameworks are not comparable, so grades are stored on the scale they were
given in and never mapped onto one another. The framework follows from the inspection date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FOUR_POINT = ("Outstanding", "Good", "Requires improvement", "Inadequate")
FIVE_POINT = ("Exceptional", "Strong standard", "Expected standard", "Needs attention",
              "Urgent improvement")
EFFECTIVE = ("Yes", "No")  # "Safeguarding is effective?" before report cards
MET = ("Met", "Not met")  # report-card safeguarding standards

NOT_GRADED = "Not judged"


@dataclass(frozen=True)
class Area:
    code: str
    label: str


AREAS: dict[str, Area] = {a.code: a for a in (
    Area("overall_effectiveness", "Overall effectiveness"),
    Area("quality_of_education", "Quality of education"),
    Area("behaviour_and_attitudes", "Behaviour and attitudes"),
    Area("personal_development", "Personal development"),
    Area("leadership_and_management", "Leadership and management"),
    Area("early_years", "Early years"),
    Area("sixth_form", "Sixth form"),
    Area("inclusion", "Inclusion"),
    Area("curriculum_and_teaching", "Curriculum and teaching"),
    Area("achievement", "Achievement"),
    Area("attendance_and_behaviour", "Attendance and behaviour"),
    Area("personal_development_and_wellbeing", "Personal development and wellbeing"),
    Area("leadership_and_governance", "Leadership and governance"),
    Area("post_16", "Post-16"),
    Area("safeguarding", "Safeguarding"),
)}


@dataclass(frozen=True)
class Framework:
    code: str
    label: str
    first_day: dt.date | None
    last_day: dt.date | None
    scales: dict[str, tuple[str, ...]]  # area code -> that area's grades, best first

    def covers(self, day: dt.date) -> bool:
        return ((self.first_day is None or day >= self.first_day)
                and (self.last_day is None or day <= self.last_day))

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(self.scales)


_KEY_JUDGEMENTS = ("quality_of_education", "behaviour_and_attitudes", "personal_development",
                   "leadership_and_management", "early_years", "sixth_form")
_REPORT_CARD = ("inclusion", "curriculum_and_teaching", "achievement",
                "attendance_and_behaviour", "personal_development_and_wellbeing",
                "leadership_and_governance", "early_years", "post_16")

GRADED = Framework(
    "graded", "Graded inspections with an overall grade (to 1 September 2024)",
    None, dt.date(2024, 9, 1),
    {"overall_effectiveness": FOUR_POINT, **{a: FOUR_POINT for a in _KEY_JUDGEMENTS},
     "safeguarding": EFFECTIVE},
)
KEY_JUDGEMENTS = Framework(
    "key_judgements", "Key judgements, no overall grade (2 September 2024 to 9 November 2025)",
    dt.date(2024, 9, 2), dt.date(2025, 11, 9),
    {**{a: FOUR_POINT for a in _KEY_JUDGEMENTS}, "safeguarding": EFFECTIVE},
)
REPORT_CARD = Framework(
    "report_card", "Report cards (from 10 November 2025)",
    dt.date(2025, 11, 10), None,
    {**{a: FIVE_POINT for a in _REPORT_CARD}, "safeguarding": MET},
)

FRAMEWORKS: dict[str, Framework] = {f.code: f for f in (GRADED, KEY_JUDGEMENTS, REPORT_CARD)}


def framework_for(day: dt.date) -> Framework:
    """The framework an inspection on this date was carried out under."""
    for framework in FRAMEWORKS.values():
        if framework.covers(day):
            return framework
    raise ValueError(f"no Ofsted framework covers {day}")  # unreachable: the ranges tile time


def find_framework(text: object) -> Framework | None:
    """A framework named by its code or label, in any case; None if unknown."""
    if text is None:
        return None
    key = " ".join(str(text).split()).lower()
    for f in FRAMEWORKS.values():
        if key in (f.code, f.code.replace("_", " "), f.label.lower()):
            return f
    aliases = {"report card": REPORT_CARD, "report cards": REPORT_CARD, "rcf": REPORT_CARD,
               "eif": GRADED, "oeif": GRADED, "graded inspection": GRADED,
               "key judgements only": KEY_JUDGEMENTS}
    return aliases.get(key)


def parse_grade(value: object, scale: tuple[str, ...]) -> str | None:
    """The grade label on `scale` for a label or number (1 = best), or None if not graded.

    Raises ValueError with the allowed grades when the value is on no known reading of the scale.
    Grade 9, `Not judged`, `NULL` and blanks mean the area was not graded.
    """
    if value is None:
        return None
    text = " ".join(str(value).split())
    if text.endswith(".0"):
        text = text[:-2]
    if text == "" or text.lower() in ("9", "not judged", "not graded", "null", "n/a", "na",
                                      "not applicable", "-"):
        return None
    for label in scale:
        if text.lower() == label.lower():
            return label
    if scale in (FOUR_POINT, FIVE_POINT) and text.isdigit() and 1 <= int(text) <= len(scale):
        return scale[int(text) - 1]
    if scale is FIVE_POINT:
        short = {"strong": "Strong standard", "expected": "Expected standard"}
        if text.lower() in short:
            return short[text.lower()]
    if scale is FOUR_POINT and text.lower() == "requires improvement to be good":
        return "Requires improvement"
    raise ValueError(", ".join(scale))


def grade_rank(scale: tuple[str, ...], label: str) -> int:
    """1 for the best grade on its scale, counting down the scale."""
    return scale.index(label) + 1
