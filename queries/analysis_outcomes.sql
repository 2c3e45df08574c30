-- One measure for one pupil group, every school, with only what the impact estimate reads:
-- each school's figure and cohort size by year (impact.analysis.data.outcomes). The full row
-- (term, note) is analysis_attainment; at national scale the narrower fetch is a third of
-- the time. Rows come as stored, in no set order: the caller sorts them. $term NULL means
-- every term.
SELECT a.urn, a.academic_year, a.cohort_size, a.value
FROM attainment a
WHERE a.measure = $measure
  AND a.pupil_group = $pupil_group
  AND ($term IS NULL OR a.term = $term)
