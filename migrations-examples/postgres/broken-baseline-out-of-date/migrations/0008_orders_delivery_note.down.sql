ALTER TABLE orders RENAME COLUMN delivery_note TO note;
