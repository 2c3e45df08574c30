-- One measure for a partnership's schools (one cohort's when $cohort is set; every school in
-- the store when $partnership is NULL), per academic year and term: the mean of the schools'
-- figures weighted by cohort size (every pupil counts once), how many pupils and schools it
-- covers, and how many schools' figures were hidden or missing and so left out.
-- A school counts in every year, before and after it joined, so a line shows the change.
WITH members AS (
    SELECT DISTINCT urn FROM memberships
    WHERE $partnership IS NOT NULL AND partnership = $partnership
      AND ($cohort IS NULL OR cohort = $cohort)
    UNION
    SELECT urn FROM schools WHERE $partnership IS NULL
),
figures AS (
    SELECT a.academic_year, a.term, a.value, a.cohort_size
    FROM attainment a
    JOIN members USING (urn)
    WHERE a.measure = $measure AND a.pupil_group = $pupil_group
)
SELECT academic_year, term,
       sum(value * cohort_size) FILTER (WHERE value IS NOT NULL AND cohort_size > 0)
           / nullif(sum(cohort_size) FILTER (WHERE value IS NOT NULL AND cohort_size > 0), 0)
           AS value,
       CAST(NULL AS VARCHAR) AS value_note,
       coalesce(sum(cohort_size) FILTER (WHERE value IS NOT NULL AND cohort_size > 0), 0)
           AS pupils,
       count(*) FILTER (WHERE value IS NOT NULL AND cohort_size > 0) AS schools,
       count(*) FILTER (WHERE value IS NULL OR coalesce(cohort_size, 0) = 0) AS schools_left_out
FROM figures
GROUP BY academic_year, term
ORDER BY academic_year, term
