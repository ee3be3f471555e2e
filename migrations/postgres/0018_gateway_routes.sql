-- Which of a merchant's gateway connections issue which payment methods. When several issue
-- one method, the earliest connected is asked first and the next ones only when it cannot
-- answer (times out, 5xx). A method no connection issues stays with the built-in sandbox.
CREATE TABLE gateway_routes (
    connection_id  BIGINT  NOT NULL REFERENCES gateway_connections (id) ON DELETE CASCADE,
    method_code    TEXT    NOT NULL,
    PRIMARY KEY (connection_id, method_code)
);
-- Which connection issued an attempt (none: the sandbox) and the gateway's id of the charge:
-- only that connection's notifications may pay it, and reconciliation asks by that id.
ALTER TABLE payment_link_histories ADD COLUMN gateway_connection_id BIGINT;
ALTER TABLE payment_link_histories ADD COLUMN gateway_reference TEXT;
