-- Ofsted inspections as stored, each grade on its own framework's scale, for export.
SELECT o.*, s.name AS school_name
FROM ofsted_inspections o
LEFT JOIN schools s USING (urn)
ORDER BY o.urn, o.inspection_date
