-- Quantities a payer chooses (per item, 1 to max_quantity) and a link's stock in units (sum
-- of the quantities of its paid and live pending attempts never above it). units_paid is
-- raised in the crediting transaction, as current_usage is; pending units are counted live,
-- so an attempt that ends or expires gives its units back without any bookkeeping.
ALTER TABLE payment_link_items ADD COLUMN max_quantity BIGINT;
ALTER TABLE payment_links ADD COLUMN stock BIGINT CHECK (stock IS NULL OR stock >= 1);
ALTER TABLE payment_links ADD COLUMN units_paid BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payment_link_histories ADD COLUMN units BIGINT NOT NULL DEFAULT 1;
-- The quantity of each item as the payer chose them (JSON array; NULL: as the link offers).
ALTER TABLE payment_link_histories ADD COLUMN quantities TEXT;
