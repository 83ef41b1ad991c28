import type mysql from 'mysql2';
import { RowBatcher } from '../../snapshot/data-lines.js';
import { canonicalJson, escapeField, formatDouble, formatFloat32, hex, isoDateTime, NULL_FIELD, trimFraction } from '../../snapshot/data-values.js';
import type { Column, Table, ValueKind } from '../../snapshot/model.js';
import type { TableScan } from '../dialect.js';
import { quoteIdent } from './mysql-quote.js';

/**
 * Data snapshots on MySQL/MariaDB. Every value is read as the text the server sends (binary
 * ones as bytes), never through a JavaScript number or Date, and rewritten to its canonical
 * text here: DATETIME `2024-01-02 03:04:05.120000` → `2024-01-02T03:04:05.12`, TIMESTAMP in
 * UTC with `Z` (the session time zone is +00:00 while rows are read), FLOAT and DOUBLE as
 * their shortest digits, binary strings and BIT as hex, JSON with sorted keys. Rows stream
 * from mysql2, the connection paused while two chunks wait to be consumed.
 */

type Reader = 'text' | 'binary' | 'json';

interface ColumnReading {
  readonly kind: ValueKind;
  readonly reader: Reader;
  readonly canonical: ((text: string) => string) | null;
}

function reading(column: Column): ColumnReading {
  const type = column.type.toLowerCase();
  const base = /^[a-z0-9]+/.exec(type)?.[0] ?? type;
  if (column.normalizedType === 'json') return { kind: 'json', reader: 'json', canonical: canonicalJson };
  switch (base) {
    case 'tinyint':
    case 'smallint':
    case 'mediumint':
    case 'int':
    case 'integer':
    case 'bigint':
    case 'year':
      return { kind: 'integer', reader: 'text', canonical: null };
    case 'decimal':
    case 'numeric':
    case 'fixed':
      return { kind: 'decimal', reader: 'text', canonical: null };
    case 'float':
      return { kind: 'float', reader: 'text', canonical: (text) => formatFloat32(Number(text)) };
    case 'double':
    case 'real':
      return { kind: 'float', reader: 'text', canonical: (text) => formatDouble(Number(text)) };
    case 'bit':
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return { kind: 'binary', reader: 'binary', canonical: null };
    case 'geometry':
    case 'point':
    case 'linestring':
    case 'polygon':
    case 'multipoint':
    case 'multilinestring':
    case 'multipolygon':
    case 'geometrycollection':
      return { kind: 'other', reader: 'binary', canonical: null };
    case 'date':
      return { kind: 'date', reader: 'text', canonical: null };
    case 'datetime':
      return { kind: 'timestamp', reader: 'text', canonical: isoDateTime };
    case 'timestamp':
      return { kind: 'timestamptz', reader: 'text', canonical: (text) => `${isoDateTime(text)}Z` };
    case 'time':
      return { kind: 'time', reader: 'text', canonical: trimFraction };
    case 'json':
      return { kind: 'json', reader: 'json', canonical: canonicalJson };
    case 'uuid':
      return { kind: 'uuid', reader: 'text', canonical: null };
    case 'char':
    case 'varchar':
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
    case 'enum':
    case 'set':
      return { kind: 'text', reader: 'text', canonical: null };
    default:
      return { kind: 'other', reader: 'text', canonical: null };
  }
}

/** Kinds whose text is digits, signs, dots, dashes and colons (or hex): never a character to escape. */
const PLAIN_KINDS: readonly ValueKind[] = ['integer', 'decimal', 'binary', 'date', 'timestamp', 'time', 'uuid'];

/** Kinds the server orders as data-order.ts does; the rest are ordered by their UTF-8 bytes. */
const NATIVE_ORDER: readonly ValueKind[] = ['integer', 'decimal', 'float', 'binary', 'date', 'timestamp', 'timestamptz', 'time'];

export function mysqlTableScan(connection: mysql.PoolConnection, table: Table, prepare: () => Promise<void>): TableScan {
  const readings = table.columns.map(reading);
  const kinds = readings.map((r) => r.kind);
  const columnList = table.columns.map((c) => quoteIdent(c.name)).join(', ');
  const orderBy = (table.primaryKey?.columns ?? [])
    .map((name) => {
      const kind = kinds[table.columns.findIndex((c) => c.name === name)] ?? 'text';
      return NATIVE_ORDER.includes(kind) ? quoteIdent(name) : `CAST(CONVERT(${quoteIdent(name)} USING utf8mb4) AS BINARY)`;
    })
    .join(', ');
  const readers = new Map(table.columns.map((c, i) => [c.name, readings[i]!.reader]));
  const typeCast = (field: { name: string; string(encoding?: string): string | null; buffer(): Buffer | null }): unknown => {
    const reader = readers.get(field.name);
    if (reader === 'binary') {
      const bytes = field.buffer();
      return bytes === null ? null : hex(bytes);
    }
    return reader === 'json' ? field.string('utf8') : field.string();
  };
  return {
    kinds,
    rows: (order) =>
      streamRows(
        connection,
        `SELECT ${columnList} FROM ${quoteIdent(table.name)}${order === 'key' && orderBy !== '' ? ` ORDER BY ${orderBy}` : ''}`,
        typeCast,
        readings.map((r) => r.canonical),
        readings.map((r) => PLAIN_KINDS.includes(r.kind)),
        prepare,
      ),
  };
}

async function* streamRows(
  connection: mysql.PoolConnection,
  text: string,
  typeCast: (field: any) => unknown,
  canonical: readonly (((text: string) => string) | null)[],
  plain: readonly boolean[],
  prepare: () => Promise<void>,
): AsyncGenerator<Buffer> {
  await prepare();
  const batcher = new RowBatcher();
  const ready: Buffer[] = [];
  let done = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const query = connection.query({ sql: text, rowsAsArray: true, typeCast } as mysql.QueryOptions);
  query.on('result', (row: unknown) => {
    const values = row as (string | null)[];
    let line = '';
    for (let i = 0; i < values.length; i += 1) {
      const fix = canonical[i];
      const value = values[i];
      if (i > 0) line += '\t';
      if (value === null || value === undefined) line += NULL_FIELD;
      else if (fix === null || fix === undefined) line += plain[i] ? value : escapeField(value);
      else line += escapeField(fix(value));
    }
    const full = batcher.push(line);
    if (full !== null) {
      ready.push(full);
      // Backpressure: stop reading from the socket until the consumer catches up.
      if (ready.length >= 2) connection.pause();
      wake?.();
    }
  });
  query.on('error', (error: unknown) => {
    failure = error;
    wake?.();
  });
  query.on('end', () => {
    const rest = batcher.flush();
    if (rest !== null) ready.push(rest);
    done = true;
    wake?.();
  });
  try {
    for (;;) {
      const chunk = ready.shift();
      if (chunk !== undefined) {
        if (ready.length < 2) connection.resume();
        yield chunk;
        continue;
      }
      if (failure !== null) throw failure;
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  } finally {
    // Never hand the connection back paused: its socket would stay open past the pool's end.
    connection.resume();
  }
}
