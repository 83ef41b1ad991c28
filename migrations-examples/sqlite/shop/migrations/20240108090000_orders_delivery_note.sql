-- migrate:up
-- orders.note is only ever about delivery: say so in its name. Renaming keeps the values.
-- schemaguard:ignore column-renamed the application maps both names since release 2.3
ALTER TABLE orders RENAME COLUMN note TO delivery_note;

-- migrate:down
ALTER TABLE orders RENAME COLUMN delivery_note TO note;
