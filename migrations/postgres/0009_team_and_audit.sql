-- Team invitations and the audit log.

-- An owner invites an email with a role; the link carries a random token, stored hashed.
-- Accepting creates the user in the merchant. Unused invitations expire.
CREATE TABLE invitations (
    id           BIGSERIAL PRIMARY KEY,
    merchant_id  BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    email        TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'viewer')),
    token_hash   TEXT    NOT NULL UNIQUE,
    invited_by   BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    accepted_at  BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX invitations_by_merchant ON invitations (merchant_id, id DESC);

-- Who did what and when: one row per change made in the dashboard or through the API.
-- The actor is kept as text too, so the record survives the user's removal.
CREATE TABLE audit_log (
    id           BIGSERIAL PRIMARY KEY,
    merchant_id  BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    user_id      BIGINT,
    actor        TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    detail       TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX audit_log_by_merchant ON audit_log (merchant_id, id DESC);
