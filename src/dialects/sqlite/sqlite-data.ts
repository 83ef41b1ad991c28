import type Database from 'better-sqlite3';
import { RowBatcher } from '../../snapshot/data-lines.js';
import { escapeField, formatDouble, hex, NULL_FIELD } from '../../snapshot/data-values.js';
import type { Column, Table, ValueKind } from '../../snapshot/model.js';
import type { TableScan } from '../dialect.js';
import { quoteIdent } from './sqlite-quote.js';
import { columnAffinity } from './sqlite-types.js';

/**
 * Data snapshots on SQLite. A value's canonical text follows its storage class, whatever the
 * column's declared type (SQLite keeps what it was given): INTEGER as exact decimal (read as
 * BigInt, so beyond 2^53 too), REAL as a double's shortest digits, TEXT as it is, BLOB as hex.
 * Rows come from better-sqlite3's iterate(), one row in memory at a time.
 */

/** The kind of a column, from its declared type's affinity. A column with no declared type holds anything. */
export function sqliteValueKind(column: Column): ValueKind {
  if (column.type.trim() === '') return 'other';
  switch (columnAffinity(column.type)) {
    case 'INTEGER':
      return 'integer';
    case 'REAL':
      return 'float';
    case 'TEXT':
      return 'text';
    case 'BLOB':
      return 'binary';
    case 'NUMERIC':
      return 'decimal';
  }
}

/** A value's field in the row encoding (numbers and hex never need escaping). */
function field(value: unknown): string {
  if (value === null || value === undefined) return NULL_FIELD;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return formatDouble(value);
  if (typeof value === 'string') return escapeField(value);
  if (value instanceof Uint8Array) return hex(value);
  return escapeField(String(value));
}

const NUMERIC_KINDS: readonly ValueKind[] = ['integer', 'decimal', 'float'];

export function sqliteTableScan(database: Database.Database, table: Table): TableScan {
  const kinds = table.columns.map(sqliteValueKind);
  const columnList = table.columns.map((c) => quoteIdent(c.name)).join(', ');
  const orderBy = (table.primaryKey?.columns ?? [])
    .map((name) => {
      const kind = kinds[table.columns.findIndex((c) => c.name === name)] ?? 'text';
      return NUMERIC_KINDS.includes(kind) ? quoteIdent(name) : `${quoteIdent(name)} COLLATE BINARY`;
    })
    .join(', ');
  return {
    kinds,
    async *rows(order) {
      const text = `SELECT ${columnList} FROM main.${quoteIdent(table.name)}${order === 'key' && orderBy !== '' ? ` ORDER BY ${orderBy}` : ''}`;
      const statement = database.prepare(text).raw(true).safeIntegers(true);
      const batcher = new RowBatcher();
      for (const row of statement.iterate() as IterableIterator<unknown[]>) {
        let line = field(row[0]);
        for (let i = 1; i < row.length; i += 1) line += `\t${field(row[i])}`;
        const full = batcher.push(line);
        if (full !== null) yield full;
      }
      const rest = batcher.flush();
      if (rest !== null) yield rest;
    },
  };
}
