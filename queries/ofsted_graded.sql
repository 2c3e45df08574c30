-- Every inspection with an overall grade (the graded framework, $framework), only what the
-- share good or outstanding needs, and whether the school has ever been in a partnership
-- (schools that never were are the comparison); oldest first, as ofsted_all.
SELECT o.urn, o.inspection_date, o.framework, o.overall_effectiveness,
       EXISTS (SELECT 1 FROM memberships m WHERE m.urn = o.urn) AS in_any_partnership
FROM ofsted_inspections o
LEFT JOIN schools s USING (urn)
WHERE o.framework = $framework AND o.overall_effectiveness IS NOT NULL
ORDER BY o.inspection_date, s.name
