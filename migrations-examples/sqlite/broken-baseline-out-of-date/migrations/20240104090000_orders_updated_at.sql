-- migrate:up
-- orders.updated_at, kept current by a trigger whenever the status changes.
-- (SQLite has no stored functions: the trigger body does the work itself.)
ALTER TABLE orders ADD COLUMN updated_at TEXT;

CREATE TRIGGER orders_touch AFTER UPDATE OF status ON orders
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = NEW.id;
END;

-- migrate:down
DROP TRIGGER orders_touch;
ALTER TABLE orders DROP COLUMN updated_at;
