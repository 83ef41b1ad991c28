-- The column only holds what the order lines already say: dropping it loses nothing.
ALTER TABLE orders DROP COLUMN total_cents;
