-- +goose Up
-- Indexes for the back office: orders by status, and orders by date.
-- (MySQL has no partial indexes: the status index covers every order.)
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_created_at_idx ON orders (created_at);

-- +goose Down
DROP INDEX orders_created_at_idx ON orders;
DROP INDEX orders_status_idx ON orders;
