-- Upload history, newest first, for the Upload page and `python -m impact uploads`.
-- rows_removed: rows a change made on the Set up page took away (a rename's old names, a school
-- entered in a cohort by mistake), read from the change logs of the tables it may remove from.
SELECT upload_id, uploaded_at, actor, actor_role, file_name, kind,
       rows_added, rows_updated, rows_unchanged, status, sha256, actor_email,
       (SELECT count(*) FROM (
           SELECT change_upload_id FROM partnerships_changes WHERE change = 'removed'
           UNION ALL SELECT change_upload_id FROM cohorts_changes WHERE change = 'removed'
           UNION ALL SELECT change_upload_id FROM memberships_changes WHERE change = 'removed'
       ) r WHERE r.change_upload_id = u.upload_id) AS rows_removed
FROM uploads u
ORDER BY upload_id DESC
