-- Responses to API POSTs sent with an Idempotency-Key, replayed for 24 hours. A row with no
-- response yet marks a request in flight, so a concurrent retry cannot run it twice.
CREATE TABLE api_idempotency_keys (
    credential_id   BIGINT  NOT NULL REFERENCES api_credentials (id) ON DELETE CASCADE,
    idempotency_key TEXT    NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_hash    TEXT    NOT NULL,
    status_code     BIGINT,
    response_body   TEXT,
    created_at      BIGINT  NOT NULL,
    PRIMARY KEY (credential_id, idempotency_key)
);
