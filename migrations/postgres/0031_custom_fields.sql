-- Questions a link asks its payers (JSON array, NULL: none) and each attempt's answers with
-- the labels they answered (JSON array, NULL: none), so a payment's record never changes with
-- its link.
ALTER TABLE payment_links ADD COLUMN custom_fields TEXT;
ALTER TABLE payment_link_histories ADD COLUMN custom_values TEXT;
