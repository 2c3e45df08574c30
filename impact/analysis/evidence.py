"""How strong is this evidence? A plain badge in the spirit of the EEF's padlocks (0 to 5),
with our own rules, so a board does not give a before/after comparison of four schools the
weight of a trial.

The rules (our decisions):

1. No estimate: 0.
2. Start at 3 for a comparison with schools that did not join (not yet joined, never
   joined, similar or chosen schools); at 2 for a comparison with a national or local
   authority line, which has no comparison schools to match and absorbs the joining schools
   themselves. 4 and 5 are for randomised trials and large well-matched designs, which
   schools that chose to join cannot be: a non-randomised comparison never scores above 3.
3. Schools: fewer than 10 joining schools behind the estimate, one padlock off; fewer than 5,
   two off.
4. Years: typically (median) fewer than 3 years of results before joining, or fewer than 2
   after, one off (each).
5. Pre-trend: if the schools were already moving differently before joining, at most 1; if
   that could not be checked, one off.
6. Joined after a dip (regression to the mean): one off.

Never below 0. The explanation is one sentence naming what held the rating down.
"""

from __future__ import annotations

from dataclasses import dataclass

LABELS = {0: "No real evidence", 1: "Very weak evidence", 2: "Weak evidence",
          3: "Moderate evidence", 4: "Strong evidence", 5: "Very strong evidence"}
NON_RANDOMISED_MAX = 3


@dataclass(frozen=True)
class Evidence:
    padlocks: int
    label: str
    explanation: str
    reasons: tuple[str, ...]   # what took padlocks away
    out_of: int = 5

    def as_dict(self) -> dict:
        return {"padlocks": self.padlocks, "out_of": self.out_of, "label": self.label,
                "explanation": self.explanation, "reasons": list(self.reasons)}


def strength_of_evidence(*, estimated: bool, schools: int, comparison_schools: int,
                         years_before: float, years_after: float, benchmark: bool,
                         pre_trend_testable: bool, pre_trend_flagged: bool | None,
                         dip: bool) -> Evidence:
    """The badge for one estimate; see the module for the rules."""
    if not estimated:
        return Evidence(0, LABELS[0], "0 of 5: there was not enough data to estimate an "
                        "effect.", ("no estimate",))
    score = 2 if benchmark else NON_RANDOMISED_MAX
    reasons: list[str] = []
    if schools < 5:
        score -= 2
        reasons.append(f"only {schools} school{'s' if schools != 1 else ''}")
    elif schools < 10:
        score -= 1
        reasons.append(f"only {schools} schools")
    if years_before < 3:
        score -= 1
        reasons.append("few years before joining")
    if years_after < 2:
        score -= 1
        reasons.append("few years since joining")
    if pre_trend_flagged:
        score = min(score, 1)
        reasons.append("the schools were already moving differently before joining")
    elif not pre_trend_testable:
        score -= 1
        reasons.append("no check of the years before joining was possible")
    if dip:
        score -= 1
        reasons.append("the schools joined after a dip, so some rise is bounce-back")
    score = max(score, 0)
    against = ("a national or local authority line" if benchmark
               else f"{comparison_schools} comparison school"
                    f"{'s' if comparison_schools != 1 else ''}")
    held = ("; held down by " + ", ".join(reasons)) if reasons else ""
    explanation = (f"{score} of 5: {schools} school{'s' if schools != 1 else ''} with about "
                   f"{years_before:g} year{'s' if years_before != 1 else ''} of results before "
                   f"joining and {years_after:g} after, compared with {against}{held}; "
                   f"schools chose to join, so this design cannot score more than "
                   f"{2 if benchmark else NON_RANDOMISED_MAX}.")
    return Evidence(score, LABELS[score], explanation, tuple(reasons))
