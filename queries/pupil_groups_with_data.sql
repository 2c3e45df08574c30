-- Pupil groups with at least one stored school figure for a measure.
SELECT pupil_group, count(*) AS figures
FROM attainment
WHERE measure = $measure
GROUP BY pupil_group
ORDER BY pupil_group
