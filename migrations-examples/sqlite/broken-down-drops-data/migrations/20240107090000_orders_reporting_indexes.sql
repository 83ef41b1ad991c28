-- migrate:up
-- Indexes for the back office: open orders by status, and orders by date.
CREATE INDEX orders_open_idx ON orders (status) WHERE status IN ('new', 'paid');
CREATE INDEX orders_created_at_idx ON orders (created_at);

-- migrate:down
DROP INDEX orders_created_at_idx;
DROP INDEX orders_open_idx;
