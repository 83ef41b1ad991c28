-- orders.note is only ever about delivery: say so in its name. Renaming keeps the values.
SET lock_timeout = '5s';
-- schemaguard:ignore column-renamed,access-exclusive-lock the application maps both names since release 2.3, and a rename only touches the catalog
ALTER TABLE orders RENAME COLUMN note TO delivery_note;
