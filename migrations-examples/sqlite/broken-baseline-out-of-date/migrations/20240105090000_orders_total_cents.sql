-- migrate:up
-- orders.total_cents, backfilled from the order lines that already exist.
-- schemaguard:transforms orders
ALTER TABLE orders ADD COLUMN total_cents INTEGER NOT NULL DEFAULT 0 CHECK (total_cents >= 0);

UPDATE orders
SET total_cents = (
  SELECT coalesce(sum(i.quantity * i.unit_price_cents), 0)
  FROM order_items i
  WHERE i.order_id = orders.id
);

-- migrate:down
-- The column only holds what the order lines already say: dropping it loses nothing.
ALTER TABLE orders DROP COLUMN total_cents;
