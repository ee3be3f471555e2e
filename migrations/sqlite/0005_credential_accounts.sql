-- A credential may be bound to some of the merchant's accounts; with no rows here it reaches
-- every account of its merchant.
CREATE TABLE api_credential_accounts (
    credential_id  BIGINT NOT NULL REFERENCES api_credentials (id) ON DELETE CASCADE,
    account_id     TEXT   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (credential_id, account_id)
);
