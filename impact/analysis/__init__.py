"""Statistics for "did working together make a difference?": no streamlit, no SQL strings.

What pages and the CLI call (each module's docstring says why it works as it does):

- `impact_estimate(store, cohort=, measure=, group=, comparison=) -> Estimate`: the effect and
  its interval (kept within what the measure allows), the event-study curve, the pre-trend
  check and what it could see, effect size and months (for a clear difference only), the
  verdict (`impact.domain.verdicts`), the strength-of-evidence badge, the schools (joined,
  left) and years used (`estimate`, on the staggered difference-in-differences in `did`);
- `words(estimate)` (also `Estimate.words`): every sentence about an estimate, in one place
  (`wording`): headline, title, numbers, check, bounce-back, caveat;
- `trend` -> `Trend` (typed lines), `event_time_trend`, `before_after`: lines and tables for
  charts, pupil-weighted, suppressed (with complementary suppression across pupil groups),
  covering every school or saying how many, and with explicit series gaps (`trends`,
  `series`); `headlines`: what a trend title or a headline tile may say (`TrendFinding`,
  `Tile`);
- the small-numbers rules in one place (`suppression`), Wilson intervals (`intervals`),
  effect sizes and EEF months (`effect_sizes`), when a result counts as after joining
  (`event_time`), joining after a dip (`regression_to_mean`), similar schools (`matching`),
  sentences (`wording`) and the badge (`evidence`).
"""

from impact.analysis.data import CohortRef, UnknownName, find_cohort, list_cohorts
from impact.analysis.estimate import COMPARISON_KINDS, Estimate, impact_estimate
from impact.analysis.intervals import percent_interval, wilson_interval
from impact.analysis.series import insert_gaps
from impact.analysis.suppression import apply_suppression, suppress_pupil_groups
from impact.analysis.trends import (
    COMPARISON_LINES,
    Trend,
    TrendLine,
    before_after,
    event_time_trend,
    trend,
)
from impact.analysis.wording import EstimateWords, words

__all__ = ["COMPARISON_KINDS", "COMPARISON_LINES", "CohortRef", "Estimate", "EstimateWords",
           "Trend", "TrendLine", "UnknownName", "apply_suppression", "before_after",
           "event_time_trend", "find_cohort", "impact_estimate", "insert_gaps", "list_cohorts",
           "percent_interval", "suppress_pupil_groups", "trend", "wilson_interval", "words"]
