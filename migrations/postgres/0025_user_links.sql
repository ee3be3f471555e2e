-- Single-use links mailed to a user: a password reset (valid an hour) or their address to
-- confirm (a week). Only the SHA-256 of each token is kept, so a copy of the database opens
-- no account.
CREATE TABLE user_links (
    token_hash  TEXT    PRIMARY KEY,
    purpose     TEXT    NOT NULL CHECK (purpose IN ('password_reset', 'verify_email')),
    user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
CREATE INDEX user_links_by_user ON user_links (user_id, purpose);
