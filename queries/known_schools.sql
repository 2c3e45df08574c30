-- Every school set up in the store, for matching uploads by URN or exact name. The other
-- details let an import of public data keep what the store holds where a file leaves a blank;
-- `in_partnership` lets it keep only the partnerships' schools when asked to.
SELECT s.urn, s.name, s.phase, s.school_type, s.local_authority, s.pupils, s.capacity,
       EXISTS (SELECT 1 FROM memberships m WHERE m.urn = s.urn) AS in_partnership
FROM schools s
ORDER BY s.urn
