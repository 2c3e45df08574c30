-- CPD for a partnership's schools (all schools when $partnership is NULL) per academic year,
-- term and activity: records, schools, staff taking part and staff hours (staff x hours each).
SELECT c.academic_year, c.term, c.activity,
       count(*) AS records,
       count(DISTINCT c.urn) AS schools,
       coalesce(sum(c.staff_count), 0) AS staff,
       sum(c.staff_count * c.hours_each) AS staff_hours
FROM cpd_activities c
WHERE $partnership IS NULL OR c.urn IN (
    SELECT urn FROM memberships
    WHERE partnership = $partnership AND ($cohort IS NULL OR cohort = $cohort))
GROUP BY c.academic_year, c.term, c.activity
ORDER BY c.academic_year, CASE c.term WHEN 'Autumn' THEN 0 WHEN 'Spring' THEN 1 ELSE 2 END,
         c.activity
