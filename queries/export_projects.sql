-- Improvement projects, for export in the projects template's shape (host school first).
SELECT p.urn, s.name AS school_name, p.project, p.partnership, p.area, p.lead_name,
       p.lead_urn, p.start_date, p.end_date, p.status, p.measure, p.findings, p.action_plan,
       p.presented_date
FROM improvement_projects p
LEFT JOIN schools s USING (urn)
ORDER BY p.urn, p.start_date, p.project
