-- Every account with its links, in the order they were made (the first admin is the command
-- line's default). Schools and partnerships as lists.
SELECT u.user_id, u.email, u.name, u.role, u.password_hash, u.created_at, u.failed_sign_ins,
       u.locked_until, u.last_sign_in,
       coalesce((SELECT list(s.urn ORDER BY s.urn) FROM user_schools s
                 WHERE s.email = u.email), []) AS urns,
       coalesce((SELECT list(p.partnership ORDER BY p.partnership) FROM user_partnerships p
                 WHERE p.email = u.email), []) AS partnerships
FROM users u
WHERE $email IS NULL OR u.email = $email
ORDER BY u.user_id
