-- One school's Ofsted inspections, newest first, each grade on its own framework's scale.
SELECT s.name AS school_name, o.*
FROM ofsted_inspections o
LEFT JOIN schools s USING (urn)
WHERE o.urn = $urn
ORDER BY o.inspection_date DESC
