-- Every school set up in the store, for matching uploads by URN or exact name. The other
-- details let an import of public data keep what the store holds where a file leaves a blank.
SELECT urn, name, phase, school_type, local_authority, pupils, capacity
FROM schools
ORDER BY urn
