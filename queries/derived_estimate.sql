-- An impact estimate already worked out for this store revision and these arguments
-- (`impact.analysis.precomputed`), if there is one.
SELECT kind, result
FROM derived_estimates
WHERE revision = $revision AND cohort = $cohort AND measure = $measure
  AND comparison = $comparison AND options = $options
