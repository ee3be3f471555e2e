-- Links whose payer chooses the amount: {"minimum", "maximum", "suggested"} as JSON, fixed at
-- creation (NULL: a fixed total). Such a link's total_amount is its minimum and it has no
-- items; each attempt's amount is the one its payer chose.
ALTER TABLE payment_links ADD COLUMN open_amount TEXT;
