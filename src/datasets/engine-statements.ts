import { sql, type Kysely, type Transaction } from 'kysely';
import type { Engine } from '../dialects/engine.js';
import type { Column } from '../snapshot/model.js';

/**
 * Every engine-specific statement the dataset loader runs, in one place.
 *
 * NOTE: by the design rule (engine SQL lives in src/dialects/<engine>/ only) these belong to
 * the dialect modules: deferral and sequence resynchronisation in src/dialects/postgres/,
 * the session time zone in src/dialects/mysql/, the pragma in src/dialects/sqlite/. They sit
 * here until the dialect interface grows hooks for them; nothing else in src/datasets/
 * branches on the engine for SQL.
 */

type Executor = Kysely<any> | Transaction<any>;

/** Parameters per statement the loader stays under (PostgreSQL allows 65535, SQLite 32766). */
export const MAX_PARAMETERS_PER_STATEMENT = 30_000;

/**
 * Session settings for the length of a load; returns what undoes them. MySQL reads and writes
 * TIMESTAMP values in the session time zone: the loader writes UTC, so the session is set to
 * UTC and restored afterwards.
 */
export async function prepareSession(trx: Executor, engine: Engine): Promise<() => Promise<void>> {
  if (engine !== 'mysql') return async () => {};
  const { rows } = await sql<{ zone: string }>`select @@session.time_zone as zone`.execute(trx);
  const previous = rows[0]?.zone ?? 'SYSTEM';
  await sql`set time_zone = '+00:00'`.execute(trx);
  return async () => {
    await sql`set time_zone = ${previous}`.execute(trx);
  };
}

/** Defers foreign key checks to commit: DEFERRABLE constraints on PostgreSQL, every foreign key on SQLite. */
export async function deferForeignKeys(trx: Executor, engine: Engine): Promise<void> {
  if (engine === 'postgres') await sql`set constraints all deferred`.execute(trx);
  else if (engine === 'sqlite') await sql`pragma defer_foreign_keys = on`.execute(trx);
  else throw new Error('MySQL cannot defer foreign key checks');
}

/** Whether INSERT … RETURNING hands back generated keys; MySQL has only LAST_INSERT_ID (kysely's insertId). */
export function canReturnKeys(engine: Engine): boolean {
  return engine !== 'mysql';
}

/**
 * A multi-row INSERT. PostgreSQL refuses explicit values for GENERATED ALWAYS identity
 * columns unless told OVERRIDING SYSTEM VALUE, which kysely cannot say: it is added to the
 * compiled statement.
 */
export async function insertRows(trx: Executor, engine: Engine, table: string, rows: readonly Record<string, unknown>[], overridingSystemValue: boolean): Promise<void> {
  if (rows.every(hasNoValues) && engine !== 'mysql') {
    // Every column from its default: `INSERT … () VALUES ()` is MySQL's; the others say DEFAULT VALUES, one row at a time.
    for (const _row of rows) await trx.insertInto(table).defaultValues().execute();
    return;
  }
  const query = trx.insertInto(table).values(rows as Record<string, unknown>[]);
  if (engine === 'postgres' && overridingSystemValue) {
    const compiled = query.compile();
    await trx.executeQuery({ ...compiled, sql: compiled.sql.replace(/\) values \(/, ') overriding system value values (') });
    return;
  }
  await query.execute();
}

const hasNoValues = (row: Record<string, unknown>) => Object.keys(row).length === 0;

/** Inserts one row and returns the values of `columns` the database gave it. */
export async function insertReturning(
  trx: Executor,
  engine: Engine,
  table: string,
  row: Record<string, unknown>,
  columns: readonly string[],
  autoIncrement: string | null,
  overridingSystemValue: boolean,
): Promise<Record<string, unknown>> {
  if (hasNoValues(row) && engine !== 'mysql') {
    return ((await trx.insertInto(table).defaultValues().returning(columns as string[]).executeTakeFirst()) as Record<string, unknown> | undefined) ?? {};
  }
  if (!canReturnKeys(engine)) {
    const result = await trx.insertInto(table).values(row).executeTakeFirst();
    return autoIncrement === null || result.insertId === undefined ? {} : { [autoIncrement]: result.insertId.toString() };
  }
  const query = trx.insertInto(table).values(row).returning(columns as string[]);
  if (engine === 'postgres' && overridingSystemValue) {
    const compiled = query.compile();
    const result = await trx.executeQuery<Record<string, unknown>>({ ...compiled, sql: compiled.sql.replace(/\) values \(/, ') overriding system value values (') });
    return result.rows[0] ?? {};
  }
  return ((await query.executeTakeFirst()) as Record<string, unknown> | undefined) ?? {};
}

/**
 * After explicit values went into serial or identity columns, moves PostgreSQL's sequence past
 * them, so the application's next INSERT does not collide. MySQL and SQLite keep their
 * counters past the largest value by themselves.
 */
export async function syncSequences(trx: Executor, engine: Engine, schema: string, table: string, columns: readonly Column[]): Promise<void> {
  if (engine !== 'postgres') return;
  const qualified = `${quotePostgres(schema)}.${quotePostgres(table)}`;
  for (const column of columns) {
    if (column.identity === null && !/nextval\(/i.test(column.default ?? '')) continue;
    await sql`
      select setval(s.seq, t.m)
      from (select pg_get_serial_sequence(${qualified}, ${column.name})::regclass as seq) s
      cross join (select max(${sql.ref(column.name)}) as m from ${sql.table(`${schema}.${table}`)}) t
      where s.seq is not null and t.m is not null
        and (select seqincrement from pg_sequence where seqrelid = s.seq) > 0
        and t.m >= coalesce(pg_sequence_last_value(s.seq) + 1, (select seqstart from pg_sequence where seqrelid = s.seq))
    `.execute(trx);
  }
}

function quotePostgres(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
