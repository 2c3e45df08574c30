-- Every CPD record of a partnership's schools (one cohort when $cohort is set; every school
-- when $partnership is NULL), once each, with staff hours (staff x hours each).
SELECT c.urn, s.name AS school, c.academic_year, c.term, c.activity, c.staff_role,
       c.staff_count, c.hours_each, c.staff_count * c.hours_each AS staff_hours,
       c.self_assessment_before, c.self_assessment_after, c.lessons_good_or_better,
       c.staff_confidence
FROM cpd_activities c
LEFT JOIN schools s USING (urn)
WHERE $partnership IS NULL OR c.urn IN (
    SELECT urn FROM memberships
    WHERE partnership = $partnership AND ($cohort IS NULL OR cohort = $cohort))
ORDER BY c.academic_year, CASE c.term WHEN 'Autumn' THEN 0 WHEN 'Spring' THEN 1 ELSE 2 END,
         c.urn, c.activity, c.staff_role
