import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { RowBatcher, wholeLines } from '../../snapshot/data-lines.js';
import { canonicalJson, encodeRow, escapeField, isoDateTime, NULL_FIELD, unescapeField } from '../../snapshot/data-values.js';
import type { Column, SchemaSnapshot, Table, ValueKind } from '../../snapshot/model.js';
import type { TableScan } from '../dialect.js';
import { normalizePostgresType } from './postgres-types.js';
import { qualify, quoteIdent } from './postgres-quote.js';

/**
 * Data snapshots on PostgreSQL. Values are read as the type's own output function writes them
 * under fixed settings (DATA_SETTINGS), which for most types already is the canonical text;
 * the few that differ (booleans `t`, bytea `\x…`, timestamps with a space and `+00`, timetz
 * offsets, JSON) are rewritten in JavaScript. The server streams COPY … TO STDOUT, whose text
 * format is the canonical row encoding, so a table without such columns is hashed straight
 * from the wire; PGlite (no COPY to the client) is read through a cursor, FETCH by FETCH.
 */

/** Session settings for reading data, set inside the transaction after the catalog is read. */
export const DATA_SETTINGS = [
  `SET LOCAL TimeZone = 'UTC'`,
  `SET LOCAL DateStyle = 'ISO, YMD'`,
  `SET LOCAL IntervalStyle = 'iso_8601'`,
  `SET LOCAL extra_float_digits = 1`,
  `SET LOCAL bytea_output = 'hex'`,
  `SET LOCAL lc_monetary = 'C'`,
  `SET LOCAL client_encoding = 'UTF8'`,
];

type Fixer = (text: string) => string;

const FIXERS: Partial<Record<ValueKind, Fixer>> = {
  boolean: (text) => (text === 't' ? 'true' : text === 'f' ? 'false' : text),
  binary: (text) => (text.startsWith('\\x') ? text.slice(2) : text),
  timestamp: isoDateTime,
  timestamptz: (text) => zulu(isoDateTime(text)),
  timetz: (text) => text.replace(/([+-]\d\d)$/, '$1:00'),
  json: canonicalJson,
};

/** `…+00` → `…Z` (also before a ` BC` suffix). */
function zulu(text: string): string {
  return text.replace(/\+00( BC)?$/, (_, bc: string | undefined) => `Z${bc ?? ''}`);
}

/** The kind of a column's values, from its type (domains resolved to their base type). */
export function postgresValueKind(column: Column, snapshot: SchemaSnapshot): ValueKind {
  return kindOfType(column.type, snapshot, 0);
}

function kindOfType(type: string, snapshot: SchemaSnapshot, depth: number): ValueKind {
  if (type.endsWith('[]')) return 'array';
  const normalized = normalizePostgresType(type, 'b');
  const base = normalized.replace(/\(.*\)$/, '');
  switch (base) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return 'integer';
    case 'decimal':
      return 'decimal';
    case 'float':
    case 'double':
      return 'float';
    case 'boolean':
    case 'text':
    case 'varchar':
    case 'char':
    case 'binary':
    case 'date':
    case 'time':
    case 'timetz':
    case 'timestamp':
    case 'timestamptz':
    case 'interval':
    case 'json':
    case 'uuid':
      return base === 'varchar' || base === 'char' ? 'text' : base;
    case 'citext':
    case 'name':
      return 'text';
  }
  const userType = snapshot.types.find((t) => t.name === type || `${t.schema}.${t.name}` === type || `"${t.schema}".${t.name}` === type);
  if (userType?.kind === 'enum') return 'text';
  if (userType?.kind === 'domain' && depth < 10) return kindOfType(userType.baseType, snapshot, depth + 1);
  return 'other';
}

/** Where rows come from: a server connection inside the transaction, or the PGlite instance. */
export type PostgresRowSource = { readonly kind: 'server'; readonly client: pg.PoolClient } | { readonly kind: 'pglite'; readonly pglite: PGlite };

/** True for tables whose rows are read: not partitioned parents (their partitions hold the rows), not foreign tables. */
function hasOwnRows(table: Table): boolean {
  return table.partitioning === null && table.options.foreign_server === undefined;
}

