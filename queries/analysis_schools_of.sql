-- Name and local authority of the schools $urns only: a line's label and its local
-- authority's comparison line need these for a handful of schools, not all 22,000.
SELECT urn, name, local_authority
FROM schools
WHERE list_contains($urns, urn)
ORDER BY urn
