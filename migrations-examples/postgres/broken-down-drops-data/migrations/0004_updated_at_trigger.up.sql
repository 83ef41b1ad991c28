-- orders.updated_at, and one plpgsql function that keeps updated_at current on every
-- table that has one, called by a BEFORE UPDATE trigger per table.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

SET lock_timeout = '5s';
-- schemaguard:ignore access-exclusive-lock a column with a non-volatile default is added without a rewrite: the lock lasts milliseconds, and lock_timeout bounds the wait for it
ALTER TABLE orders ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER products_set_updated_at BEFORE UPDATE ON products
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
