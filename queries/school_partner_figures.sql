-- One school's Summer figures and those of every school it shares a partnership with, for the
-- given pupil groups ($groups, a list: a group with the other half of its pair and All
-- pupils, so hiding one hides what would give it away): what the Schools page's strengths and
-- needs compare.
WITH mine AS (SELECT DISTINCT partnership FROM memberships WHERE urn = $urn),
     partners AS (SELECT DISTINCT m.urn FROM memberships m JOIN mine USING (partnership))
SELECT a.urn, s.name, a.academic_year, a.term, a.measure, a.pupil_group,
       a.cohort_size AS pupils, a.value, a.value_note, a.lower, a.upper
FROM attainment a
JOIN schools s USING (urn)
WHERE list_contains($groups, a.pupil_group) AND a.term = 'Summer'
  AND (a.urn = $urn OR a.urn IN (SELECT urn FROM partners))
ORDER BY a.measure, a.academic_year, a.urn
