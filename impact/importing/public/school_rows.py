"""Schools named in a public file, as rows for the `schools` table, and URNs read column-wide.

A performance table or an Ofsted file names thousands of schools a trust has not set up. They
are added (URN, name, phase, type, local authority) so that they can serve as comparison
schools and so that no figure or membership is left without its school; but a school already
in the store keeps the details the trust gave it: only URNs not in `Context.schools` are
added by these formats.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impact.importing.kinds.base import Context
from impact.importing.kinds.schools import PHASES
from impact.importing.layout import ROW
from impact.importing.public.published import as_text

SCHOOL_COLUMNS = ["urn", "name", "phase", "school_type", "local_authority", "pupils",
                  "capacity"]

_PHASES = {p.casefold(): p for p in PHASES} | {
    "middle deemed primary": "Middle", "middle deemed secondary": "Middle",
    "all through": "All-through", "16+": "16 plus", "pru": "Not applicable",
    "not applicable": "Not applicable", "infant": "Primary", "junior": "Primary",
    "first": "Primary", "special": "Special",
}


def phase(text: object, school_type: object = None) -> str | None:
    """A phase on the product's list from GIAS's or Ofsted's wording; special schools by type."""
    kind = "" if school_type is None else str(school_type).casefold()
    if "special" in kind and "not special" not in kind:
        return "Special"
    if text is None:
        return None
    return _PHASES.get(" ".join(str(text).split()).casefold())


def phases(texts: np.ndarray, types: np.ndarray | None = None) -> np.ndarray:
    types = np.full(len(texts), None, dtype=object) if types is None else types
    pairs = pd.Series(list(zip(texts.tolist(), types.tolist(), strict=True)), dtype=object)
    codes, uniques = pd.factorize(pairs)
    mapped = np.array([phase(t or None, k) for t, k in uniques] + [None], dtype=object)
    return mapped[np.where(codes < 0, len(uniques), codes)]


def read_urns(values: np.ndarray) -> tuple[pd.arrays.IntegerArray, np.ndarray, np.ndarray]:
    """URNs read from text such as `103120` or `103120.0`.

    Returns (URNs as Int64 with <NA> where there is none, blank mask, unreadable mask).
    """
    text = as_text(values)
    blank = text == ""
    numbers = pd.to_numeric(pd.Series(text, dtype=object).where(~blank), errors="coerce")
    numbers = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    ok = np.isfinite(numbers) & (np.floor(numbers) == numbers) & (numbers >= 100000) \
        & (numbers <= 999999)
    urns = pd.array(np.where(ok, numbers, 0).astype(np.int64), dtype="Int64")
    urns[~ok] = pd.NA
    return urns, blank, ~blank & ~ok


def read_counts(values: np.ndarray, maximum: int = 10000) -> pd.arrays.IntegerArray:
    """Whole numbers such as pupils on roll (`207`, `207.0`); anything else is <NA>."""
    numbers = pd.to_numeric(pd.Series(as_text(values), dtype=object), errors="coerce")
    numbers = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    ok = np.isfinite(numbers) & (np.floor(numbers) == numbers) & (numbers >= 0) \
        & (numbers <= maximum)
    out = pd.array(np.where(ok, numbers, 0).astype(np.int64), dtype="Int64")
    out[~ok] = pd.NA
    return out


def known_urns(context: Context) -> set[int]:
    if context.schools is None or context.schools.empty:
        return set()
    return {int(u) for u in context.schools["urn"].dropna()}


def new_schools(frame: pd.DataFrame, context: Context) -> pd.DataFrame:
    """The rows of `frame` (one per school, columns among SCHOOL_COLUMNS and ROW) whose URN
    is not in the store yet, first row per URN, empty names dropped."""
    known = known_urns(context)
    columns = [c for c in SCHOOL_COLUMNS if c in frame] + [ROW]
    out = frame[columns]
    out = out[out["urn"].notna()]
    out = out[~out["urn"].astype("int64").isin(known)]
    out = out[out["name"].fillna("").astype(str).str.strip() != ""]
    out = out.drop_duplicates(subset=["urn"], keep="first")
    out = out.astype({"urn": "int64"})
    for column in ("pupils", "capacity"):
        if column in out:
            out[column] = out[column].astype("Int64")
    return out.reset_index(drop=True)