export function postgresTableScan(source: PostgresRowSource, table: Table, snapshot: SchemaSnapshot, prepare: () => Promise<void>): TableScan | null {
  if (!hasOwnRows(table)) return null;
  const kinds = table.columns.map((column) => postgresValueKind(column, snapshot));
  const fixers = kinds.map((kind) => FIXERS[kind] ?? null);
  const columnList = table.columns.map((c) => quoteIdent(c.name)).join(', ');
  const keyColumns = table.primaryKey?.columns ?? [];
  const orderBy = keyColumns
    .map((name) => {
      const index = table.columns.findIndex((c) => c.name === name);
      return nativeOrder(kinds[index] ?? 'text') ? quoteIdent(name) : `${quoteIdent(name)}::text COLLATE "C"`;
    })
    .join(', ');
  const select = (order: 'any' | 'key') =>
    `SELECT ${columnList} FROM ONLY ${qualify(table.schema, table.name)}${order === 'key' && orderBy !== '' ? ` ORDER BY ${orderBy}` : ''}`;
  return {
    kinds,
    rows: (order) =>
      source.kind === 'server' ? copyRows(source.client, select(order), fixers, prepare) : cursorRows(source.pglite, select(order), fixers, prepare),
  };
}

/** Kinds whose native ordering is the order of data-order.ts; the others are ordered by their text in code point order. */
function nativeOrder(kind: ValueKind): boolean {
  return ['integer', 'decimal', 'float', 'boolean', 'binary', 'date', 'time', 'timestamp', 'timestamptz', 'uuid'].includes(kind);
}

async function* copyRows(client: pg.PoolClient, select: string, fixers: readonly (Fixer | null)[], prepare: () => Promise<void>): AsyncGenerator<Buffer> {
  await prepare();
  const stream = client.query(copyTo(`COPY (${select}) TO STDOUT`));
  const chunks = wholeLines(stream);
  if (fixers.every((fixer) => fixer === null)) {
    // The COPY text format is the canonical encoding: hand the server's bytes on as they are.
    yield* chunks;
    return;
  }
  const batcher = new RowBatcher();
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(0x0a, start);
      if (end < 0) break;
      const fields = chunk.toString('utf8', start, end).split('\t');
      for (let i = 0; i < fields.length; i += 1) {
        const fixer = fixers[i];
        const field = fields[i]!;
        if (fixer === null || fixer === undefined || field === NULL_FIELD) continue;
        fields[i] = escapeField(fixer(unescapeField(field)!));
      }
      const full = batcher.push(fields.join('\t'));
      if (full !== null) yield full;
      start = end + 1;
    }
  }
  const rest = batcher.flush();
  if (rest !== null) yield rest;
}

let cursorNumber = 0;
const FETCH_SIZE = 2000;

async function* cursorRows(pglite: PGlite, select: string, fixers: readonly (Fixer | null)[], prepare: () => Promise<void>): AsyncGenerator<Buffer> {
  await prepare();
  const cursor = `schemaguard_rows_${(cursorNumber += 1)}`;
  // Every value as the type's output function wrote it: no parsing into JavaScript values.
  const parsers = await identityParsers(pglite);
  await pglite.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${select}`);
  try {
    const batcher = new RowBatcher();
    for (;;) {
      const { rows } = await pglite.query<(string | null)[]>(`FETCH FORWARD ${FETCH_SIZE} FROM ${cursor}`, [], { rowMode: 'array', parsers });
      for (const row of rows) {
        for (let i = 0; i < row.length; i += 1) {
          const fixer = fixers[i];
          const value = row[i];
          if (fixer !== null && fixer !== undefined && value !== null && value !== undefined) row[i] = fixer(value);
        }
        const full = batcher.push(encodeRow(row));
        if (full !== null) yield full;
      }
      if (rows.length < FETCH_SIZE) break;
    }
    const rest = batcher.flush();
    if (rest !== null) yield rest;
  } finally {
    await pglite.query(`CLOSE ${cursor}`).catch(() => {});
  }
}

async function identityParsers(pglite: PGlite): Promise<Record<number, (text: string) => string>> {
  const { types } = await import('@electric-sql/pglite');
  const known = { ...types.parsers, ...((pglite as unknown as { parsers?: Record<number, unknown> }).parsers ?? {}) };
  return Object.fromEntries(Object.keys(known).map((oid) => [Number(oid), (text: string) => text]));
}
