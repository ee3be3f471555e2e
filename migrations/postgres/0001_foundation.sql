-- Foundation schema. All *_at columns hold Unix milliseconds in UTC (BIGINT), the same on
-- SQLite and Postgres, so time comparisons behave identically on both backends.
-- Money columns hold whole rupiah (BIGINT); there are no fractional rupiah.

-- A merchant is the organisation; every row below belongs to exactly one merchant.
CREATE TABLE merchants (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at  BIGINT  NOT NULL
);

-- Dashboard users. Emails are stored lower-cased, so UNIQUE is case-insensitive in effect.
CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    merchant_id    BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    email          TEXT    NOT NULL UNIQUE,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'viewer')),
    created_at     BIGINT  NOT NULL
);
CREATE INDEX users_by_merchant ON users (merchant_id);

-- Sub-accounts of a merchant (ULID ids, as the API exposes them). Links live in an account.
CREATE TABLE accounts (
    id           TEXT    PRIMARY KEY CHECK (length(id) = 26),
    merchant_id  BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    status       TEXT    NOT NULL CHECK (status IN ('active', 'inactive')),
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
CREATE INDEX accounts_by_merchant ON accounts (merchant_id, created_at);

-- The payment-method catalogue is data: fees, limits and expiry change without a release.
-- fee_percent_bps is in basis points (70 = 0.7 %).
CREATE TABLE payment_methods (
    code             TEXT    PRIMARY KEY,
    name             TEXT    NOT NULL,
    method_group     TEXT    NOT NULL CHECK (method_group IN ('va', 'qris', 'ewallet')),
    description      TEXT    NOT NULL,
    min_amount       BIGINT  NOT NULL CHECK (min_amount >= 1),
    max_amount       BIGINT  NOT NULL CHECK (max_amount >= min_amount),
    fee_flat         BIGINT  NOT NULL CHECK (fee_flat >= 0),
    fee_percent_bps  BIGINT  NOT NULL CHECK (fee_percent_bps BETWEEN 0 AND 10000),
    expiry_seconds   BIGINT  NOT NULL CHECK (expiry_seconds > 0),
    active           BOOLEAN NOT NULL,
    sort_order       BIGINT  NOT NULL
);

INSERT INTO payment_methods
    (code, name, method_group, description, min_amount, max_amount, fee_flat, fee_percent_bps, expiry_seconds, active, sort_order)
VALUES
    ('VA_BRI',     'VA BRI',     'va',      'Virtual Account BRI (BRIVA)',   10000, 100000000, 4000,   0, 86400, TRUE, 10),
    ('VA_BNI',     'VA BNI',     'va',      'Virtual Account BNI',           10000, 100000000, 4000,   0, 86400, TRUE, 20),
    ('VA_BCA',     'VA BCA',     'va',      'Virtual Account BCA',           10000, 100000000, 4000,   0, 86400, TRUE, 30),
    ('VA_MAYBANK', 'VA MAYBANK', 'va',      'Virtual Account Maybank',       10000, 100000000, 4000,   0, 86400, TRUE, 40),
    ('VA_DANAMON', 'VA DANAMON', 'va',      'Virtual Account Danamon',       10000, 100000000, 4000,   0, 86400, TRUE, 50),
    ('QRIS',       'QRIS',       'qris',    'QR Code Indonesian Standard',    1000,  10000000,    0,  70,  1800, TRUE, 60),
    ('GOPAY',      'GoPay',      'ewallet', 'GoPay e-wallet',                 1000,  20000000,    0, 200,   900, TRUE, 70),
    ('SHOPEEPAY',  'ShopeePay',  'ewallet', 'ShopeePay e-wallet',             1000,  20000000,    0, 200,   900, TRUE, 80),
    ('DANA',       'DANA',       'ewallet', 'DANA e-wallet',                  1000,  20000000,    0, 150,   900, TRUE, 90),
    ('LINKAJA',    'LinkAja',    'ewallet', 'LinkAja e-wallet',               1000,  20000000,    0, 150,   900, TRUE, 100),
    ('OVO',        'OVO',        'ewallet', 'OVO e-wallet (push to phone)',   1000,  20000000,    0, 150,   300, TRUE, 110);

-- A reusable payment link. reff_no is the merchant's reference (never in a public URL);
-- slug is the opaque public id used in /pay/{slug}.
CREATE TABLE payment_links (
    id                          BIGSERIAL PRIMARY KEY,
    merchant_id                 BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    account_id                  TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    slug                        TEXT    NOT NULL UNIQUE,
    reff_no                     TEXT    NOT NULL CHECK (length(reff_no) BETWEEN 1 AND 40),
    title                       TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 255),
    description                 TEXT,
    total_amount                BIGINT  NOT NULL CHECK (total_amount BETWEEN 10000 AND 100000000),
    required_customer_detail    BOOLEAN NOT NULL,
    max_usage                   BIGINT  NOT NULL CHECK (max_usage BETWEEN 1 AND 1000000),
    current_usage               BIGINT  NOT NULL DEFAULT 0 CHECK (current_usage BETWEEN 0 AND max_usage),
    expired_at                  BIGINT,
    status                      TEXT    NOT NULL CHECK (status IN ('open', 'closed')),
    -- JSON array of method codes; NULL means every active method.
    whitelisted_payment_method  TEXT,
    redirect_url                TEXT    CHECK (length(redirect_url) <= 2048),
    -- JSON object, at most 16 KB.
    optional_metadata           TEXT    NOT NULL DEFAULT '{}' CHECK (length(optional_metadata) <= 16384),
    source                      TEXT    NOT NULL CHECK (source IN ('dashboard', 'api v1', 'api v2')),
    created_at                  BIGINT  NOT NULL,
    updated_at                  BIGINT  NOT NULL,
    CONSTRAINT payment_links_reff_no_per_merchant UNIQUE (merchant_id, reff_no)
);
-- The dashboard list: one account's links, newest first.
CREATE INDEX payment_links_by_account_newest ON payment_links (account_id, id DESC);

