"""What an import of a public file brought in and what it left out, and why.

`Validated.summary` is a plain dict the Upload page and the CLI show as they are: counts
(`schools`, `years`, `measures`, `benchmark_rows`, …) and `skipped`, a list of
`{"reason": ..., "count": ...}` in plain words. Figures with no value (a `SUPP`, an `NE`) are
listed there too: they are stored as "no value, for this reason", never as 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impact.domain import missing_values


class Skips:
    """Reasons with counts, in the order first met."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def add(self, reason: str, count: int | np.integer) -> None:
        if int(count) > 0:
            self._counts[reason] = self._counts.get(reason, 0) + int(count)

    def missing_codes(self, notes: np.ndarray, what: str = "figures") -> None:
        """One line per missing-value code among `notes` (None entries ignored)."""
        counts = pd.Series(notes, dtype=object).dropna().value_counts()
        for code, count in counts.items():
            meaning = missing_values.describe(code)
            words = meaning.meaning if meaning else "no value"
            self.add(f"{what} with no value, code {code} ({words}): stored as missing, "
                     "never as 0", count)

    def as_list(self) -> list[dict[str, object]]:
        return [{"reason": r, "count": c} for r, c in self._counts.items()]

    def __bool__(self) -> bool:
        return bool(self._counts)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
