-- migrate:up
-- What each customer has ordered, in orders and cents.
CREATE VIEW order_totals AS
  SELECT u.id AS user_id, u.email, count(o.id) AS orders, coalesce(sum(o.total_cents), 0) AS total_cents
  FROM users u LEFT JOIN orders o ON o.user_id = u.id
  GROUP BY u.id, u.email;

-- migrate:down
DROP VIEW order_totals;
