-- The language a dashboard user reads paylinks in (pages, messages, emails): taken from
-- their browser when they first sign in, changed from the dashboard. NULL until then.
ALTER TABLE users ADD COLUMN lang TEXT CHECK (lang IN ('id', 'en'));
