-- Payments exports: a filter written to a CSV or XLSX file in the background. The file
-- lives in the export folder under the export's id; only its merchant may download it.
CREATE TABLE exports (
    id           TEXT    PRIMARY KEY,
    merchant_id  BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    account_id   TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    format       TEXT    NOT NULL CHECK (format IN ('csv', 'xlsx')),
    -- The payments page's query (JSON), so the file holds exactly what the table showed.
    query        TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    total_rows   BIGINT  NOT NULL DEFAULT 0,
    done_rows    BIGINT  NOT NULL DEFAULT 0,
    size_bytes   BIGINT,
    error        TEXT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    finished_at  BIGINT
);
CREATE INDEX exports_by_account ON exports (account_id, created_at DESC);
