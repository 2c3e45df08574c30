-- How many schools a partnership (or one of its cohorts) has ever had; all schools when
-- $partnership is NULL.
SELECT CASE WHEN $partnership IS NULL THEN (SELECT count(*) FROM schools)
            ELSE (SELECT count(DISTINCT urn) FROM memberships
                  WHERE partnership = $partnership AND ($cohort IS NULL OR cohort = $cohort))
       END AS schools
