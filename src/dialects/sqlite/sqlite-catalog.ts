import { sql, type Kysely } from 'kysely';

/**
 * The catalog queries for SQLite: sqlite_schema read once, and the pragma table-valued
 * functions joined against it, so the number of queries is fixed whatever the number of
 * tables. Raw row shapes are typed here; sqlite-snapshot.ts folds them into the shared model.
 *
 * Only the `main` database is read. Internal objects (`sqlite_%`: sqlite_sequence,
 * sqlite_stat1, the sqlite_autoindex_* indexes behind UNIQUE and PRIMARY KEY) are left out.
 */

export interface RawObject {
  type: 'table' | 'view' | 'index' | 'trigger';
  name: string;
  /** The table an index or trigger belongs to (for a trigger: spelled as its statement wrote it). */
  table_name: string;
  /** The CREATE statement exactly as written. */
  sql: string;
  /** From PRAGMA table_list: `table`, `view`, `virtual`, `shadow` (a virtual table's storage); null for indexes and triggers. */
  list_type: 'table' | 'view' | 'virtual' | 'shadow' | null;
  without_rowid: number | null;
  strict: number | null;
}

export interface RawColumn {
  /** The table, view or virtual table. */
  object_name: string;
  cid: number;
  name: string;
  /** The declared type, as written ('' when none). */
  type: string;
  not_null: number;
  /** The DEFAULT as SQLite stores it (the text of the expression, without outer parentheses). */
  default_value: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  pk: number;
  /** 0 ordinary, 1 hidden (virtual tables), 2 generated VIRTUAL, 3 generated STORED. */
  hidden: number;
}

export interface RawIndexKey {
  table_name: string;
  index_name: string;
  is_unique: number;
  seqno: number;
  /** Column number in the table; -1 the rowid, -2 an expression. */
  cid: number;
  column_name: string | null;
  descending: number;
}

export interface RawForeignKey {
  table_name: string;
  /** Numbers the table's foreign keys (SQLite numbers them last declared first). */
  id: number;
  seq: number;
  referenced_table: string;
  column_name: string;
  /** null when the clause references the parent's primary key implicitly. */
  referenced_column: string | null;
  on_update: string;
  on_delete: string;
}

export interface SqliteCatalog {
  objects: RawObject[];
  tableColumns: RawColumn[];
  /** Columns of views and virtual tables (empty for one SQLite cannot resolve). */
  derivedColumns: RawColumn[];
  indexKeys: RawIndexKey[];
  foreignKeys: RawForeignKey[];
}

const USER_OBJECT = `m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`;
/**
 * An ordinary table. SQLite writes the text of every virtual table as `CREATE VIRTUAL TABLE …`;
 * those are kept out of the pragma joins, which would fail on one whose module is not loaded.
 * The condition only reads `m`, so SQLite checks it before calling the pragma on the row.
 */
const ORDINARY_TABLE = `m.type = 'table' AND ${USER_OBJECT} AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%'`;
const DERIVED_RELATION = `${USER_OBJECT} AND (m.type = 'view' OR (m.type = 'table' AND m.sql LIKE 'CREATE VIRTUAL TABLE%'))`;

const COLUMN_FIELDS = `m.name AS object_name, p.cid, p.name, p.type, p."notnull" AS not_null,
  p.dflt_value AS default_value, p.pk, p.hidden`;

export const SQLITE_CATALOG_QUERIES = {
  objects: `
    SELECT m.type, m.name, m.tbl_name AS table_name, m.sql,
      l.type AS list_type, l.wr AS without_rowid, l.strict
    FROM sqlite_schema m
    LEFT JOIN pragma_table_list(m.name) l ON l.schema = 'main'
    WHERE ${USER_OBJECT} AND m.sql IS NOT NULL AND m.type IN ('table', 'view', 'index', 'trigger')
    ORDER BY m.type, m.name`,

  tableColumns: `
    SELECT ${COLUMN_FIELDS}
    FROM sqlite_schema m JOIN pragma_table_xinfo(m.name, 'main') p
    WHERE ${ORDINARY_TABLE}
    ORDER BY m.name, p.cid`,

  derivedColumns: `
    SELECT ${COLUMN_FIELDS}
    FROM sqlite_schema m JOIN pragma_table_xinfo(m.name, 'main') p
    WHERE ${DERIVED_RELATION}
    ORDER BY m.name, p.cid`,

  // Only CREATE INDEX indexes (origin 'c'): the ones behind PRIMARY KEY and UNIQUE are
  // constraints of the table, read from the table itself.
  indexKeys: `
    SELECT m.name AS table_name, il.name AS index_name, il."unique" AS is_unique,
      ix.seqno, ix.cid, ix.name AS column_name, ix."desc" AS descending
    FROM sqlite_schema m
    JOIN pragma_index_list(m.name, 'main') il
    JOIN pragma_index_xinfo(il.name, 'main') ix
    WHERE ${ORDINARY_TABLE} AND il.origin = 'c' AND ix.key = 1
    ORDER BY m.name, il.name, ix.seqno`,

  foreignKeys: `
    SELECT m.name AS table_name, fk.id, fk.seq, fk."table" AS referenced_table,
      fk."from" AS column_name, fk."to" AS referenced_column, fk.on_update, fk.on_delete
    FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name, 'main') fk
    WHERE ${ORDINARY_TABLE}
    ORDER BY m.name, fk.id, fk.seq`,
} as const;

async function run<Row>(db: Kysely<any>, text: string): Promise<Row[]> {
  return (await sql.raw<Row>(text).execute(db)).rows;
}

/**
 * Runs the catalog queries inside the caller's transaction: five queries whatever the size
 * of the schema.
 */
export async function readSqliteCatalog(db: Kysely<any>): Promise<SqliteCatalog> {
  const objects = await run<RawObject>(db, SQLITE_CATALOG_QUERIES.objects);
  return {
    objects,
    tableColumns: await run<RawColumn>(db, SQLITE_CATALOG_QUERIES.tableColumns),
    derivedColumns: await readDerivedColumns(db, objects),
    indexKeys: await run<RawIndexKey>(db, SQLITE_CATALOG_QUERIES.indexKeys),
    foreignKeys: await run<RawForeignKey>(db, SQLITE_CATALOG_QUERIES.foreignKeys),
  };
}

/**
 * SQLite works out a view's columns by compiling its query, which fails when the view names
 * a table that was dropped since (SQLite allows that), and a virtual table's columns by
 * loading its module, which fails when the module is not built in. One such object would
 * fail the whole join, so only then are the objects read one by one, and the broken ones
 * get no columns rather than failing the snapshot.
 */
async function readDerivedColumns(db: Kysely<any>, objects: readonly RawObject[]): Promise<RawColumn[]> {
  try {
    return await run<RawColumn>(db, SQLITE_CATALOG_QUERIES.derivedColumns);
  } catch {
    const rows: RawColumn[] = [];
    for (const object of objects) {
      if (object.list_type !== 'view' && object.list_type !== 'virtual') continue;
      const one = sql<RawColumn>`
        SELECT ${object.name} AS object_name, p.cid, p.name, p.type, p."notnull" AS not_null,
          p.dflt_value AS default_value, p.pk, p.hidden
        FROM pragma_table_xinfo(${object.name}, 'main') p ORDER BY p.cid`;
      rows.push(...(await one.execute(db).then((result) => result.rows, () => [])));
    }
    return rows;
  }
}
