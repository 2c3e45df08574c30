-- Every cohort's partnership and name, for finding the cohort a person typed
-- (impact.analysis.data.find_cohort); analysis_cohorts adds sizes and dates.
SELECT c.partnership, c.cohort
FROM cohorts c
ORDER BY c.partnership, c.cohort
