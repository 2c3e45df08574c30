"""The attainment measures the product knows, with their units, ranges and series breaks.

A measure is stored by its code and shown by its label. Its unit decides how values are read
(percentages accept `45%`, `45` or `0.45`), which effect size applies, and whether a zero
baseline makes sense on a chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from impact.domain.academic_years import start_year

PERCENT = "percent"
SCORE = "score"
PROGRESS = "progress"


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    unit: str
    minimum: float
    maximum: float
    statutory: bool
    phase: str  # "Primary" or "Secondary": which schools report it
    short: str  # a few words, for chart axes and tiles
    higher_is_better: bool = True

    @property
    def is_percent(self) -> bool:
        return self.unit == PERCENT


MEASURES: tuple[Measure, ...] = (
    Measure("ks2_rwm_exp", "KS2 reading, writing and maths: % at expected standard", PERCENT,
            0, 100, True, "Primary", "RWM expected %"),
    Measure("ks2_rwm_high", "KS2 reading, writing and maths: % at higher standard", PERCENT,
            0, 100, True, "Primary", "RWM higher %"),
    Measure("ks2_read_score", "KS2 reading: average scaled score", SCORE, 80, 120, True,
            "Primary", "Reading score"),
    Measure("ks2_mat_score", "KS2 maths: average scaled score", SCORE, 80, 120, True,
            "Primary", "Maths score"),
    Measure("ks2_read_progress", "KS2 reading progress score", PROGRESS, -30, 30, True,
            "Primary", "Reading progress"),
    Measure("ks2_writ_progress", "KS2 writing progress score", PROGRESS, -30, 30, True,
            "Primary", "Writing progress"),
    Measure("ks2_mat_progress", "KS2 maths progress score", PROGRESS, -30, 30, True,
            "Primary", "Maths progress"),
    Measure("eyfs_gld", "EYFS: % reaching a good level of development", PERCENT, 0, 100, True,
            "Primary", "Good level of development %"),
    Measure("phonics_y1", "Year 1 phonics check: % meeting the standard", PERCENT, 0, 100, True,
            "Primary", "Phonics %"),
    Measure("ks1_rwm_exp", "KS1 reading, writing and maths: % at expected standard", PERCENT,
            0, 100, True, "Primary", "KS1 RWM %"),
    Measure("ks4_att8", "KS4 Attainment 8 score", SCORE, 0, 90, True, "Secondary",
            "Attainment 8"),
    Measure("ks4_p8", "KS4 Progress 8 score", PROGRESS, -5, 5, True, "Secondary", "Progress 8"),
    Measure("ks4_basics_94", "KS4 % grade 4 or above in English and maths", PERCENT, 0, 100,
            True, "Secondary", "English & maths 4+ %"),
    Measure("ks4_basics_95", "KS4 % grade 5 or above in English and maths", PERCENT, 0, 100,
            True, "Secondary", "English & maths 5+ %"),
    Measure("ta_reading", "Teacher assessment: % on track in reading", PERCENT, 0, 100, False,
            "Primary", "On track: reading %"),
    Measure("ta_writing", "Teacher assessment: % on track in writing", PERCENT, 0, 100, False,
            "Primary", "On track: writing %"),
    Measure("ta_maths", "Teacher assessment: % on track in maths", PERCENT, 0, 100, False,
            "Primary", "On track: maths %"),
)

BY_CODE: dict[str, Measure] = {m.code: m for m in MEASURES}


def measure(code: str) -> Measure:
    """The measure with this code; KeyError names the code if there is none."""
    return BY_CODE[code]


def find_measure(text: object) -> Measure | None:
    """A measure named by its code, label or short label, in any case; None if unknown."""
    if text is None:
        return None
    key = " ".join(str(text).split()).lower()
    for m in MEASURES:
        if key in (m.code.lower(), m.label.lower(), m.short.lower()):
            return m
    return None


# Places to show per unit: whole percentages (as the DfE publishes them), one for scores, two
# for progress scores, which are small numbers either side of zero.
PLACES = {PERCENT: 0, SCORE: 1, PROGRESS: 2}


def places(unit: str) -> int:
    return PLACES.get(unit, 1)


def short_name(code: str) -> str:
    """The measure's short label without a trailing % sign, for titles: 'RWM expected'."""
    short = measure(code).short
    return short[:-2] if short.endswith(" %") else short


def scale_text(code: str) -> str:
    """The measure's whole range in words: '0% to 100%', '80 to 120'."""
    m = measure(code)
    suffix = "%" if m.is_percent else ""
    return f"{m.minimum:g}{suffix} to {m.maximum:g}{suffix}".replace("-", "−")


# --- series breaks -------------------------------------------------------------------------

_NO_STATUTORY = {2019: "no statutory assessments in 2019/20 (COVID-19)",
                 2020: "no statutory assessments in 2020/21 (COVID-19)"}


def missing_reason(code: str, academic_year: str) -> str | None:
    """Why a statutory measure has no national results for a year, or None if it should have.

    A chart must leave a gap for these years rather than draw a line across them.
    """
    m = BY_CODE.get(code)
    if m is None or not m.statutory:
        return None
    year = start_year(academic_year)
    if year in _NO_STATUTORY:
        return _NO_STATUTORY[year]
    if code.startswith("ks2_") and code.endswith("_progress") and year in (2023, 2024):
        return f"no KS2 progress scores for {academic_year} (no KS1 baseline for this cohort)"
    if code == "ks4_p8" and year in (2024, 2025):
        return f"no Progress 8 for {academic_year} (no KS2 baseline for this cohort)"
    if code == "ks1_rwm_exp" and year >= 2023:
        return "KS1 assessment has not been statutory since 2023/24"
    return None


def not_comparable(code: str, earlier: str, later: str) -> str | None:
    """Why two years of a statutory measure should not be joined by a line, or None.

    2021/22 results are not comparable with 2018/19, and nothing crosses the COVID years.
    """
    m = BY_CODE.get(code)
    if m is None or not m.statutory:
        return None
    a, b = sorted((start_year(earlier), start_year(later)))
    if a <= 2018 and b >= 2021:
        return "results from 2021/22 on are not comparable with 2018/19 and before"
    return None
