/**
 * The query `schemaguard migrate table-sizes-query --dialect postgres` prints: every user
 * table's row estimate from the planner statistics (pg_class.reltuples, kept by autovacuum and
 * ANALYZE; no table is scanned), as the JSON object `--table-sizes` reads. A table never
 * analysed has no estimate (-1): it is written as null, which lint treats as unknown.
 */
export const POSTGRES_TABLE_SIZES_QUERY = `-- Row estimates of every table (pg_class.reltuples), as JSON for schemaguard migrate lint --table-sizes.
-- Run it on production (it only reads the catalog):
--   psql "$DATABASE_URL" -X -A -t -f table-sizes.sql > table-sizes.json
SELECT coalesce(
  json_object_agg(n.nspname || '.' || c.relname, CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END ORDER BY n.nspname, c.relname),
  '{}'
) AS table_sizes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%'
  AND n.nspname NOT LIKE 'pg\\_temp\\_%';
`;
