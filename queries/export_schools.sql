-- Schools with each cohort they belong to (one row per membership; schools in no cohort once),
-- for export in the schools template's flat shape. Partnerships and cohorts no school has
-- joined yet come last, each on a row of its own with no URN (as the template sets them up).
SELECT * FROM (
    SELECT s.urn, s.name, s.phase, s.school_type, s.local_authority, s.pupils, s.capacity,
           s.contact_name, s.contact_email,
           m.partnership, p.partnership_type, m.cohort, c.focus, c.start_date,
           m.joined_date, m.left_date
    FROM schools s
    LEFT JOIN memberships m USING (urn)
    LEFT JOIN partnerships p ON p.partnership = m.partnership
    LEFT JOIN cohorts c ON c.partnership = m.partnership AND c.cohort = m.cohort
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           p.partnership, p.partnership_type, c.cohort, c.focus, c.start_date, NULL, NULL
    FROM partnerships p
    LEFT JOIN cohorts c ON c.partnership = p.partnership
    WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.partnership = p.partnership
                      AND (c.cohort IS NULL OR m.cohort = c.cohort))
)
ORDER BY urn NULLS LAST, partnership, cohort
