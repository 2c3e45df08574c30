-- One measure for one pupil group, every school, for the analysis library
-- (impact.analysis.data.attainment). $term NULL means every term.
SELECT a.urn, a.academic_year, a.term, a.cohort_size, a.value, a.value_note
FROM attainment a
WHERE a.measure = $measure
  AND a.pupil_group = $pupil_group
  AND ($term IS NULL OR a.term = $term)
ORDER BY a.urn, a.academic_year, a.term
