-- One school's details, with who to contact about its returns.
SELECT urn, name, phase, school_type, local_authority, pupils, capacity, contact_name,
       contact_email
FROM schools
WHERE urn = $urn
