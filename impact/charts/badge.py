"""The strength-of-evidence badge, as a page shows it: the score in words and numbers (never
a colour alone), padlocks drawn as text, and the sentence saying what held it down.

The rating itself comes from `impact.analysis.evidence` through `Estimate.as_dict()`; this
module only decides how it reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LOCKED, OPEN = "🔒", "○"


@dataclass(frozen=True)
class Badge:
    padlocks: int
    out_of: int
    label: str          # "Weak evidence"
    text: str           # "1 of 5: Very weak evidence"
    padlock_row: str    # "🔒○○○○"
    explanation: str    # what earned or held down the score
    colour: str         # a Streamlit badge colour; the words carry the meaning

    @property
    def icon(self) -> str:
        return ":material/lock:"


def evidence_badge(evidence: dict[str, Any]) -> Badge:
    """From `Estimate.as_dict()["evidence"]`."""
    padlocks = int(evidence.get("padlocks") or 0)
    out_of = int(evidence.get("out_of") or 5)
    label = str(evidence.get("label") or "")
    row = LOCKED * padlocks + OPEN * (out_of - padlocks)
    colour = "blue" if padlocks >= 3 else "violet" if padlocks == 2 else "gray"
    return Badge(padlocks, out_of, label, f"{padlocks} of {out_of}: {label}", row,
                 str(evidence.get("explanation") or ""), colour)
