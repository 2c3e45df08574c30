-- Ofsted inspections of a partnership's schools (all schools when $partnership is NULL),
-- newest first, each grade on its own framework's scale.
SELECT s.name AS school_name, o.*
FROM ofsted_inspections o
LEFT JOIN schools s USING (urn)
WHERE $partnership IS NULL OR o.urn IN (
    SELECT urn FROM memberships
    WHERE partnership = $partnership AND ($cohort IS NULL OR cohort = $cohort))
ORDER BY o.inspection_date DESC, s.name
