-- Schools with each cohort they belong to (one row per membership; schools in no cohort once),
-- for export in the schools template's flat shape.
SELECT s.urn, s.name, s.phase, s.school_type, s.local_authority, s.pupils, s.capacity,
       m.partnership, p.partnership_type, m.cohort, c.focus, c.start_date,
       m.joined_date, m.left_date
FROM schools s
LEFT JOIN memberships m USING (urn)
LEFT JOIN partnerships p ON p.partnership = m.partnership
LEFT JOIN cohorts c ON c.partnership = m.partnership AND c.cohort = m.cohort
ORDER BY s.urn, m.partnership, m.cohort
