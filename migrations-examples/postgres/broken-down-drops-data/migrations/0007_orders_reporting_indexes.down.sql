DROP INDEX orders_created_at_idx;
DROP INDEX orders_open_idx;
