-- The local authorities a partnership's schools are in (every school's when $partnership is
-- NULL), most schools first: the local comparison line is the first one with benchmarks.
SELECT s.local_authority, count(*) AS schools
FROM schools s
WHERE s.local_authority IS NOT NULL
  AND ($partnership IS NULL OR s.urn IN (
        SELECT urn FROM memberships
        WHERE partnership = $partnership AND ($cohort IS NULL OR cohort = $cohort)))
GROUP BY s.local_authority
ORDER BY schools DESC, s.local_authority
