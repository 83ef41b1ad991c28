-- orders.total_cents, backfilled from the order lines that already exist.
-- schemaguard:transforms orders
SET lock_timeout = '5s';
-- schemaguard:ignore access-exclusive-lock,pg-add-check-not-valid orders holds about 20,000 rows: checking them takes well under a second
ALTER TABLE orders
  ADD COLUMN total_cents bigint NOT NULL DEFAULT 0
  CONSTRAINT orders_total_cents_check CHECK (total_cents >= 0);

UPDATE orders o
SET total_cents = lines.total
FROM (
  SELECT order_id, sum(quantity * unit_price_cents) AS total
  FROM order_items
  GROUP BY order_id
) AS lines
WHERE lines.order_id = o.id;
