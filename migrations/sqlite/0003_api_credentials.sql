-- REST API credentials and the bearer tokens issued for them.

-- One credential = an API key (sent as X-PARTNER-ID), a client id and a client secret.
-- The secret is stored as issued because the token request's signature is an HMAC keyed
-- by it; it is shown to the merchant once. Revoked credentials stay for the record.
CREATE TABLE api_credentials (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id    BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    api_key        TEXT    NOT NULL UNIQUE,
    client_id      TEXT    NOT NULL UNIQUE,
    client_secret  TEXT    NOT NULL,
    revoked_at     BIGINT,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX api_credentials_by_merchant ON api_credentials (merchant_id);

-- Bearer tokens, kept as SHA-256 digests: a database leak reveals no usable token.
CREATE TABLE api_tokens (
    token_hash     TEXT    PRIMARY KEY,
    credential_id  BIGINT  NOT NULL REFERENCES api_credentials (id) ON DELETE CASCADE,
    expires_at     BIGINT  NOT NULL,
    created_at     BIGINT  NOT NULL
);
