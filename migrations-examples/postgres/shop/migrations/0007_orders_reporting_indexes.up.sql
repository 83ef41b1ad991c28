-- Indexes for the back office: open orders by status, and orders by date.
-- Built inside the migration's transaction: orders is small (about 20,000 rows), each build
-- blocks writes for well under a second.
SET lock_timeout = '5s';
-- schemaguard:ignore pg-create-index-not-concurrently small table, see above
CREATE INDEX orders_open_idx ON orders (status) WHERE status IN ('new', 'paid');
-- schemaguard:ignore pg-create-index-not-concurrently small table, see above
CREATE INDEX orders_created_at_idx ON orders (created_at);
