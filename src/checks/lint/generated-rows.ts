import { messageOf } from '../../core/errors.js';
import type { ScratchConnection } from '../../dialects/dialect.js';
import type { Engine } from '../../dialects/engine.js';
import { DEFAULT_SEED, loadDataset, type Dataset, type DatasetCell, type DatasetTable, type GeneratorSpec, type Literal, type SourceLocation, type ValueSpec } from '../../datasets/index.js';
import type { Column, SchemaSnapshot, Table } from '../../snapshot/model.js';
import { qualifiedName } from '../../snapshot/names.js';
import { mysqlEnumValues, typeShape } from './rules/column-types.js';

/**
 * One generated row in each table, so that the lock trace sees tables that hold rows (a lock
 * on an empty table harms nobody; a statement that fails only once a row exists fails). The
 * rows go in through the dataset loader and its generators, like a `rows: 1` table of a
 * dataset: a value only for the columns that need one (NOT NULL, no default, not generated),
 * each picked by the column's normalised type; foreign key columns `$pick` a row of the table
 * they reference. A table whose row cannot be made (a CHECK the value breaks, a type the
 * loader has no value for) stays empty, and the caller is told why.
 */

const AT: SourceLocation = { file: '(one generated row per table)', line: null };

const literal = (value: Literal): ValueSpec => ({ kind: 'literal', value, at: AT });
const generator = (spec: GeneratorSpec): ValueSpec => ({ kind: 'generator', generator: spec, nulls: 0, at: AT });

/** Literal values by normalised type, for types no generator makes. */
const LITERALS: Readonly<Record<string, Literal>> = {
  boolean: true,
  date: '2024-01-01',
  time: '12:00:00',
  timetz: '12:00:00+00:00',
  timestamp: '2024-01-01 12:00:00',
  timestamptz: '2024-01-01 12:00:00+00:00',
  interval: '1 day',
  uuid: '00000000-0000-4000-8000-000000000001',
  binary: '00',
  inet: '192.0.2.1',
  cidr: '192.0.2.0/24',
  macaddr: '08:00:2b:01:02:03',
  point: '(0,0)',
};

function valueFor(column: Column, table: Table, snapshot: SchemaSnapshot, engine: Engine, round: number): ValueSpec {
  const fk = table.foreignKeys.find((f) => f.columns.includes(column.name));
  if (fk !== undefined) {
    const referenced = fk.referencedColumns[fk.columns.indexOf(column.name)] ?? null;
    return generator({ type: 'pick', table: datasetName(engine, fk.referencedSchema, fk.referencedTable), column: referenced });
  }
  const shape = typeShape(column.normalizedType);
  switch (shape.base) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return generator({ type: 'sequence', start: round, step: 1, format: null });
    case 'decimal':
    case 'float':
    case 'double':
      return generator({ type: 'number', min: 1, max: 1, decimals: 0 });
    case 'json':
      return { kind: 'json', value: {}, at: AT };
    case 'enum': {
      const values = enumValues(column, snapshot, engine);
      return values.length > 0 ? generator({ type: 'oneOf', values: [values[0]!], weights: null }) : literal('a');
    }
  }
  if (shape.base.startsWith('array')) return literal([]);
  if (shape.base === 'uuid') return literal(`00000000-0000-4000-8000-${String(round).padStart(12, '0')}`);
  return literal(LITERALS[shape.base] ?? String(round));
}

function enumValues(column: Column, snapshot: SchemaSnapshot, engine: Engine): string[] {
  if (engine === 'mysql') return mysqlEnumValues(column.type) ?? [];
  const type = snapshot.types.find((t) => t.kind === 'enum' && (t.name === column.type || `${t.schema}.${t.name}` === column.type || `"${t.name}"` === column.type));
  return type?.kind === 'enum' ? type.values : [];
}

const datasetName = (engine: Engine, schema: string, table: string) => (engine === 'postgres' ? `${schema}.${table}` : qualifiedName(engine, schema, table));

/**
 * A column the row must give a value: NOT NULL without a default, or part of the primary key
 * (SQLite lets a TEXT PRIMARY KEY be NULL, and a row with a NULL key is one that foreign keys
 * cannot pick) — unless the database makes the value itself.
 */
const needsValue = (column: Column, table: Table) =>
  (!column.nullable || (table.primaryKey?.columns.includes(column.name) ?? false)) &&
  column.default === null &&
  column.identity === null &&
  !column.autoIncrement &&
  column.generated === null;

function datasetTable(table: Table, snapshot: SchemaSnapshot, engine: Engine, round: number): DatasetTable {
  const columns: DatasetCell[] = table.columns.filter((column) => needsValue(column, table)).map((column) => ({ column: column.name, value: valueFor(column, table, snapshot, engine, round), at: AT }));
  return { name: datasetName(engine, table.schema, table.name), at: AT, rows: null, count: 1, columns };
}

/** What became of each table's row. */
export interface GeneratedRows {
  readonly filled: readonly string[];
  /** Tables left empty, each with the loader's reason. */
  readonly failed: readonly { readonly table: string; readonly reason: string }[];
}

/**
 * Inserts one row into each of `tables` (all in one load when it can; else table by table,
 * parents before the tables that reference them, so one table that cannot take a row leaves
 * the others filled). `fill` tells the calls of one lint run apart (any number that changes).
 */
export async function insertGeneratedRows(connection: ScratchConnection, snapshot: SchemaSnapshot, tables: readonly Table[], fill = 1): Promise<GeneratedRows> {
  // Each fill gets its own key values (1–100), so that a migration copying rows from an older
  // table into one filled later (a table rebuild) does not trip over a key both rows share.
  const round = ((fill - 1) % 100) + 1;
  const engine = connection.engine;
  const candidates = tables.filter((t) => t.partitioning === null && !('foreign_server' in t.options));
  if (candidates.length === 0) return { filled: [], failed: [] };
  const dataset = (list: readonly Table[]): Dataset => ({ source: AT.file, format: 'yaml', seed: DEFAULT_SEED, tables: list.map((t) => datasetTable(t, snapshot, engine, round)) });
  try {
    await loadDataset(connection, dataset(candidates));
    return { filled: candidates.map((t) => datasetName(engine, t.schema, t.name)), failed: [] };
  } catch {
    // One at a time below.
  }
  const filled: string[] = [];
  const failed: { table: string; reason: string }[] = [];
  const pending = [...candidates];
  const name = (t: Table) => datasetName(engine, t.schema, t.name);
  // Parents first: a table waits while a table it references is still pending.
  while (pending.length > 0) {
    const ready = pending.find((t) => !t.foreignKeys.some((fk) => (fk.referencedTable !== t.name || fk.referencedSchema !== t.schema) && pending.some((p) => p.schema === fk.referencedSchema && p.name === fk.referencedTable))) ?? pending[0]!;
    pending.splice(pending.indexOf(ready), 1);
    try {
      await loadDataset(connection, dataset([ready]));
      filled.push(name(ready));
    } catch (error) {
      failed.push({ table: name(ready), reason: messageOf(error).split('\n')[0]! });
    }
  }
  return { filled, failed };
}
