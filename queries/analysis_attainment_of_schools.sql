-- One measure for one pupil group, for the schools $urns only (a school's, cohort's or
-- partnership's own line): at national scale, reading every school's rows to draw 60 of
-- them is most of a page's time. $term NULL means every term.
SELECT a.urn, a.academic_year, a.term, a.cohort_size, a.value, a.value_note
FROM attainment a
WHERE a.measure = $measure
  AND a.pupil_group = $pupil_group
  AND ($term IS NULL OR a.term = $term)
  AND list_contains($urns, a.urn)
ORDER BY a.urn, a.academic_year, a.term
