-- Two-factor sign-in (TOTP, RFC 6238): the secret once confirmed, the one being set up
-- meanwhile, and the last time step a code was accepted for (a code works once).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- One-time recovery codes for a lost authenticator, stored as SHA-256 hex.
CREATE TABLE recovery_codes (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT   NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

-- Owners may require two-factor sign-in of every member.
ALTER TABLE merchants ADD COLUMN require_two_factor BOOLEAN NOT NULL DEFAULT FALSE;

-- Each signed-in browser. A session is signed in only while its row exists, so a user can
-- see theirs and end any of them (or all the others) from anywhere.
CREATE TABLE user_sessions (
    login_id     TEXT   PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    user_agent   TEXT,
    ip_address   TEXT
);
CREATE INDEX user_sessions_by_user ON user_sessions (user_id);
