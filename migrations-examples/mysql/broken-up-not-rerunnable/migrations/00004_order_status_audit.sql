-- +goose Up
-- Every change of an order's status is written to an audit table by a trigger.
CREATE TABLE order_status_changes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_id BIGINT UNSIGNED NOT NULL,
  old_status VARCHAR(16) NOT NULL,
  new_status VARCHAR(16) NOT NULL,
  changed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY order_status_changes_order_id_idx (order_id),
  CONSTRAINT order_status_changes_order_id_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The body has semicolons of its own: StatementBegin/End keep it one statement.
-- +goose StatementBegin
CREATE TRIGGER orders_status_audit AFTER UPDATE ON orders FOR EACH ROW
BEGIN
  IF NOT (OLD.status <=> NEW.status) THEN
    INSERT INTO order_status_changes (order_id, old_status, new_status)
    VALUES (NEW.id, OLD.status, NEW.status);
  END IF;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER orders_status_audit;
DROP TABLE order_status_changes;
