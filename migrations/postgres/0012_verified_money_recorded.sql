-- Verified money is always recorded. A payment that arrives for a live attempt is credited
-- even when it takes its link past max_usage (the reservation makes that rare: only clocks
-- that disagree about an attempt's expiry can cause it); the constraint that refused such a
-- credit, and left the money unrecorded, goes. The attempt is flagged for the merchant.
ALTER TABLE payment_links DROP CONSTRAINT payment_links_check;
ALTER TABLE payment_links ADD CONSTRAINT payment_links_current_usage_check
    CHECK (current_usage >= 0);

-- Why a credited payment wants the merchant's attention; NULL when it does not.
ALTER TABLE payment_link_histories ADD COLUMN flag TEXT CHECK (flag IN ('over_cap'));
