-- The original bytes of one upload, exactly as the user sent them.
SELECT u.file_name, f.content
FROM uploads u
JOIN upload_files f USING (sha256)
WHERE u.upload_id = $upload_id
