-- What decides who may undo or see an upload: who made it, and which schools and trust-wide
-- tables it touched (from the change logs, so an upload that changed nothing touched nothing).
-- One upload, or every upload (newest first) when $upload_id is NULL.
SELECT u.upload_id, u.actor_email, u.status, u.sha256, u.file_name,
       coalesce((SELECT list(DISTINCT urn) FROM (
           SELECT urn FROM attainment_changes WHERE change_upload_id = u.upload_id
           UNION ALL SELECT urn FROM ofsted_inspections_changes WHERE change_upload_id = u.upload_id
           UNION ALL SELECT urn FROM cpd_activities_changes WHERE change_upload_id = u.upload_id
       )), []) AS urns,
       (EXISTS (SELECT 1 FROM schools_changes WHERE change_upload_id = u.upload_id)
        OR EXISTS (SELECT 1 FROM partnerships_changes WHERE change_upload_id = u.upload_id)
        OR EXISTS (SELECT 1 FROM cohorts_changes WHERE change_upload_id = u.upload_id)
        OR EXISTS (SELECT 1 FROM memberships_changes WHERE change_upload_id = u.upload_id)
        OR EXISTS (SELECT 1 FROM benchmarks_changes WHERE change_upload_id = u.upload_id))
           AS structure
FROM uploads u
WHERE $upload_id IS NULL OR u.upload_id = $upload_id
ORDER BY u.upload_id DESC
