"""The verdicts the product gives, named once: what an impact estimate shows, how a figure
stands against England, and whether a case-study claim holds.

Charts and pages show these words; they never decide them. The analysis decides
(`impact.analysis.estimate`, `impact.analysis.tiles`), from an interval and its checks:

- an estimate is *clear* only when its 95% interval excludes 0 **and** the check of the
  years before joining neither failed nor was impossible; otherwise it is in doubt, unchecked,
  unclear or too uncertain, and nothing on a page may say "improved";
- a figure is above or below England only when its likely range sits wholly on one side,
  close only when it has a likely range that includes England's figure; with no range, or on
  too few pupils, it is not judged.
"""

from __future__ import annotations

# --- an impact estimate -----------------------------------------------------------------------
ROSE_MORE = "Clearly rose more"
FELL_BEHIND = "Clearly fell behind"
NO_CLEAR_DIFFERENCE = "No clear difference"
COMPARISON_IN_DOUBT = "Comparison in doubt"
COMPARISON_UNCHECKED = "Comparison not checked"
TOO_UNCERTAIN = "Too uncertain to say"
TOO_FEW_SCHOOLS = "Too few schools to tell"
NOT_ENOUGH_DATA = "Not enough data"

ESTIMATE_VERDICTS: tuple[str, ...] = (ROSE_MORE, FELL_BEHIND, NO_CLEAR_DIFFERENCE,
                                      COMPARISON_IN_DOUBT, COMPARISON_UNCHECKED,
                                      TOO_UNCERTAIN, TOO_FEW_SCHOOLS, NOT_ENOUGH_DATA)
CLEAR: tuple[str, ...] = (ROSE_MORE, FELL_BEHIND)
# Estimates with a number that may be weighed (clear or not): the rest say nothing either way.
JUDGED: tuple[str, ...] = (ROSE_MORE, FELL_BEHIND, NO_CLEAR_DIFFERENCE, COMPARISON_IN_DOUBT,
                           COMPARISON_UNCHECKED)

# --- the check of the years before joining ------------------------------------------------------
CHECK_PASSED = "passed"        # no sign of a difference, and the check could see one
CHECK_WEAK = "weak"            # no sign of a difference, but the check could only see a big one
CHECK_FLAGGED = "flagged"      # the schools were already moving differently
CHECK_POINT_OFF = "point_off"  # no steady drift, but a year before joining stands out
CHECK_UNTESTABLE = "untestable"
CHECK_STATUSES: tuple[str, ...] = (CHECK_PASSED, CHECK_WEAK, CHECK_FLAGGED, CHECK_POINT_OFF,
                                   CHECK_UNTESTABLE)
# The statuses under which an estimate may be called clear (rose more, fell behind).
CHECK_ALLOWS_CLEAR: tuple[str, ...] = (CHECK_PASSED, CHECK_WEAK)

# --- a figure against England -----------------------------------------------------------------
ABOVE = "Above England"
CLOSE = "Close to England"
BELOW = "Below England"
NO_RANGE = "Not judged: no likely range"
TOO_FEW_PUPILS = "Not judged: too few pupils"
SOME_SCHOOLS = "Not judged: not every school's figure"
NO_ENGLAND = "No England figure"
NO_FIGURE = "No figure yet"
AGAINST_ENGLAND: tuple[str, ...] = (ABOVE, CLOSE, BELOW, NO_RANGE, TOO_FEW_PUPILS,
                                    SOME_SCHOOLS, NO_ENGLAND, NO_FIGURE)
JUDGED_AGAINST_ENGLAND: tuple[str, ...] = (ABOVE, CLOSE, BELOW)

# --- a case-study claim checked against the data ----------------------------------------------
YES = "Yes"
PARTLY = "Partly"
NOT_CLEAR = "Not clear yet"
NO = "No"
NO_DATA = "No data"
CLAIM_VERDICTS: tuple[str, ...] = (YES, PARTLY, NOT_CLEAR, NO, NO_DATA)

# --- a school's Ofsted grade before joining and now -------------------------------------------
BETTER = "Better"
SAME = "Same"
WORSE = "Worse"
NOT_COMPARABLE = "Not comparable: graded under different frameworks"

# --- a count over time (staff hours): which way it went between two whole years -------------
UP = "rose"
DOWN = "fell"
LEVEL = "held steady"
DIRECTIONS: tuple[str, ...] = (UP, DOWN, LEVEL)

# --- a figure against another with a likely range (a share good or outstanding against
# schools in no partnership; staff's own ratings after against before) -----------------------
HIGHER = "Clearly higher"
LOWER = "Clearly lower"
# (and NO_CLEAR_DIFFERENCE, above)
AGAINST_OTHER: tuple[str, ...] = (HIGHER, LOWER, NO_CLEAR_DIFFERENCE)

# --- how two things went together across schools (CPD hours beside the change in results) ---
WENT_WITH_MORE = "More went with bigger rises"
WENT_WITH_LESS = "More went with smaller rises"
NO_CLEAR_LINK = "No clear link"
TOO_FEW_TO_LINK = "Too few schools to see a pattern"
LINKS: tuple[str, ...] = (WENT_WITH_MORE, WENT_WITH_LESS, NO_CLEAR_LINK, TOO_FEW_TO_LINK)

# --- a school's latest figure against its partners' average -----------------------------------
STRENGTH = "Clear strength"
NEED = "Needs support"
LIKE_PARTNERS = "Like its partners"
