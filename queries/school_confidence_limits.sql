-- One school's published confidence limits for one measure and pupil group (the DfE gives
-- them with progress scores), where stored.
SELECT academic_year, term, lower, upper
FROM attainment
WHERE urn = $urn AND measure = $measure AND pupil_group = $pupil_group
  AND (lower IS NOT NULL OR upper IS NOT NULL)
ORDER BY academic_year, term
