-- Retail outlets: payers take a payment code to an Alfamart or Indomaret cashier and pay in
-- cash. Limits are the outlets' own for cash (Alfamart takes at most Rp 2.500.000 in cash,
-- Indomaret Rp 5.000.000); a code lives a day, as both gateways issue it by default.
ALTER TABLE payment_methods
    DROP CONSTRAINT payment_methods_method_group_check,
    ADD CONSTRAINT payment_methods_method_group_check
        CHECK (method_group IN ('va', 'qris', 'ewallet', 'retail'));

INSERT INTO payment_methods
    (code, name, method_group, description, min_amount, max_amount, fee_flat, fee_percent_bps, expiry_seconds, active, sort_order)
VALUES
    ('ALFAMART',  'Alfamart',  'retail', 'Cash at Alfamart, Alfamidi and DAN+DAN',  10000, 2500000, 5000, 0, 86400, TRUE, 120),
    ('INDOMARET', 'Indomaret', 'retail', 'Cash at Indomaret',                       10000, 5000000, 5000, 0, 86400, TRUE, 130);
