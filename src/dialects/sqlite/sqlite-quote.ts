/**
 * Identifier and literal quoting for generated SQLite. Names are quoted only when they must
 * be (a key word, a character other than letters, digits and `_`), so scripts read like
 * hand-written SQL. A name is never quoted "just in case": the sqlite3 shell before 3.41
 * reads a double-quoted name that matches no column as a string (`"rowid"` in an index
 * would become the constant 'rowid').
 */

/** Every key word of https://sqlite.org/lang_keywords.html. */
const KEYWORDS = new Set(
  `ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY CASCADE
  CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME
  CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE
  EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP
  GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS ISNULL JOIN
  KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS
  OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE
  RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO
  TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT`
    .split(/\s+/)
    .filter((word) => word !== ''),
);

const isPlainStart = (ch: string): boolean => (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_';
const isPlainPart = (ch: string): boolean => isPlainStart(ch) || (ch >= '0' && ch <= '9');

/** Whether a name can be written bare. */
export function isBareName(name: string): boolean {
  if (name === '' || !isPlainStart(name[0]!)) return false;
  for (const ch of name) if (!isPlainPart(ch)) return false;
  return !KEYWORDS.has(name.toUpperCase());
}

export function quoteIdent(name: string): string {
  return isBareName(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** `(a, "b c")` */
export function nameList(names: readonly string[]): string {
  return `(${names.map(quoteIdent).join(', ')})`;
}
