"""The strength-of-evidence badge, as a page shows it: the score in words and numbers (never
a colour alone), padlocks drawn as text, and the sentence saying what held it down.

The rating itself comes from `impact.analysis.evidence` (`Estimate.evidence`); this module
only decides how it reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from impact.analysis.evidence import Evidence

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


def evidence_badge(evidence: Evidence) -> Badge:
    """From `Estimate.evidence`."""
    padlocks, out_of = int(evidence.padlocks), int(evidence.out_of)
    row = LOCKED * padlocks + OPEN * (out_of - padlocks)
    colour = "blue" if padlocks >= 3 else "violet" if padlocks == 2 else "gray"
    return Badge(padlocks, out_of, evidence.label, f"{padlocks} of {out_of}: {evidence.label}",
                 row, evidence.explanation, colour)
