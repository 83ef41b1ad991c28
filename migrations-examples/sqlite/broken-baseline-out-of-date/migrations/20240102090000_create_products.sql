-- migrate:up
-- What the shop sells. Prices are whole cents; SQLite has no boolean, so `active` is 0 or 1.
CREATE TABLE products (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

-- migrate:down
DROP TABLE products;
