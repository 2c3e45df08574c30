"""The Ofsted page's tables: one per framework, each grade on its own framework's scale.

Ofsted says its frameworks are not comparable, so grades from different frameworks never
share a column: a "Good" under the old framework and a "Strong standard" under report cards
sit in different tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from impact.domain import ofsted
from impact.reports.dates import long_date


@dataclass(frozen=True)
class FrameworkTable:
    framework: ofsted.Framework
    table: pd.DataFrame

    @property
    def title(self) -> str:
        return self.framework.label

    @property
    def scale_note(self) -> str:
        scales = {s for s in self.framework.scales.values()
                  if s not in (ofsted.EFFECTIVE, ofsted.MET)}
        grades = "; ".join(", ".join(scale) for scale in scales)
        return f"Grades, best first: {grades}. A blank means the area was not judged."


def framework_tables(inspections: pd.DataFrame) -> list[FrameworkTable]:
    """Newest framework first; in each, only that framework's areas, newest inspection first."""
    out = []
    for framework in reversed(list(ofsted.FRAMEWORKS.values())):
        rows = inspections[inspections["framework"] == framework.code]
        if rows.empty:
            continue
        areas = [a for a in framework.areas if a in rows and rows[a].notna().any()]
        table = pd.DataFrame({
            "School": rows["school_name"].fillna("").to_numpy(),
            "URN": rows["urn"].astype(int).to_numpy(),
            "Inspected": rows["inspection_date"].map(long_date).to_numpy(),
            "Type": rows["inspection_type"].fillna("").to_numpy(),
            **{ofsted.AREAS[a].label: rows[a].fillna("").to_numpy() for a in areas},
        })
        out.append(FrameworkTable(framework, table))
    return out
