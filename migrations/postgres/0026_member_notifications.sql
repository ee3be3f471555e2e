-- What each dashboard user wants to hear of by email (their choice on the Security page):
-- every payment received (off at first: it can be many), a link used up, the webhook
-- endpoint failing for an hour, and an export of theirs being ready.
ALTER TABLE users ADD COLUMN notify_payments BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN notify_exhausted BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN notify_webhooks BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN notify_exports BOOLEAN NOT NULL DEFAULT TRUE;
-- Who started an export, to tell them when it is ready.
ALTER TABLE exports ADD COLUMN requested_by BIGINT;