-- Line items; subtotal is quantity × unit_price (a negative unit price is a discount line).
CREATE TABLE payment_link_items (
    id               BIGSERIAL PRIMARY KEY,
    payment_link_id  BIGINT  NOT NULL REFERENCES payment_links (id) ON DELETE CASCADE,
    position         BIGINT  NOT NULL,
    name             TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    quantity         BIGINT  NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    unit_price       BIGINT  NOT NULL,
    subtotal         BIGINT  NOT NULL CHECK (subtotal = quantity * unit_price),
    CONSTRAINT payment_link_items_position UNIQUE (payment_link_id, position)
);

-- One payment attempt on a link. Deleting a link with attempts is refused (RESTRICT): the
-- money trail stays intact; merchants close such links instead.
CREATE TABLE payment_link_histories (
    id                         BIGSERIAL PRIMARY KEY,
    payment_link_id            BIGINT  NOT NULL REFERENCES payment_links (id) ON DELETE RESTRICT,
    merchant_id                BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    reff_no                    TEXT    NOT NULL UNIQUE CHECK (length(reff_no) = 23),
    payment_link_reff_no       TEXT    NOT NULL,
    payment_method_code        TEXT    NOT NULL REFERENCES payment_methods (code),
    payment_method_name        TEXT    NOT NULL,
    payment_method_value       TEXT    NOT NULL,
    payment_method_additional  TEXT,
    amount                     BIGINT  NOT NULL CHECK (amount > 0),
    fee                        BIGINT  NOT NULL CHECK (fee >= 0),
    net_amount                 BIGINT  NOT NULL CHECK (net_amount = amount - fee),
    status                     TEXT    NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'expired')),
    expired_at                 BIGINT  NOT NULL,
    payment_date               BIGINT,
    processed_timestamp        BIGINT,
    provider_transaction_id    TEXT    UNIQUE,
    customer_name              TEXT,
    customer_email             TEXT,
    customer_phone             TEXT,
    ip_address                 TEXT,
    has_settle                 BOOLEAN NOT NULL DEFAULT FALSE,
    settle_at                  BIGINT,
    optional_metadata          TEXT    NOT NULL DEFAULT '{}',
    created_at                 BIGINT  NOT NULL,
    updated_at                 BIGINT  NOT NULL
);
CREATE INDEX payment_link_histories_by_link ON payment_link_histories (payment_link_id, id DESC);
