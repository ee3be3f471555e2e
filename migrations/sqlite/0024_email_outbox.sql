-- The language the payer used, so their receipt speaks it.
ALTER TABLE payment_link_histories ADD COLUMN payer_lang TEXT NOT NULL DEFAULT 'id';

-- Mail waiting to go out, written in the same transaction as what it tells of (a payment, a
-- refund), so a crash or an SMTP outage loses none; sent by the mail worker with retries.
-- dedupe_key makes a message exist once (a receipt per payment, a notice per refund).
CREATE TABLE outbound_emails (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id      BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    kind             TEXT    NOT NULL,
    dedupe_key       TEXT    NOT NULL UNIQUE,
    to_address       TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    text_body        TEXT    NOT NULL,
    html_body        TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    tries            BIGINT  NOT NULL DEFAULT 0,
    next_try_at      BIGINT  NOT NULL,
    -- A worker holds a message while it sends it; a lapsed claim is taken up again.
    claimed_until    BIGINT  NOT NULL DEFAULT 0,
    last_error       TEXT,
    created_at       BIGINT  NOT NULL,
    sent_at          BIGINT
);
CREATE INDEX outbound_emails_due ON outbound_emails (status, next_try_at);
