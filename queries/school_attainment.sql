-- Every stored figure for one school and pupil group, oldest first.
SELECT academic_year, term, measure, pupil_group, cohort_size AS pupils, value, value_note
FROM attainment
WHERE urn = $urn AND pupil_group = $pupil_group
ORDER BY academic_year, CASE term WHEN 'Autumn' THEN 0 WHEN 'Spring' THEN 1 ELSE 2 END, measure
