-- A new merchant confirms their email address by a link sent to it. Users from before are
-- taken as confirmed, and so is a member who accepted an invitation (its link reached them).
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
UPDATE users SET email_verified_at = created_at;

CREATE TABLE email_verifications (
    token_hash  TEXT    PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
CREATE INDEX email_verifications_by_user ON email_verifications (user_id);
