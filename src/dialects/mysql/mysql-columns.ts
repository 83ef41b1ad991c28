import type { Generated } from '../../snapshot/model.js';
import type { RawColumn } from './mysql-catalog.js';
import type { MysqlFeatures } from './mysql-flavour.js';
import { stripDatabaseQualifier } from './mysql-qualifiers.js';

/**
 * Column attributes information_schema packs into COLUMN_DEFAULT and EXTRA, read the same
 * way for both flavours.
 *
 * Defaults are stored as MariaDB writes them — an SQL expression (`'abc'`, `4.99`,
 * `current_timestamp()`, `nextval(`seq`)`) — and `null` when the column has no default or
 * defaults to NULL: a nullable column without DEFAULT behaves exactly like DEFAULT NULL, and
 * MariaDB reports both as `NULL`.
 */
export function columnDefault(row: RawColumn, features: MysqlFeatures, database: string): string | null {
  if (row.column_default === null || columnGenerated(row) !== null) return null;
  return features.flavour === 'MariaDB'
    ? mariadbDefault(row.column_default, database)
    : mysqlDefault(row.column_default, row);
}

/** MariaDB (10.2.7+): already an expression; bare NULL is the NULL default, `'NULL'` the string. */
function mariadbDefault(expression: string, database: string): string | null {
  if (expression === 'NULL') return null;
  return stripDatabaseQualifier(expression, database);
}

const BARE_DEFAULT_TYPES = new Set([
  'tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint',
  'decimal', 'numeric', 'float', 'double', 'real', 'bit', 'year',
]);

/**
 * MySQL-only, untested here. MySQL 8 reports the bare value (`abc`, not `'abc'`) and marks
 * expression defaults (CURRENT_TIMESTAMP, `(rand())`) with DEFAULT_GENERATED in EXTRA. Literals
 * are quoted the way MariaDB quotes them, so both flavours render a default alike.
 */
function mysqlDefault(value: string, row: RawColumn): string {
  if (hasFlag(row.extra, 'DEFAULT_GENERATED')) return value;
  // Before 8.0.13 CURRENT_TIMESTAMP was the one expression default, and was not flagged.
  if ((row.data_type === 'timestamp' || row.data_type === 'datetime') && value.toUpperCase().startsWith('CURRENT_TIMESTAMP')) {
    return value;
  }
  // Numbers are bare; BIT defaults are already written as b'101'.
  if (BARE_DEFAULT_TYPES.has(row.data_type)) return value;
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/** `on update current_timestamp()` (MariaDB), `DEFAULT_GENERATED on update CURRENT_TIMESTAMP` (MySQL). */
export function columnOnUpdate(row: RawColumn): string | null {
  const marker = 'on update ';
  const at = row.extra.toLowerCase().indexOf(marker);
  if (at < 0) return null;
  const rest = row.extra.slice(at + marker.length);
  const end = rest.indexOf(' ');
  return end < 0 ? rest : rest.slice(0, end);
}

/** `VIRTUAL GENERATED`, `STORED GENERATED` (and `PERSISTENT GENERATED`, MariaDB's old word for stored). */
export function columnGenerated(row: RawColumn): Generated | null {
  const extra = row.extra.toUpperCase();
  const stored = extra.includes('STORED GENERATED') || extra.includes('PERSISTENT GENERATED');
  if (!stored && !extra.includes('VIRTUAL GENERATED')) return null;
  return { expression: row.generation_expression ?? '', storage: stored ? 'stored' : 'virtual' };
}

export function isAutoIncrement(row: RawColumn): boolean {
  return hasFlag(row.extra, 'auto_increment');
}

/** EXTRA is a space-separated list of flags (`DEFAULT_GENERATED on update CURRENT_TIMESTAMP`). */
function hasFlag(extra: string, flag: string): boolean {
  return extra.toLowerCase().split(' ').includes(flag.toLowerCase());
}
