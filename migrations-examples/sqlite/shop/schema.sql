-- The shop example's schema as it stands after all its migrations (SQLite).
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL COLLATE NOCASE UNIQUE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped', 'cancelled')),
  total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
  updated_at TEXT
);
CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE INDEX orders_open_idx ON orders (status) WHERE status IN ('new', 'paid');

CREATE VIEW order_totals AS
  SELECT u.id AS user_id, u.email, count(o.id) AS orders, coalesce(sum(o.total_cents), 0) AS total_cents
  FROM users u LEFT JOIN orders o ON o.user_id = u.id
  GROUP BY u.id, u.email;

CREATE TRIGGER orders_touch AFTER UPDATE OF status ON orders
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = NEW.id;
END;
