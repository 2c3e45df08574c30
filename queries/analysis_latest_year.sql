-- The newest academic year with any figure for the schools $urns.
SELECT max(academic_year) AS academic_year
FROM attainment
WHERE list_contains($urns, urn)
