-- Permata and CIMB Niaga virtual accounts: both gateways issue them (Midtrans's Core API
-- names both among its VA banks), and both take transfers from other banks.
INSERT INTO payment_methods
    (code, name, method_group, description, min_amount, max_amount, fee_flat, fee_percent_bps, expiry_seconds, active, sort_order)
VALUES
    ('VA_PERMATA', 'VA PERMATA', 'va', 'Virtual Account Permata',     10000, 100000000, 4000, 0, 86400, TRUE, 53),
    ('VA_CIMB',    'VA CIMB',    'va', 'Virtual Account CIMB Niaga',  10000, 100000000, 4000, 0, 86400, TRUE, 56);
