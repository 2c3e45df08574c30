-- Every cohort with how many schools are in it, for choosing what to estimate.
SELECT c.partnership, c.cohort, c.focus, c.start_date,
       count(m.urn) AS schools,
       min(m.joined_date) AS first_joined,
       max(m.joined_date) AS last_joined
FROM cohorts c
LEFT JOIN memberships m ON m.partnership = c.partnership AND m.cohort = c.cohort
GROUP BY c.partnership, c.cohort, c.focus, c.start_date
ORDER BY c.partnership, c.cohort
