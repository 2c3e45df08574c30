-- Partnerships with how many cohorts and schools each has (a school counted once however
-- many of the partnership's cohorts it is in).
SELECT p.partnership, p.partnership_type,
       (SELECT count(*) FROM cohorts c WHERE c.partnership = p.partnership) AS cohorts,
       (SELECT count(DISTINCT m.urn) FROM memberships m WHERE m.partnership = p.partnership)
           AS schools
FROM partnerships p
ORDER BY p.partnership
