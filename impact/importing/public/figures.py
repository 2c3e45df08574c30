"""Published figures read a whole column (or matrix) at a time: numbers, percentages, codes.

A national performance table is some 16,000 schools by 300 columns, so cells are never
parsed one by one: the distinct raw values (a few thousand) are each read once and the
result is spread back with numpy indexing.

What a cell can hold, as the DfE and the Government Statistical Service publish it:
- a number (`106`, `1.7`, `-0.3`, `1,234`) or a percentage (`78%`, `5.30%` -> 78, 5.3);
- a code for "no value, for this reason": `SUPP`, `NE`, `NA`, `NP`, `NEW`, `LOWCOV`, `SP`,
  `RE` (performance tables), `c`, `x`, `z`, `low`, `u` (statistics), or a lone space
  (code `BLANK`); see `impact.domain.missing_values`. These are never read as 0;
- nothing at all (an empty cell, or a field missing from a ragged row): no figure, no row.
Anything else is unreadable and is reported with its row and column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from impact.domain import missing_values

EXPECTED = ("a number, a percentage such as 78%, or a code that says why there is no value "
            "(SUPP, NE, NA, NP, NEW, LOWCOV, SP, RE, c, x, z, low)")


@dataclass
class Figures:
    """Parallel arrays, one entry per cell read."""

    value: np.ndarray  # float64; NaN where the cell holds no number
    note: np.ndarray  # object; the missing-value code, else None
    present: np.ndarray  # bool; the cell says something (a number or a code)
    bad: np.ndarray  # bool; the cell cannot be read

    def whole(self) -> np.ndarray:
        """The numbers as nullable whole numbers (pandas Int64); others <NA>."""
        values = self.value
        ok = np.isfinite(values) & (np.floor(values) == values) & (values >= 0)
        out = pd.array(np.where(ok, values, 0).astype(np.int64), dtype="Int64")
        out[~ok] = pd.NA
        return out


_EMPTY, _NUMBER, _CODE, _BAD = 0, 1, 2, 3


def _classify(raw: object) -> tuple[int, float, str | None]:
    if raw is None:
        return _EMPTY, math.nan, None
    if isinstance(raw, bool):
        return _BAD, math.nan, None
    if isinstance(raw, int | float | np.integer | np.floating):
        number = float(raw)
        if math.isnan(number):
            return _EMPTY, math.nan, None
        return (_NUMBER, number, None) if math.isfinite(number) else (_BAD, math.nan, None)
    text = str(raw)
    if text == "":
        return _EMPTY, math.nan, None
    if text.strip() == "":
        return _CODE, math.nan, "BLANK"
    code = missing_values.find_code(text)
    if code is not None:
        return _CODE, math.nan, code
    cleaned = text.strip().replace(",", "").replace("\u2212", "-")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].strip()
    try:
        number = float(cleaned)
    except ValueError:
        return _BAD, math.nan, None
    if not math.isfinite(number) or cleaned.lower() in ("nan", "inf", "-inf", "infinity"):
        return _BAD, math.nan, None
    return _NUMBER, number, None


def read_figures(raw: np.ndarray) -> Figures:
    """Read every cell of `raw` (any shape; the result is flat, in C order)."""
    flat = pd.Series(np.asarray(raw, dtype=object).ravel(), dtype=object)
    codes, uniques = pd.factorize(flat, use_na_sentinel=True)
    classified = [_classify(u) for u in uniques] + [(_EMPTY, math.nan, None)]
    index = np.where(codes < 0, len(uniques), codes)
    kinds = np.array([c[0] for c in classified], dtype=np.int8)[index]
    values = np.array([c[1] for c in classified], dtype=np.float64)[index]
    notes = np.array([c[2] for c in classified], dtype=object)[index]
    return Figures(values, notes, (kinds == _NUMBER) | (kinds == _CODE), kinds == _BAD)
