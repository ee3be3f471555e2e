-- The payments table lists one account's attempts across its links, filtered and sorted,
-- a page at a time by key (never OFFSET), which needs the account on the attempt itself.
ALTER TABLE payment_link_histories ADD COLUMN account_id TEXT;
UPDATE payment_link_histories h
SET account_id = l.account_id FROM payment_links l WHERE l.id = h.payment_link_id;
ALTER TABLE payment_link_histories ALTER COLUMN account_id SET NOT NULL;

-- One index per sort order, each ending in id so every page boundary is a unique key.
CREATE INDEX payment_link_histories_account_created
    ON payment_link_histories (account_id, created_at, id);
CREATE INDEX payment_link_histories_account_paid
    ON payment_link_histories (account_id, payment_date, id);
CREATE INDEX payment_link_histories_account_amount
    ON payment_link_histories (account_id, amount, id);
CREATE INDEX payment_link_histories_account_status
    ON payment_link_histories (account_id, status, created_at, id);
