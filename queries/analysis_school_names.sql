-- Every school's name by URN, for naming the schools an estimate used
-- (impact.analysis.data.school_names).
SELECT urn, name
FROM schools
ORDER BY urn
