-- Improvement projects with their host's name, for lining the host's results up on each
-- project's start (impact.analysis.projects).
SELECT p.urn, s.name AS host_name, p.project, p.partnership, p.area, p.start_date,
       p.end_date, p.status, p.measure, p.lead_urn
FROM improvement_projects p
LEFT JOIN schools s USING (urn)
ORDER BY p.urn, p.start_date, p.project
