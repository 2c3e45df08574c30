"""The words that travel with a chart: one plain sentence, and the wrapping of labels.

Titles that state a finding are made in `impact.analysis.wording` from a typed result of the
analysis (`trend_title` is re-exported here for the pages that import it from charts); charts
take them as given. Sentences aim at a reading age of about nine: short words, no jargon,
what each line is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from impact.analysis.wording import trend_description, trend_title
from impact.charts.base import word_count
from impact.domain import measures as m

__all__ = ["GROUP_PHRASES", "PLAIN", "first_fitting", "list_words", "plain_measure",
           "schools_phrase", "short_name", "trend_description", "trend_sentence", "trend_title",
           "wrap"]

MAX_TITLE_WORDS = 10

# What one point of each measure is, in plain words (the sentence "Each dot shows …").
PLAIN: dict[str, str] = {
    "ks2_rwm_exp": "how many Year 6 pupils in every 100 reached the expected standard in "
                   "reading, writing and maths",
    "ks2_rwm_high": "how many Year 6 pupils in every 100 reached the higher standard in "
                    "reading, writing and maths",
    "ks2_read_score": "the average Year 6 reading test score (100 is the expected standard)",
    "ks2_mat_score": "the average Year 6 maths test score (100 is the expected standard)",
    "ks2_read_progress": "how much progress Year 6 pupils made in reading compared with "
                         "similar pupils (0 is average)",
    "ks2_writ_progress": "how much progress Year 6 pupils made in writing compared with "
                         "similar pupils (0 is average)",
    "ks2_mat_progress": "how much progress Year 6 pupils made in maths compared with similar "
                        "pupils (0 is average)",
    "eyfs_gld": "how many Reception children in every 100 reached a good level of development",
    "phonics_y1": "how many Year 1 pupils in every 100 met the phonics standard",
    "ks1_rwm_exp": "how many Year 2 pupils in every 100 reached the expected standard in "
                   "reading, writing and maths",
    "ks4_att8": "the average Attainment 8 score of Year 11 pupils (their best eight GCSEs)",
    "ks4_p8": "how much progress Year 11 pupils made compared with similar pupils (0 is "
              "average)",
    "ks4_basics_94": "how many Year 11 pupils in every 100 got grade 4 or above in English and "
                     "maths",
    "ks4_basics_95": "how many Year 11 pupils in every 100 got grade 5 or above in English and "
                     "maths",
    "ta_reading": "how many pupils in every 100 their teachers judged on track in reading",
    "ta_writing": "how many pupils in every 100 their teachers judged on track in writing",
    "ta_maths": "how many pupils in every 100 their teachers judged on track in maths",
}

GROUP_PHRASES: dict[str, str] = {
    "disadvantaged": "disadvantaged pupils",
    "not_disadvantaged": "pupils who are not disadvantaged",
    "send": "pupils with special educational needs (SEND)",
    "eal": "pupils who speak English as an additional language",
    "boys": "boys",
    "girls": "girls",
}


def plain_measure(code: str) -> str:
    return PLAIN.get(code, m.measure(code).label[0].lower() + m.measure(code).label[1:])


def short_name(code: str) -> str:
    """The measure's short label without a trailing % sign: 'RWM expected'."""
    return m.short_name(code)


def first_fitting(candidates: Sequence[str], limit: int = MAX_TITLE_WORDS) -> str:
    """The first candidate of `limit` words or fewer (the last one if none fits)."""
    for text in candidates:
        if word_count(text) <= limit:
            return text
    return candidates[-1]


def trend_sentence(code: str, subject_phrase: str, *, national: bool, local: str | None,
                   group: str = "all", termly: bool = False,
                   comparison: str | None = None) -> str:
    """One sentence: what a dot is, and what each line is (by style, not colour)."""
    lines = [f"the solid line is {subject_phrase}"]
    if comparison:
        lines.append(f"the dash-dot line is {comparison}")
    if national:
        lines.append("the dashed line is all of England")
    if local:
        lines.append(f"the dotted line is all schools in {local}")
    joined = lines[0] if len(lines) == 1 else ", ".join(lines[:-1]) + " and " + lines[-1]
    when = "one term" if termly else "one year"
    start = f"For {GROUP_PHRASES[group]}, each" if group in GROUP_PHRASES else "Each"
    return f"{start} dot shows {plain_measure(code)} in {when}: {joined}."


def schools_phrase(count: int, where: str | None) -> str:
    """'the 3 schools in Test Trust', 'the school', 'the 12 schools in the store'."""
    place = f"in {where}" if where else "in the store"
    if count == 1:
        return f"the one school {place}"
    return f"the {count} schools {place}"


def list_words(items: Sequence[str], formatter: Callable[[str], str] = str) -> str:
    """'a', 'a and b', 'a, b and c'."""
    words = [formatter(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def wrap(text: str, width: int = 16) -> str:
    """Break a label into lines of about `width` characters, joined by <br> for Plotly."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return "<br>".join(lines)
