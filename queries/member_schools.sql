-- The schools of a partnership (one cohort when $cohort is set; every school in any
-- partnership when $partnership is NULL), once each, with pupils, capacity, who to contact
-- about returns, and the dates each first joined and last left.
SELECT s.urn, s.name, s.pupils, s.capacity, s.contact_name, s.contact_email,
       min(m.joined_date) AS joined_date,
       CASE WHEN bool_or(m.left_date IS NULL) THEN NULL ELSE max(m.left_date) END AS left_date
FROM memberships m
JOIN schools s USING (urn)
WHERE ($partnership IS NULL OR m.partnership = $partnership)
  AND ($cohort IS NULL OR m.cohort = $cohort)
GROUP BY s.urn, s.name, s.pupils, s.capacity, s.contact_name, s.contact_email
ORDER BY s.name, s.urn
