-- Upload history, newest first, for the Upload page and `python -m impact uploads`.
SELECT upload_id, uploaded_at, actor, actor_role, file_name, kind,
       rows_added, rows_updated, rows_unchanged, status, sha256, actor_email
FROM uploads
ORDER BY upload_id DESC
