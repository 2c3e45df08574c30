"""What a partnership's schools are compared with, named once.

An impact estimate, a trend chart's comparison line, the sidebar and every sentence that says
"than in …" take their words from here, so a page can never describe one comparison and
compute another.

- `not_yet_joined`: schools in the store not working in any partnership yet that year (those
  that never joined included): the default and, in most cases, the fairest;
- `never_joined`: schools never in a partnership;
- `similar`: the nearest schools on prior attainment, disadvantage, size and phase;
- `chosen`: schools a person picks;
- `local_authority`, `national`: a published line (the local authority's, England's), which
  includes the partnership's own schools and every kind of school;
- `not_in_cohort` (trend lines only): every other school in the store.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_YET_JOINED = "not_yet_joined"
NEVER_JOINED = "never_joined"
SIMILAR = "similar"
CHOSEN = "chosen"
LOCAL_AUTHORITY = "local_authority"
NATIONAL = "national"
NOT_IN_COHORT = "not_in_cohort"

DEFAULT = NOT_YET_JOINED


@dataclass(frozen=True)
class Comparison:
    code: str
    label: str     # as a choice in the sidebar
    phrase: str    # inside a sentence: "rose more than in {phrase}"
    short: str     # inside a title of ten words or fewer
    line: str      # the name of its line on a trend chart
    benchmark: bool  # a published line, not a group of schools

    @property
    def capitalised(self) -> str:
        return self.phrase[:1].upper() + self.phrase[1:]


_ALL = (
    Comparison(NOT_YET_JOINED, "Schools not yet in a partnership",
               "schools that had not joined", "schools not yet joined",
               "Schools not yet working in a partnership", False),
    Comparison(NEVER_JOINED, "Schools never in a partnership", "schools that never joined",
               "schools never joined", "Schools never in a partnership", False),
    Comparison(SIMILAR, "Similar schools", "similar schools", "similar schools",
               "Similar schools", False),
    Comparison(CHOSEN, "Schools I choose", "the chosen schools", "the chosen schools",
               "Chosen schools", False),
    Comparison(LOCAL_AUTHORITY, "The local authority", "the local authority as a whole",
               "the local authority", "Local authority", True),
    Comparison(NATIONAL, "England", "England as a whole", "England", "England", True),
    Comparison(NOT_IN_COHORT, "Schools not in the cohort", "schools not in the cohort",
               "schools not in the cohort", "Schools not in the cohort", False),
)
COMPARISONS: dict[str, Comparison] = {c.code: c for c in _ALL}

# What an impact estimate can be measured against, in the order the sidebar offers them.
FOR_ESTIMATES: tuple[str, ...] = (NOT_YET_JOINED, NEVER_JOINED, SIMILAR, CHOSEN,
                                  LOCAL_AUTHORITY, NATIONAL)
# The comparison lines a trend chart can draw.
FOR_TRENDS: tuple[str, ...] = (NATIONAL, LOCAL_AUTHORITY, NOT_IN_COHORT, NOT_YET_JOINED,
                               NEVER_JOINED, CHOSEN, SIMILAR)
BENCHMARKS: tuple[str, ...] = tuple(c.code for c in _ALL if c.benchmark)


def comparison(code: str) -> Comparison:
    """The comparison with this code; KeyError names it if there is none."""
    return COMPARISONS[code]


def phrase(code: str) -> str:
    found = COMPARISONS.get(code)
    return found.phrase if found else code.replace("_", " ")


def short(code: str) -> str:
    found = COMPARISONS.get(code)
    return found.short if found else code.replace("_", " ")


def is_benchmark(code: str) -> bool:
    return code in BENCHMARKS
