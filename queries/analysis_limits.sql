-- Published confidence limits (the DfE's, with progress scores) of the schools $urns for one
-- measure and pupil group, Summer figures: what pairing suggestions judge progress against.
SELECT urn, academic_year, lower, upper
FROM attainment
WHERE measure = $measure AND pupil_group = $pupil_group AND term = 'Summer'
  AND list_contains($urns, urn) AND lower IS NOT NULL AND upper IS NOT NULL
ORDER BY urn, academic_year
