-- CPD per cohort of a partnership and academic year: schools, staff taking part and staff
-- hours. A school in two cohorts counts in both (each cohort's own total).
SELECT m.cohort, c.academic_year,
       count(DISTINCT c.urn) AS schools,
       coalesce(sum(c.staff_count), 0) AS staff,
       sum(c.staff_count * c.hours_each) AS staff_hours
FROM cpd_activities c
JOIN memberships m ON m.urn = c.urn
WHERE m.partnership = $partnership AND ($cohort IS NULL OR m.cohort = $cohort)
GROUP BY m.cohort, c.academic_year
ORDER BY m.cohort, c.academic_year
