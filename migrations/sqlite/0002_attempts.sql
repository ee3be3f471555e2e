-- Payment attempts (histories) in use.

-- A VA number, QRIS payload or checkout URL identifies one live attempt: payments are matched
-- to attempts by it, so no two pending attempts of a method may share one.
CREATE UNIQUE INDEX payment_link_histories_live_value
    ON payment_link_histories (payment_method_code, payment_method_value)
    WHERE status = 'pending' AND payment_method_value <> '';

-- Reserving a slot counts a link's paid and live pending attempts.
CREATE INDEX payment_link_histories_by_link_status
    ON payment_link_histories (payment_link_id, status, expired_at);
