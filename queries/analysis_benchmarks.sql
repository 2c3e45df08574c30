-- National and local authority figures for one measure and pupil group, for comparison
-- lines and benchmark comparisons. $term NULL means every term.
SELECT b.area_type, b.area_code, b.area_name, b.academic_year, b.term, b.cohort_size,
       b.value, b.value_note
FROM benchmarks b
WHERE b.measure = $measure
  AND b.pupil_group = $pupil_group
  AND ($term IS NULL OR b.term = $term)
ORDER BY b.area_type, b.area_code, b.academic_year, b.term
