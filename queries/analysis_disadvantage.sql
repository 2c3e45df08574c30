-- Each school's share of disadvantaged pupils, from the cohort sizes it reported for
-- disadvantaged pupils beside all pupils (same year, term and measure), averaged over
-- every such pair: the "disadvantage" that similar-school matching uses. Each share is
-- summed as an exact decimal (12 places): a parallel average of doubles adds in whatever order
-- its threads finish, its last bits varied from run to run, and similar-school matching breaks
-- ties on them, so the same store gave different "similar schools" (and estimates) each run.
SELECT a.urn,
       avg((d.cohort_size::DOUBLE / a.cohort_size)::DECIMAL(18, 12))::DOUBLE
           AS disadvantaged_share,
       count(*) AS pairs
FROM attainment a
JOIN attainment d
  ON d.urn = a.urn AND d.academic_year = a.academic_year AND d.term = a.term
 AND d.measure = a.measure AND d.pupil_group = 'disadvantaged'
WHERE a.pupil_group = 'all' AND a.cohort_size > 0 AND d.cohort_size IS NOT NULL
GROUP BY a.urn
ORDER BY a.urn
