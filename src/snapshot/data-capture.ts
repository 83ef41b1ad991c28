import { SchemaguardError, messageOf } from '../core/errors.js';
import { redact } from '../core/secret.js';
import type { ConsistentRead, ReadOnlyConnection, TableScan } from '../dialects/dialect.js';
import type { Engine } from '../dialects/engine.js';
import { RowFingerprint } from './data-hash.js';
import { forEachRow } from './data-lines.js';
import { rowComparator } from './data-order.js';
import { decodeRow, toStoredValue } from './data-values.js';
import { ExclusionPatterns } from './filter.js';
import type { DataValue, SchemaSnapshot, Table, TableData, ValueKind } from './model.js';

/** Tables with at most this many rows have their rows stored in a data snapshot. */
export const DEFAULT_ROWS_LIMIT = 1000;

export interface DataCaptureOptions {
  /** Globs over qualified table names (`public.film`, `film` on MySQL/SQLite, `audit.*`); empty: every table. */
  readonly tables: readonly string[];
  /** Rows are stored for tables with at most this many rows. */
  readonly rowsLimit: number;
}

/** The tables that `patterns` select (all when there are none), and the patterns that selected nothing. */
export function selectTables<T extends { readonly schema: string; readonly name: string }>(
  tables: readonly T[],
  engine: Engine,
  patterns: readonly string[],
): { tables: T[]; unmatched: string[] } {
  if (patterns.length === 0) return { tables: [...tables], unmatched: [] };
  const all = new ExclusionPatterns(patterns, engine);
  const unmatched = patterns.filter((pattern) => {
    const one = new ExclusionPatterns([pattern], engine);
    return !tables.some((t) => one.matchesObject(t.schema, t.name));
  });
  return { tables: tables.filter((t) => all.matchesObject(t.schema, t.name)), unmatched };
}

/** The column positions rows are ordered by: the primary key's, or every column when there is none. */
export function orderColumns(columns: readonly string[], keyColumns: readonly string[]): number[] {
  if (keyColumns.length === 0) return columns.map((_, index) => index);
  return keyColumns.map((name) => columns.indexOf(name));
}

/**
 * Reads one table: row count and fingerprint while streaming (memory stays one chunk), and
 * the rows themselves while there are no more than `rowsLimit` of them.
 */
export async function captureTable(table: Table, scan: TableScan, rowsLimit: number): Promise<TableData> {
  const fingerprint = new RowFingerprint();
  let kept: string[] | null = [];
  const keep = (chunk: Buffer, start: number, end: number) => {
    fingerprint.addBytes(chunk, start, end);
    if (kept === null) return;
    if (kept.length >= rowsLimit) kept = null;
    else kept.push(chunk.toString('utf8', start, end));
  };
  const count = (chunk: Buffer, start: number, end: number) => fingerprint.addBytes(chunk, start, end);
  try {
    for await (const chunk of scan.rows('any')) forEachRow(chunk, kept === null ? count : keep);
  } catch (error) {
    throw rowReadError(`${table.schema}.${table.name}`, error);
  }
  const columns = table.columns.map((c, i) => ({ name: c.name, kind: scan.kinds[i] ?? 'other' }));
  const keyColumns = table.primaryKey?.columns ?? [];
  return {
    schema: table.schema,
    table: table.name,
    columns,
    keyColumns: [...keyColumns],
    rowCount: fingerprint.rowCount,
    fingerprint: fingerprint.digest(),
    rows: kept === null ? null : storedRows(kept.map(decodeRow), scan.kinds, orderColumns(columns.map((c) => c.name), keyColumns)),
  };
}

/** Rows in key order, each value in its stored form. */
export function storedRows(rows: (string | null)[][], kinds: readonly ValueKind[], order: readonly number[]): DataValue[][] {
  rows.sort(rowComparator(kinds, order));
  return rows.map((row) => row.map((value, i) => toStoredValue(value, kinds[i] ?? 'other')));
}

/** Reads the data of the selected tables of `snapshot` inside a consistent read. */
export async function captureTablesData(read: ConsistentRead, snapshot: SchemaSnapshot, options: DataCaptureOptions): Promise<TableData[]> {
  const data: TableData[] = [];
  for (const table of selectTables(snapshot.tables, snapshot.engine, options.tables).tables) {
    const scan = read.scanTable(table, snapshot);
    if (scan !== null) data.push(await captureTable(table, scan, options.rowsLimit));
  }
  return data;
}

/** The schema and the data of the selected tables, read in one consistent read-only transaction. */
export async function captureSnapshotWithData(
  connection: ReadOnlyConnection,
  options: DataCaptureOptions & { readonly schemas?: readonly string[] },
): Promise<SchemaSnapshot> {
  return connection.readConsistent(async (read) => {
    const snapshot = await read.captureSchema({ schemas: options.schemas ?? [] });
    return { ...snapshot, data: await captureTablesData(read, snapshot, options) };
  });
}

/** The data alone: row counts, fingerprints and small tables' rows (the schema is read too, in the same transaction, to know the tables). */
export async function captureData(connection: ReadOnlyConnection, options: DataCaptureOptions & { readonly schemas?: readonly string[] }): Promise<TableData[]> {
  return (await captureSnapshotWithData(connection, options)).data ?? [];
}

/** A failed table read as one line naming the table; a timeout gets the hint to raise --timeout. */
export function rowReadError(table: string, error: unknown): SchemaguardError {
  if (error instanceof SchemaguardError) return error;
  const message = redact(messageOf(error));
  const timedOut = /statement timeout|max_statement_time|maximum statement execution time|execution time exceeded/i.test(message);
  return new SchemaguardError(`reading the rows of ${table} failed: ${message}`, {
    hint: timedOut ? 'a table read counts as one statement: raise --timeout for big tables (0 disables it)' : undefined,
    cause: error,
  });
}
