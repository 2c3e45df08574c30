-- Every school, for the sidebar's school filter: name and URN, by name.
SELECT urn, name
FROM schools
ORDER BY lower(name), urn
