-- Who joined which cohort when (and left), for event time and comparison groups.
SELECT m.urn, m.partnership, m.cohort, m.joined_date, m.left_date
FROM memberships m
ORDER BY m.partnership, m.cohort, m.joined_date, m.urn
