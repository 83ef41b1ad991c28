-- +goose Up
-- orders.total_cents, backfilled from the order lines that already exist by a stored
-- function that the application can call too.
-- schemaguard:transforms orders

-- +goose StatementBegin
CREATE FUNCTION order_total_cents(p_order_id BIGINT UNSIGNED) RETURNS BIGINT
READS SQL DATA
BEGIN
  RETURN (
    SELECT COALESCE(SUM(quantity * unit_price_cents), 0)
    FROM order_items
    WHERE order_id = p_order_id
  );
END;
-- +goose StatementEnd

ALTER TABLE orders
  ADD COLUMN total_cents BIGINT NOT NULL DEFAULT 0,
  ADD CONSTRAINT orders_total_cents_check CHECK (total_cents >= 0);

UPDATE orders SET total_cents = order_total_cents(id);

-- +goose Down
-- The column only holds what the order lines already say: dropping it loses nothing.
ALTER TABLE orders DROP CONSTRAINT orders_total_cents_check, DROP COLUMN total_cents;
DROP FUNCTION order_total_cents;
