-- One school's details.
SELECT urn, name, phase, school_type, local_authority, pupils, capacity
FROM schools
WHERE urn = $urn
