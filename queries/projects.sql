-- Improvement projects with their host's and lead's school names: every project when
-- $partnership and $urn are NULL; else those of one partnership (its schools hosting or
-- leading, or the project naming it) or one school (hosting or leading).
SELECT p.urn, h.name AS host_name, p.project, p.partnership, p.area, p.lead_name,
       p.lead_urn, l.name AS lead_school, p.start_date, p.end_date, p.status, p.measure,
       p.findings, p.action_plan, p.presented_date
FROM improvement_projects p
LEFT JOIN schools h ON h.urn = p.urn
LEFT JOIN schools l ON l.urn = p.lead_urn
WHERE ($urn IS NULL OR p.urn = $urn OR p.lead_urn = $urn)
  AND ($partnership IS NULL OR p.partnership = $partnership
       OR p.urn IN (SELECT m.urn FROM memberships m WHERE m.partnership = $partnership)
       OR p.lead_urn IN (SELECT m.urn FROM memberships m WHERE m.partnership = $partnership))
ORDER BY p.start_date DESC NULLS LAST, h.name, p.project
