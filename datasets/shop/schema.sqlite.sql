-- The shop the example datasets fill, for SQLite.

CREATE TABLE users (
  id         INTEGER PRIMARY KEY,
  email      VARCHAR(255) NOT NULL UNIQUE,
  name       VARCHAR(100) NOT NULL,
  is_admin   BOOLEAN NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE products (
  id         INTEGER PRIMARY KEY,
  sku        VARCHAR(32) NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  price      DECIMAL(10, 2) NOT NULL CHECK (price >= 0),
  attributes JSON
);

CREATE TABLE orders (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
  ordered_at TIMESTAMPTZ NOT NULL,
  note       TEXT
);
CREATE INDEX orders_user_id ON orders (user_id);

CREATE TABLE order_items (
  id         INTEGER PRIMARY KEY,
  order_id   INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id INTEGER NOT NULL REFERENCES products (id),
  quantity   INTEGER NOT NULL CHECK (quantity > 0),
  unit_price DECIMAL(10, 2) NOT NULL
);
CREATE INDEX order_items_order_id ON order_items (order_id);
