-- Refunds of paid payments. A payment keeps two sums: refund_reserved (every refund not
-- failed, pending included), which the conditional update that admits a refund holds at or
-- below the paid amount, so concurrent requests can never refund more than was paid; and
-- refunded_amount (succeeded only), which the figures subtract.
ALTER TABLE payment_link_histories ADD COLUMN refund_reserved BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payment_link_histories ADD COLUMN refunded_amount BIGINT NOT NULL DEFAULT 0;

CREATE TABLE refunds (
    id                  BIGSERIAL PRIMARY KEY,
    merchant_id         BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    history_id          BIGINT  NOT NULL REFERENCES payment_link_histories (id) ON DELETE CASCADE,
    amount              BIGINT  NOT NULL CHECK (amount > 0),
    reason              TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    -- Who issued the payment refunds it; a VA cannot be reversed, so the merchant transfers
    -- the money back and confirms (manual).
    manual              BOOLEAN NOT NULL,
    provider_refund_id  TEXT,
    failure_reason      TEXT,
    requested_by        TEXT    NOT NULL,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);
CREATE INDEX refunds_by_history ON refunds (history_id, id);
