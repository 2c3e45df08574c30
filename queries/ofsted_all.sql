-- Every Ofsted inspection with the school's name and whether the school has ever been in a
-- partnership (schools that never were are the comparison), oldest first.
SELECT s.name AS school_name, o.*,
       EXISTS (SELECT 1 FROM memberships m WHERE m.urn = o.urn) AS in_any_partnership
FROM ofsted_inspections o
LEFT JOIN schools s USING (urn)
ORDER BY o.inspection_date, s.name
