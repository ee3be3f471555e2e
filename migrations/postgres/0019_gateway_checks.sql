-- When the gateway was last asked about a pending attempt it issued (reconciliation): a lost
-- notification is found this way, and such an attempt expires only once the gateway was
-- asked after its end.
ALTER TABLE payment_link_histories ADD COLUMN gateway_checked_at BIGINT;
CREATE INDEX payment_link_histories_gateway_pending ON payment_link_histories (expired_at)
    WHERE status = 'pending' AND gateway_connection_id IS NOT NULL;
