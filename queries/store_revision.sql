-- A fingerprint of the store's contents that changes with every upload, undo or setting, so
-- the app's cached query results are refreshed at once (they are keyed by it).
SELECT (SELECT coalesce(max(upload_id), 0) FROM uploads) AS last_upload,
       (SELECT count(*) FROM uploads) AS uploads,
       (SELECT count(*) FROM upload_events) AS events,
       (SELECT coalesce(string_agg(key || '=' || value, ';' ORDER BY key), '') FROM settings)
           AS settings
