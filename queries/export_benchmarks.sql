-- National and local comparison figures as stored, for export.
SELECT area_type, area_code, area_name, academic_year, term, measure, pupil_group,
       cohort_size, value, value_note
FROM benchmarks
ORDER BY area_type, area_code, academic_year, term, measure, pupil_group
