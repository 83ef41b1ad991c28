import { sql, type Kysely } from 'kysely';
import { qualify } from './postgres-quote.js';

/**
 * What migration lint's lock trace reads from PostgreSQL (server and PGlite) between the
 * statements of a migration, on the session that runs them: the relation locks this session
 * holds, and every user table's storage file (a new relfilenode means the table was rewritten).
 */

/** A user table (plain or partitioned) and the file its rows live in. */
export interface PostgresRelation {
  /** pg_class.oid, as text. */
  readonly oid: string;
  readonly schema: string;
  readonly name: string;
  /** pg_class.relfilenode, as text (0 for a partitioned parent, which has no storage). */
  readonly filenode: string;
}

export interface PostgresRelationLock {
  readonly oid: string;
  /** `AccessExclusiveLock`, `ShareLock`… as pg_locks names it. */
  readonly mode: string;
}

const USER_TABLES = sql`
  c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%'
  AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

export async function readRelations(db: Kysely<any>): Promise<PostgresRelation[]> {
  const { rows } = await sql<PostgresRelation>`
    SELECT c.oid::text AS oid, n.nspname AS schema, c.relname AS name, c.relfilenode::text AS filenode
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${USER_TABLES}`.execute(db);
  return rows;
}

/** Relation locks this session holds (granted), on any relation: callers keep those on tables. */
export async function readSessionLocks(db: Kysely<any>): Promise<PostgresRelationLock[]> {
  const { rows } = await sql<PostgresRelationLock>`
    SELECT relation::oid::text AS oid, mode
    FROM pg_locks
    WHERE locktype = 'relation' AND pid = pg_backend_pid() AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`.execute(db);
  return rows;
}

/** Exact row counts of the given tables, in one query (`schema.name` → rows). */
export async function countRows(db: Kysely<any>, tables: readonly { readonly schema: string; readonly name: string }[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  // A few hundred tables per query keeps the statement small.
  for (let at = 0; at < tables.length; at += 200) {
    const chunk = tables.slice(at, at + 200);
    const parts = chunk.map((t, index) => `SELECT ${index} AS i, count(*) AS n FROM ${qualify(t.schema, t.name)}`);
    const { rows } = await sql.raw<{ i: number; n: string | number }>(parts.join(' UNION ALL ')).execute(db);
    for (const row of rows) {
      const table = chunk[Number(row.i)]!;
      counts.set(`${table.schema}.${table.name}`, Number(row.n));
    }
  }
  return counts;
}

/** Empties the given tables (and what references them): the way back to a schema-only database. */
export async function emptyTables(db: Kysely<any>, tables: readonly { readonly schema: string; readonly name: string }[]): Promise<void> {
  if (tables.length === 0) return;
  await sql.raw(`TRUNCATE ${tables.map((t) => qualify(t.schema, t.name)).join(', ')} CASCADE`).execute(db);
}
