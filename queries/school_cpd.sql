-- One school's CPD per academic year, term and activity, in the shape of
-- cpd_by_term_activity.sql, for the same chart.
SELECT c.academic_year, c.term, c.activity,
       count(*) AS records,
       count(DISTINCT c.urn) AS schools,
       coalesce(sum(c.staff_count), 0) AS staff,
       sum(c.staff_count * c.hours_each) AS staff_hours
FROM cpd_activities c
WHERE c.urn = $urn
GROUP BY c.academic_year, c.term, c.activity
ORDER BY c.academic_year, CASE c.term WHEN 'Autumn' THEN 0 WHEN 'Spring' THEN 1 ELSE 2 END,
         c.activity
