-- Every Ofsted inspection's overall grade and whether the school has ever been in a partnership
-- (schools that never were are the comparison), oldest first, in the order of ofsted_all:
-- only what the share good or outstanding needs (the board pack's Ofsted chart), so that
-- every school in England's inspections are read without their names.
SELECT o.urn, o.inspection_date, o.framework, o.overall_effectiveness,
       EXISTS (SELECT 1 FROM memberships m WHERE m.urn = o.urn) AS in_any_partnership
FROM ofsted_inspections o
LEFT JOIN schools s USING (urn)
ORDER BY o.inspection_date, s.name
