import type { Engine } from '../dialects/engine.js';
import type { Column, SchemaSnapshot, Table } from '../snapshot/model.js';
import { datasetError, type SourceLocation } from './model.js';
import { closest } from './suggest.js';

/**
 * Dataset names → the tables and columns of the target database, as its snapshot has them.
 * Names match as spelled, else ignoring case when that is unambiguous (MySQL and SQLite fold
 * case; a YAML author writing `Users` for PostgreSQL's `users` means it too).
 */

export function resolveTable(snapshot: SchemaSnapshot, engine: Engine, name: string, at: SourceLocation, target: string): Table {
  const dot = engine === 'postgres' ? name.indexOf('.') : -1;
  const schema = dot > 0 ? name.slice(0, dot) : null;
  const bare = dot > 0 ? name.slice(dot + 1) : name;
  const inSchema = (table: { schema: string }) => schema === null || sameName(table.schema, schema, false);
  const candidates = matching(snapshot.tables.filter(inSchema), bare);
  if (candidates.length > 1) {
    const preferred = candidates.filter((table) => table.schema === 'public');
    if (schema === null && preferred.length === 1) return preferred[0]!;
    throw datasetError(at, `table ${name} is ambiguous in ${target}: ${candidates.map((table) => `${table.schema}.${table.name}`).join(', ')}`, 'qualify the table name with its schema: billing.invoices');
  }
  if (candidates.length === 1) return candidates[0]!;
  const view = matching(snapshot.views.filter(inSchema), bare)[0];
  if (view !== undefined) throw datasetError(at, `${name} is a ${view.materialized ? 'materialized view' : 'view'} in ${target}, not a table`, 'datasets load rows into tables');
  const names = snapshot.tables.map((table) => (engine === 'postgres' && table.schema !== 'public' ? `${table.schema}.${table.name}` : table.name));
  throw datasetError(at, `table ${name} does not exist in ${target}`, suggestion(name, names, 'tables'));
}

export function resolveColumn(table: Table, name: string, at: SourceLocation): Column {
  const candidates = matching(table.columns, name);
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length > 1) throw datasetError(at, `column ${name} of ${table.name} is ambiguous (${candidates.map((column) => column.name).join(', ')})`, 'spell the column name exactly');
  throw datasetError(at, `table ${table.name} has no column ${name}`, suggestion(name, table.columns.map((column) => column.name), 'columns'));
}

/** The name kysely is given: `schema.table` on PostgreSQL; MySQL's and SQLite's namespace is the connection's own. */
export function tableReference(table: Table, engine: Engine): string {
  return engine === 'postgres' ? `${table.schema}.${table.name}` : table.name;
}

/** How a table is named in messages. */
export function tableDisplayName(table: Table, engine: Engine): string {
  return engine === 'postgres' && table.schema !== 'public' ? `${table.schema}.${table.name}` : table.name;
}

function matching<T extends { readonly name: string }>(items: readonly T[], name: string): T[] {
  const exact = items.filter((item) => item.name === name);
  if (exact.length > 0) return exact;
  return items.filter((item) => sameName(item.name, name, true));
}

function sameName(a: string, b: string, foldCase: boolean): boolean {
  return foldCase ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function suggestion(name: string, names: readonly string[], what: string): string {
  const near = closest(name, names);
  if (near !== null) return `did you mean ${near}?`;
  if (names.length === 0) return what === 'tables' ? 'the database has no tables: create them first (the CLI runs a script before loading with --setup FILE.sql)' : `it has no ${what}`;
  return `${what}: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}`;
}
