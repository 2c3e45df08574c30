"""The words that travel with a chart: active titles and one plain sentence.

Titles say the finding in ten words or fewer and are computed from the plotted numbers, so a
new upload changes them. Sentences aim at a reading age of about nine: short words, no
jargon, what each line is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from impact.charts.base import word_count
from impact.charts.numbers import decimals, format_number
from impact.domain import measures as m

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

# How close two changes must be (in the measure's own units) to say "like England".
_LIKE_TOLERANCE = {m.PERCENT: 1.0, m.SCORE: 0.5, m.PROGRESS: 0.1}


def plain_measure(code: str) -> str:
    return PLAIN.get(code, m.measure(code).label[0].lower() + m.measure(code).label[1:])


def short_name(code: str) -> str:
    """The measure's short label without a trailing % sign: 'RWM expected'."""
    short = m.measure(code).short
    return short[:-2] if short.endswith(" %") else short


def first_fitting(candidates: Sequence[str], limit: int = MAX_TITLE_WORDS) -> str:
    """The first candidate of `limit` words or fewer (the last one if none fits)."""
    for text in candidates:
        if word_count(text) <= limit:
            return text
    return candidates[-1]


def _amount(change: float, unit: str) -> str:
    places = decimals(unit)
    size = round(abs(change), places)
    number = f"{size:.{places}f}"
    return f"{number} point" if size == 1 else f"{number} points"


def _rounded(change: float, unit: str) -> float:
    return round(change, decimals(unit))


def _verb(change: float, unit: str) -> str:
    rounded = _rounded(change, unit)
    if rounded > 0:
        return "rose"
    if rounded < 0:
        return "fell"
    return "held steady"


def _moved(change: float, unit: str, *, points: bool = True) -> str:
    """'rose 4 points', 'fell 1 point' or 'held steady' ('rose 4' without `points`)."""
    verb = _verb(change, unit)
    if verb == "held steady":
        return verb
    amount = _amount(change, unit)
    return f"{verb} {amount if points else amount.split()[0]}"


def trend_title(code: str, labels: Sequence[str], subject: Sequence[float | None],
                comparison: Sequence[float | None] | None, era: Sequence[int],
                comparison_name: str = "England") -> str:
    """An active title from the plotted numbers, within the latest comparable stretch.

    `labels`, `subject`, `comparison` and `era` are aligned by period; periods in different
    eras (either side of a series break) are never compared with each other.
    """
    unit = m.measure(code).unit
    name = short_name(code)
    plotted = [i for i, v in enumerate(subject) if v is not None]
    if not plotted:
        return first_fitting([f"No {name} figures to show yet", "No figures to show yet"])
    last = plotted[-1]
    first = next(i for i in plotted if era[i] == era[last])
    other = list(comparison) if comparison is not None else [None] * len(subject)
    if first < last:
        change = subject[last] - subject[first]
        moved = f"{name} {_moved(change, unit)}"
        since = f"since {labels[first]}"
        candidates = []
        if other[first] is not None and other[last] is not None:
            theirs = other[last] - other[first]
            like = (_verb(change, unit) == _verb(theirs, unit)
                    and abs(change - theirs) <= _LIKE_TOLERANCE.get(unit, 0.5))
            clause = (f"like {comparison_name}" if like
                      else f"{comparison_name} {_moved(theirs, unit, points=False)}")
            sep = ", " if like else "; "
            candidates += [f"{moved} {since}{sep}{clause}", f"{moved}{sep}{clause}"]
        candidates += [f"{moved} {since}", moved]
        return first_fitting(candidates)
    value = subject[last]
    at = f"in {labels[last]}"
    candidates = []
    if other[last] is not None:
        gap = value - other[last]
        if _rounded(gap, unit) == 0:
            candidates.append(f"{name} level with {comparison_name} {at}")
        else:
            side = "above" if gap > 0 else "below"
            candidates.append(f"{name} {_amount(gap, unit)} {side} {comparison_name} {at}")
    candidates += [f"{name} was {format_number(value, unit)} {at}",
                   f"{name}: {format_number(value, unit)}"]
    return first_fitting(candidates)


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
