-- The schools for the sidebar's school filter: name and URN, by name; only the schools of
-- one partnership (any of its cohorts, past or present) when $partnership is set.
SELECT s.urn, s.name
FROM schools s
WHERE $partnership IS NULL
   OR EXISTS (SELECT 1 FROM memberships m WHERE m.urn = s.urn AND m.partnership = $partnership)
ORDER BY lower(s.name), s.urn
