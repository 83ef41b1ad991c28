DROP TRIGGER products_set_updated_at ON products;
DROP TRIGGER orders_set_updated_at ON orders;
ALTER TABLE orders DROP COLUMN updated_at;
DROP FUNCTION set_updated_at();
