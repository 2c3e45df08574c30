"""The small-number thresholds (product brief, section 3, after DfE and GSS practice), and the
words that quote them.

Every sentence that names a threshold is built here from the constant, so changing a
threshold changes every page, table note and template instruction that mentions it.

- a figure about `HIDDEN_MAX` pupils or fewer is hidden: shown as `c`, never 0;
- a figure about `HIDDEN_MAX + 1` to `LOW_RELIABILITY_MAX` pupils is shown, marked low
  reliability (`LOW_MARK`, the GSS symbol `u`) and never ranked, and no title or headline is
  built on it;
- a pupil-group analysis below `GOVERNOR_MIN_GROUP` pupils is not shown in governor views;
- a second figure is hidden where a hidden one could be worked out from a total.
"""

from __future__ import annotations

HIDDEN_MAX = 5
LOW_RELIABILITY_MAX = 10
GOVERNOR_MIN_GROUP = LOW_RELIABILITY_MAX + 1
HEADLINE_MIN = GOVERNOR_MIN_GROUP  # no title or headline rests on fewer pupils than this

SUPPRESSED_MARK = "c"
LOW_MARK = "u"


def hidden_rule() -> str:
    """'5 pupils or fewer'."""
    return f"{HIDDEN_MAX} pupils or fewer"


def low_rule() -> str:
    """'6 to 10 pupils'."""
    return f"{HIDDEN_MAX + 1} to {LOW_RELIABILITY_MAX} pupils"


def governor_rule() -> str:
    """'fewer than 11 pupils'."""
    return f"fewer than {GOVERNOR_MIN_GROUP} pupils"


def headline_rule() -> str:
    """'11 pupils or more'."""
    return f"{HEADLINE_MIN} pupils or more"


def hidden_note() -> str:
    return f"{SUPPRESSED_MARK} means a figure is hidden because it is about {hidden_rule()}."


def low_note() -> str:
    return (f"{LOW_MARK} marks a figure about {low_rule()}: one pupil moves it a lot, so treat "
            "it with care; it is never ranked and no title is built on it.")
