-- The uploads whose rows a board pack's numbers can rest on: every upload still standing that
-- last wrote a row now in the store (comparison schools and public figures included), with
-- the academic years its rows cover, oldest first.
WITH used AS (
    SELECT upload_id, academic_year FROM attainment
    UNION ALL SELECT upload_id, academic_year FROM benchmarks
    UNION ALL SELECT upload_id, academic_year FROM cpd_activities
    UNION ALL SELECT upload_id, NULL FROM ofsted_inspections
    UNION ALL SELECT upload_id, NULL FROM schools
    UNION ALL SELECT upload_id, NULL FROM partnerships
    UNION ALL SELECT upload_id, NULL FROM cohorts
    UNION ALL SELECT upload_id, NULL FROM memberships
    UNION ALL SELECT upload_id, NULL FROM improvement_projects
)
SELECT u.upload_id, u.file_name, u.kind, u.uploaded_at, count(*) AS rows_used,
       min(used.academic_year) AS first_year, max(used.academic_year) AS last_year
FROM uploads u
JOIN used USING (upload_id)
WHERE u.status = 'accepted'
GROUP BY u.upload_id, u.file_name, u.kind, u.uploaded_at
ORDER BY u.uploaded_at, u.upload_id
