-- "Forgot password?" links: only the SHA-256 of each token is kept, so a copy of the database
-- opens no account; a link works once, for an hour.
CREATE TABLE password_resets (
    token_hash  TEXT    PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);
