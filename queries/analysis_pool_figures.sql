-- Schools outside a partnership ($urns are its schools, past and present) with a Summer figure
-- for one measure and pupil group in the academic year $academic_year: that figure, its
-- pupils, and the school's pupil-weighted mean over the years before (its prior attainment,
-- for finding similar schools). Worked out here, not in Python: at national scale this is
-- 20,000 schools per measure.
WITH figures AS (
    SELECT urn, academic_year, cohort_size, value
    FROM attainment
    WHERE measure = $measure AND pupil_group = $pupil_group AND term = 'Summer'
      AND value IS NOT NULL AND NOT list_contains($urns, urn)
),
now AS (
    SELECT urn, value, cohort_size FROM figures WHERE academic_year = $academic_year
),
prior AS (
    SELECT urn,
           CASE WHEN sum(cohort_size) FILTER (WHERE cohort_size > 0) > 0
                THEN sum(value * cohort_size) FILTER (WHERE cohort_size > 0)
                     / sum(cohort_size) FILTER (WHERE cohort_size > 0)
                ELSE avg(value) END AS prior_attainment
    FROM figures
    WHERE academic_year < $academic_year AND NOT list_contains($skip_years, academic_year)
    GROUP BY urn
)
SELECT now.urn, now.value, now.cohort_size, prior.prior_attainment
FROM now LEFT JOIN prior USING (urn)
ORDER BY now.urn
