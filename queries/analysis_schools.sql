-- Every school with what similar-school matching and local authority comparisons need.
SELECT urn, name, phase, local_authority, pupils
FROM schools
ORDER BY urn
