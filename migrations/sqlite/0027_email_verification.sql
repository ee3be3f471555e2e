-- A new merchant confirms their email address by a link sent to it (user_links). Users from
-- before are taken as confirmed, and so is a member who accepted an invitation (its link
-- reached them).
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
UPDATE users SET email_verified_at = created_at;
