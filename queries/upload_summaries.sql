-- The summaries of recent uploads that chose which schools of a public file to keep, newest
-- first: the Upload page suggests the same choice again.
SELECT summary
FROM uploads
WHERE summary LIKE '%"scope"%'
ORDER BY upload_id DESC
LIMIT 20
