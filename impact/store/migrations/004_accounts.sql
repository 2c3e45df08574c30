-- Accounts, roles and the audit log (issue 9).
--
-- users: one row per person who may sign in, by e-mail address (stored lower-case; unique,
-- kept so by the one write path, impact.auth.accounts). role is admin | head | governor
-- (impact.domain.roles). password_hash is an Argon2id hash, or NULL for an account that signs
-- in only through the trust's Microsoft 365 or Google Workspace. failed_sign_ins and
-- locked_until slow down and lock out password guessing.
CREATE SEQUENCE user_id_seq START 1;

CREATE TABLE users (
    user_id          INTEGER NOT NULL,   -- order of creation: the CLI's default admin is the first
    email            VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,
    role             VARCHAR NOT NULL,
    password_hash    VARCHAR,
    created_at       TIMESTAMP NOT NULL,
    failed_sign_ins  INTEGER NOT NULL DEFAULT 0,
    locked_until     TIMESTAMP,
    last_sign_in     TIMESTAMP
);

-- A head's own schools (by URN) and a governor's partnerships (by name).
CREATE TABLE user_schools (
    email  VARCHAR NOT NULL,
    urn    INTEGER NOT NULL
);

CREATE TABLE user_partnerships (
    email        VARCHAR NOT NULL,
    partnership  VARCHAR NOT NULL
);

-- Who did what and when: sign-ins (and failures), sign-outs, uploads, undos, exports and
-- changes to accounts, each with its outcome (ok, refused, failed). Never updated or deleted.
CREATE SEQUENCE audit_id_seq START 1;

CREATE TABLE audit_log (
    audit_id     BIGINT NOT NULL DEFAULT nextval('audit_id_seq'),
    happened_at  TIMESTAMP NOT NULL,
    actor_email  VARCHAR,            -- who (as typed, for a failed sign-in)
    actor_name   VARCHAR,
    actor_role   VARCHAR,
    via          VARCHAR,            -- app (password), oidc:<provider>, cli
    event        VARCHAR NOT NULL,   -- impact.auth.audit event names
    outcome      VARCHAR NOT NULL,   -- ok | refused | failed
    detail       VARCHAR,            -- what, in words
    upload_id    INTEGER,
    sha256       VARCHAR
);

-- Uploads and undos are now made by a signed-in account: keep its e-mail so that only the
-- person who made an upload (or an admin) can undo it. Older rows keep NULL (admins only).
ALTER TABLE uploads ADD COLUMN actor_email VARCHAR;
ALTER TABLE upload_events ADD COLUMN actor_email VARCHAR;
