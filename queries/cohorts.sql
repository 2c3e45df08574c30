-- Cohorts of one partnership (all partnerships when $partnership is NULL), with their focus,
-- start date, and how many schools are in them now and have ever been.
SELECT c.partnership, c.cohort, c.focus, c.start_date,
       count(m.urn) FILTER (WHERE m.left_date IS NULL OR m.left_date > current_date)
           AS schools_now,
       count(m.urn) AS schools_ever
FROM cohorts c
LEFT JOIN memberships m ON m.partnership = c.partnership AND m.cohort = c.cohort
WHERE $partnership IS NULL OR c.partnership = $partnership
GROUP BY c.partnership, c.cohort, c.focus, c.start_date
ORDER BY c.partnership, c.start_date NULLS LAST, c.cohort
