-- max_usage 0 means unlimited, as Singapay's clients send it: the cap's CHECK allows 0.
ALTER TABLE payment_links DROP CONSTRAINT payment_links_max_usage_check;
ALTER TABLE payment_links ADD CONSTRAINT payment_links_max_usage_check
    CHECK (max_usage BETWEEN 0 AND 1000000);
