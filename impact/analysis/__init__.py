"""Statistics for "did working together make a difference?": no streamlit, no SQL strings.

What pages and the CLI call (each module's docstring says why it works as it does):

- `impact_estimate(store, cohort=, measure=, group=, comparison=) -> Estimate`: the effect and
  its interval, the event-study curve, the pre-trend check, effect size and months, the
  strength-of-evidence badge, the sentence and caveat, the schools and years used
  (`estimate`, on the staggered difference-in-differences in `did`);
- `trend`, `event_time_trend`, `before_after`: lines and tables for charts, pupil-weighted,
  suppressed and with explicit series gaps (`trends`, `series.insert_gaps`);
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
from impact.analysis.trends import COMPARISON_LINES, before_after, event_time_trend, trend

__all__ = ["COMPARISON_KINDS", "COMPARISON_LINES", "CohortRef", "Estimate", "UnknownName",
           "apply_suppression", "before_after", "event_time_trend", "find_cohort",
           "impact_estimate", "insert_gaps", "list_cohorts", "percent_interval",
           "suppress_pupil_groups", "trend", "wilson_interval"]
