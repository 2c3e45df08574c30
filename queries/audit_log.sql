-- The audit log, newest first (Audit log page, `python -m impact audit`).
SELECT audit_id, happened_at, actor_email, actor_name, actor_role, via, event, outcome, detail,
       upload_id, sha256
FROM audit_log
ORDER BY audit_id DESC
