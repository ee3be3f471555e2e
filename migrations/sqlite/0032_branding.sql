-- A merchant's brand on their payer pages: a colour (#rrggbb, checked to contrast with white)
-- and a logo, stored as the PNG the server re-encoded and served under a key that changes
-- with each upload (so it can be cached for good).
ALTER TABLE merchants ADD COLUMN brand_color TEXT;
CREATE TABLE merchant_logos (
    merchant_id  BIGINT  PRIMARY KEY REFERENCES merchants (id) ON DELETE CASCADE,
    logo_key     TEXT    NOT NULL UNIQUE,
    png          BLOB    NOT NULL,
    updated_at   BIGINT  NOT NULL
);
