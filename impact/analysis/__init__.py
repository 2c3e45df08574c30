"""Statistics for "did working together make a difference?": no streamlit, no SQL strings.

Pages and the CLI call:

- `impact_estimate(store, cohort=, measure=, group=, comparison=) -> Estimate` — the effect,
  its interval, event study, pre-trend check, effect size and months, evidence badge and
  sentence (`estimate`);
- the trend lines for charts (`trends`), with series gaps (`series.insert_gaps`);
- the small-numbers rules (`suppression`), Wilson intervals (`intervals`), effect sizes and
  months (`effect_sizes`), event time (`event_time`).
"""

from impact.analysis.data import CohortRef, UnknownName, find_cohort, list_cohorts
from impact.analysis.estimate import COMPARISON_KINDS, Estimate, impact_estimate

__all__ = ["COMPARISON_KINDS", "CohortRef", "Estimate", "UnknownName", "find_cohort",
           "impact_estimate", "list_cohorts"]
