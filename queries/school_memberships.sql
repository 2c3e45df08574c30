-- The partnerships and cohorts one school is or was in.
SELECT m.partnership, p.partnership_type, m.cohort, c.focus, m.joined_date, m.left_date
FROM memberships m
LEFT JOIN partnerships p ON p.partnership = m.partnership
LEFT JOIN cohorts c ON c.partnership = m.partnership AND c.cohort = m.cohort
WHERE m.urn = $urn
ORDER BY m.joined_date, m.partnership, m.cohort
