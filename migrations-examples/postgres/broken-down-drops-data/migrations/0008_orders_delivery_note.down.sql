-- Wrong: dropping the column throws its values away, and the new column starts empty.
-- The schema comes back; the notes do not. (The right down renames the column back.)
ALTER TABLE orders DROP COLUMN delivery_note;
ALTER TABLE orders ADD COLUMN note text;
