import { readFile } from 'node:fs/promises';
import { SchemaguardError, messageOf } from '../../core/errors.js';
import type { Engine } from '../../dialects/engine.js';
import { MYSQL_TABLE_SIZES_QUERY } from '../../dialects/mysql/mysql-table-sizes.js';
import { POSTGRES_TABLE_SIZES_QUERY } from '../../dialects/postgres/postgres-table-sizes.js';
import { SQLITE_TABLE_SIZES_QUERY } from '../../dialects/sqlite/sqlite-table-sizes.js';

/**
 * `--table-sizes FILE`: how many rows each table holds in production, exported with the query
 * `schemaguard migrate table-sizes-query` prints. Lint weighs findings by it: a finding on a
 * large table is raised, one on a small or empty table lowered.
 *
 * Accepted forms: a JSON object `{ "public.orders": 1250000, "users": 80 }` (null: unknown), a
 * JSON list of `{ "table": …, "rows": … }`, or CSV lines `table,rows` (a header line is skipped).
 */

/** Tables of at least this many rows are large (lint.largeTable, --large-table). */
export const DEFAULT_LARGE_TABLE = 100_000;

export const TABLE_SIZES_QUERIES: Readonly<Record<Engine, string>> = {
  postgres: POSTGRES_TABLE_SIZES_QUERY,
  mysql: MYSQL_TABLE_SIZES_QUERY,
  sqlite: SQLITE_TABLE_SIZES_QUERY,
};

export class TableSizes {
  readonly #exact = new Map<string, number>();
  readonly #folded = new Map<string, number>();
  /** Bare table name → rows, for names the file qualifies differently than lint (null: ambiguous). */
  readonly #bare = new Map<string, number | null>();

  constructor(
    readonly source: string,
    entries: Iterable<readonly [string, number]>,
  ) {
    for (const [table, rows] of entries) {
      this.#exact.set(table, rows);
      this.#folded.set(table.toLowerCase(), rows);
      const bare = bareName(table).toLowerCase();
      this.#bare.set(bare, this.#bare.has(bare) ? null : rows);
    }
  }

  get size(): number {
    return this.#exact.size;
  }

  /** Rows of a table named as lint names it (`public.orders`, `orders`), or undefined when the file does not say. */
  rowsOf(table: string): number | undefined {
    const exact = this.#exact.get(table) ?? this.#folded.get(table.toLowerCase());
    if (exact !== undefined) return exact;
    const bare = this.#bare.get(bareName(table).toLowerCase());
    return bare === null ? undefined : bare;
  }
}

const bareName = (table: string) => table.slice(table.lastIndexOf('.') + 1);

export async function readTableSizes(path: string): Promise<TableSizes> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SchemaguardError(`cannot read table sizes ${path}: ${messageOf(error)}`, { hint: 'export them with the query `schemaguard migrate table-sizes-query --dialect …` prints' });
  }
  return parseTableSizes(text, path);
}

export function parseTableSizes(text: string, source: string): TableSizes {
  const trimmed = text.trim();
  const entries = trimmed.startsWith('{') || trimmed.startsWith('[') ? jsonEntries(trimmed, source) : csvEntries(trimmed, source);
  return new TableSizes(source, entries);
}

function badSizes(source: string, message: string): SchemaguardError {
  return new SchemaguardError(`${source}: ${message}`, {
    hint: 'table sizes are a JSON object {"schema.table": rows, …} or CSV lines table,rows (schemaguard migrate table-sizes-query prints the export query)',
  });
}

function rowsValue(value: unknown, table: string, source: string): number | null {
  if (value === null) return null;
  const rows = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof rows !== 'number' || !Number.isFinite(rows) || rows < 0) throw badSizes(source, `the row count of ${table} is not a number: ${JSON.stringify(value)}`);
  return Math.round(rows);
}

function jsonEntries(text: string, source: string): [string, number][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badSizes(source, `not valid JSON: ${messageOf(error)}`);
  }
  const entries: [string, number][] = [];
  const add = (table: unknown, value: unknown) => {
    if (typeof table !== 'string' || table === '') throw badSizes(source, `a table name is missing or not text: ${JSON.stringify(table)}`);
    const rows = rowsValue(value, table, source);
    if (rows !== null) entries.push([table, rows]);
  };
  if (Array.isArray(parsed)) {
    for (const item of parsed) {
      if (item === null || typeof item !== 'object') throw badSizes(source, `expected {"table": …, "rows": …}, found ${JSON.stringify(item)}`);
      const record = item as Record<string, unknown>;
      add(record.table ?? record.name, record.rows);
    }
  } else if (parsed !== null && typeof parsed === 'object') {
    for (const [table, value] of Object.entries(parsed)) add(table, value);
  } else {
    throw badSizes(source, 'expected a JSON object of table → rows');
  }
  return entries;
}

function csvEntries(text: string, source: string): [string, number][] {
  const entries: [string, number][] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const comma = line.lastIndexOf(',');
    if (comma < 0) throw badSizes(`${source}:${index + 1}`, `expected table,rows: ${line}`);
    const table = unquote(line.slice(0, comma).trim());
    const value = unquote(line.slice(comma + 1).trim());
    if (index === 0 && !Number.isFinite(Number(value))) continue; // a header
    const rows = rowsValue(value === '' ? null : value, table, `${source}:${index + 1}`);
    if (rows !== null) entries.push([table, rows]);
  }
  return entries;
}

const unquote = (text: string) => (text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1).replaceAll('""', '"') : text);
