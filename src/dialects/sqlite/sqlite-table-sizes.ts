/**
 * The query `schemaguard migrate table-sizes-query --dialect sqlite` prints. SQLite keeps no
 * row estimates, and plain SQL cannot name a table from a value, so the query writes a second
 * query that counts every table exactly (count(*), one table after another) and returns the
 * JSON object `--table-sizes` reads; the shell runs both in one line.
 */
export const SQLITE_TABLE_SIZES_QUERY = `-- Exact row counts of every table, as JSON for schemaguard migrate lint --table-sizes.
-- This query writes the counting query; run both in one line (SQLite 3.38+, or JSON1):
--   sqlite3 app.db "$(sqlite3 app.db < table-sizes.sql)" > table-sizes.json
SELECT coalesce(
  'SELECT json_group_object(name, n) FROM (' ||
    group_concat('SELECT ' || quote(name) || ' AS name, (SELECT count(*) FROM "' || replace(name, '"', '""') || '") AS n', ' UNION ALL ') ||
  ');',
  'SELECT ''{}'';'
)
FROM sqlite_schema
WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\';
`;
