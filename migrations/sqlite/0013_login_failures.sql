-- Failed log-ins, counted per throttle key ('pair:<email> <address>' or 'address:<address>')
-- and 15-minute window in the database, so every instance holds a client to the same limits.
CREATE TABLE login_failures (
    throttle_key  TEXT   NOT NULL,
    window_start  BIGINT NOT NULL,
    failures      BIGINT NOT NULL CHECK (failures > 0),
    PRIMARY KEY (throttle_key, window_start)
);
-- The job loop deletes ended windows.
CREATE INDEX login_failures_by_window ON login_failures (window_start);
