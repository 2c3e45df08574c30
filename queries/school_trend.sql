-- One school's figures for one measure and pupil group, for a trend line.
SELECT academic_year, term, value, value_note, cohort_size AS pupils
FROM attainment
WHERE urn = $urn AND measure = $measure AND pupil_group = $pupil_group
ORDER BY academic_year, term
