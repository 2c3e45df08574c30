-- National and local authority comparison figures for one measure and pupil group.
SELECT area_type, area_code, area_name, academic_year, term, value, value_note, cohort_size
FROM benchmarks
WHERE measure = $measure AND pupil_group = $pupil_group
ORDER BY area_type, area_code, academic_year, term
