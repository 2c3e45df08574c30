"""How one figure is shown on a chart or in its table, by the small-numbers rules.

The rules themselves (hide 5 pupils or fewer as `c`, flag 6 to 10, GSS symbols for missing
values, never 0) live in `impact.analysis.suppression`; this module adds what a chart needs on
top: the number of decimals per unit, a `+` on progress scores, and None (a gap) to draw.
"""

from __future__ import annotations

import math
from typing import Any

from impact.analysis import suppression
from impact.domain import measures as m

SUPPRESSED = "c"


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def is_missing(value: Any) -> bool:
    """True for None, NaN, pandas' NA and anything that is not a number."""
    return _number(value) is None


def is_small_group(pupils: Any) -> bool:
    """True when a figure is about too few pupils to show (5 or fewer)."""
    return suppression.reliability(_number(pupils)) == suppression.HIDDEN


def is_low_reliability(pupils: Any) -> bool:
    """True for 6 to 10 pupils: shown, but flagged and never ranked."""
    return suppression.reliability(_number(pupils)) == suppression.LOW


def decimals(unit: str) -> int:
    """Places to show: whole percentages (as the DfE publishes them), one for scores, two for
    progress scores, which are small numbers either side of zero."""
    return m.places(unit)


def format_number(value: float, unit: str) -> str:
    text = suppression.format_number(float(value), decimals(unit),
                                     "%" if unit == m.PERCENT else "")
    if unit == m.PROGRESS and round(float(value), decimals(unit)) > 0:
        text = "+" + text
    return text


def plotted(value: Any, pupils: Any) -> float | None:
    """The number to draw, or None (a gap) when it is missing or about too few pupils."""
    number = _number(value)
    if number is None or is_small_group(pupils):
        return None
    return number


def shown(value: Any, note: Any, pupils: Any, unit: str) -> str:
    """The text for a table cell: the figure, `c` for a small group, or the missing symbol."""
    number = _number(value)
    text = suppression.display(number, _number(pupils), note if isinstance(note, str) else None,
                               decimals(unit), "%" if unit == m.PERCENT else "")
    if number is not None and text not in (SUPPRESSED,) and unit == m.PROGRESS \
            and round(number, decimals(unit)) > 0:
        text = "+" + text
    return text


def pupils_text(pupils: Any) -> str:
    number = _number(pupils)
    return "" if number is None else f"{int(number):,}"
