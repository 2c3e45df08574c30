-- Every school set up in the store, for matching uploads by URN or exact name.
SELECT urn, name
FROM schools
ORDER BY urn
