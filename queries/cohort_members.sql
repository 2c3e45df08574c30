-- The schools in a partnership's cohorts (one cohort when $cohort is set), with the dates each
-- joined and left.
SELECT m.partnership, m.cohort, m.urn, s.name, s.phase, s.local_authority,
       m.joined_date, m.left_date
FROM memberships m
LEFT JOIN schools s USING (urn)
WHERE ($partnership IS NULL OR m.partnership = $partnership)
  AND ($cohort IS NULL OR m.cohort = $cohort)
ORDER BY m.partnership, m.cohort, s.name, m.urn
