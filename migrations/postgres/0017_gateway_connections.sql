-- A merchant's own accounts at payment gateways (Midtrans, Xendit), one per gateway and
-- mode. Keys are kept sealed (src/secrets.rs, PAYLINKS_SECRET_KEY), bound to the row's
-- merchant, gateway and mode; only their last four characters are kept readable, to show.
CREATE TABLE gateway_connections (
    id                     BIGSERIAL PRIMARY KEY,
    merchant_id            BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    gateway                TEXT    NOT NULL CHECK (gateway IN ('midtrans', 'xendit')),
    mode                   TEXT    NOT NULL CHECK (mode IN ('sandbox', 'production')),
    secret_sealed          TEXT    NOT NULL,
    secret_hint            TEXT    NOT NULL,
    -- Xendit's callback verification token; Midtrans signs with the server key itself.
    callback_token_sealed  TEXT,
    created_at             BIGINT  NOT NULL,
    updated_at             BIGINT  NOT NULL,
    CONSTRAINT gateway_connections_one_per_mode UNIQUE (merchant_id, gateway, mode)
);
