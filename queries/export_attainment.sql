-- Attainment as stored, for export in the template's own shape.
SELECT a.urn, s.name AS school_name, a.academic_year, a.term, a.measure, a.pupil_group,
       a.cohort_size, a.value, a.value_note
FROM attainment a
LEFT JOIN schools s USING (urn)
ORDER BY a.urn, a.academic_year, a.term, a.measure, a.pupil_group
