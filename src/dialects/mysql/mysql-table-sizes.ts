/**
 * The query `schemaguard migrate table-sizes-query --dialect mysql` prints: every base table's
 * row estimate from information_schema.TABLES.TABLE_ROWS (InnoDB's statistics; exact for
 * MyISAM), as the JSON object `--table-sizes` reads. MySQL 5.7.22+ and MariaDB 10.5+ have
 * JSON_OBJECTAGG.
 */
export const MYSQL_TABLE_SIZES_QUERY = `-- Row estimates of every table (information_schema.TABLES.TABLE_ROWS), as JSON for schemaguard migrate lint --table-sizes.
-- Run it on production, in the application's database (it only reads the catalog):
--   mysql --batch --raw --skip-column-names app < table-sizes.sql > table-sizes.json
SELECT COALESCE(JSON_OBJECTAGG(TABLE_NAME, TABLE_ROWS), JSON_OBJECT()) AS table_sizes
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE';
`;
