-- Whether the built-in sandbox issues the methods no gateway connection of the merchant
-- issues. A merchant taking real money turns it off, so a payer is never shown a sandbox
-- VA number: those methods are then not offered at all.
ALTER TABLE merchants ADD COLUMN sandbox_issues BOOLEAN NOT NULL DEFAULT TRUE;
