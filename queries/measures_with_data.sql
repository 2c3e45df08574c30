-- Measures that have at least one stored school figure, with how many.
SELECT measure, count(*) AS figures
FROM attainment
GROUP BY measure
ORDER BY measure
