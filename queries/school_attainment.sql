-- Every stored figure for one school in the given pupil groups ($groups, a list), oldest
-- first: the page reads a group with the other half of its pair and All pupils, so that a
-- hidden figure cannot be worked out from the others (impact.analysis.suppression).
SELECT academic_year, term, measure, pupil_group, cohort_size AS pupils, value, value_note
FROM attainment
WHERE urn = $urn AND list_contains($groups, pupil_group)
ORDER BY academic_year, CASE term WHEN 'Autumn' THEN 0 WHEN 'Spring' THEN 1 ELSE 2 END, measure
