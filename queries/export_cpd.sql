-- CPD records as stored, for export.
SELECT c.*, s.name AS school_name
FROM cpd_activities c
LEFT JOIN schools s USING (urn)
ORDER BY c.urn, c.academic_year, c.term, c.activity, c.staff_role
