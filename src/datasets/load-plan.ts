import type { Engine } from '../dialects/engine.js';
import type { Column, SchemaSnapshot, Table } from '../snapshot/model.js';
import { findTable } from './compile-dataset.js';
import { converterFor, type Converter } from './convert-value.js';
import { canReturnKeys } from './engine-statements.js';
import { describeCycle, planLoadOrder, type DependencyEdge } from './load-order.js';
import { datasetError, type Dataset, type DatasetCell, type DatasetRow, type DatasetTable, type ValueSpec } from './model.js';
import { resolveColumn, resolveTable, tableDisplayName, tableReference } from './target-tables.js';

/**
 * A dataset checked against the target's schema: every table and column exists, every value
 * has a converter, references know which column they take, and the tables are in load
 * order with their cycles broken. Everything a user can get wrong is found here, before a
 * single row is written.
 */

export interface ColumnTarget {
  readonly column: Column;
  readonly convert: Converter;
  /** The column each foreign key of this column references, by referenced table id. */
  readonly references: ReadonlyMap<string, string>;
}

export interface RowPlan {
  readonly row: DatasetRow;
  /** Target column → the cell that gives it (the row's own, else the table's `columns:`). */
  readonly cells: ReadonlyMap<string, DatasetCell>;
  /** Columns the database fills that the load needs back (for `$ref`s to this row, or its two-phase UPDATE). */
  readonly keysBack: readonly string[];
}

export interface TablePlan {
  /** `schema.table`. */
  readonly id: string;
  readonly spec: DatasetTable;
  readonly table: Table;
  /** The name kysely is given. */
  readonly reference: string;
  /** The name messages use. */
  readonly display: string;
  /** Every column the dataset gives a value, by target column name. */
  readonly columns: ReadonlyMap<string, ColumnTarget>;
  /** Values of `columns:`, by target column name. */
  readonly defaults: ReadonlyMap<string, DatasetCell>;
  /** Written rows; null for a generated table. */
  readonly rows: readonly RowPlan[] | null;
  /** Keys a generated table's rows must hand back (two-phase tables whose key the database generates). */
  readonly generatedKeysBack: readonly string[];
  /** Columns inserted NULL and set by an UPDATE once every table is loaded. */
  readonly deferredColumns: ReadonlySet<string>;
  /** PostgreSQL GENERATED ALWAYS identity columns that get values. */
  readonly overridingSystemValue: boolean;
  readonly autoIncrement: string | null;
}

export interface PickTarget {
  /** The table plan when the picked table is part of the dataset. */
  readonly plan: TablePlan | null;
  readonly reference: string;
  readonly display: string;
  readonly column: string;
}

export interface LoadPlan {
  readonly engine: Engine;
  /** Parents first. */
  readonly tables: readonly TablePlan[];
  readonly deferred: boolean;
  readonly twoPhase: readonly DependencyEdge[];
  /** The column each `$ref` takes from the row it names. */
  readonly refColumns: ReadonlyMap<ValueSpec, string>;
  readonly picks: ReadonlyMap<ValueSpec, PickTarget>;
  planOf(datasetTableName: string): TablePlan;
}

export function planLoad(dataset: Dataset, snapshot: SchemaSnapshot, engine: Engine, target: string): LoadPlan {
  const drafts = dataset.tables.map((spec) => draftTable(spec, snapshot, engine, target));
  const seen = new Map<string, Draft>();
  for (const draft of drafts) {
    const earlier = seen.get(draft.id);
    if (earlier !== undefined) throw datasetError(draft.spec.at, `${draft.spec.name} and ${earlier.spec.name} are the same table (${draft.display})`, 'list each table once');
    seen.set(draft.id, draft);
  }
  const draftOf = (name: string): Draft => drafts.find((draft) => draft.spec.name === name) ?? drafts.find((draft) => draft.spec === findTable(dataset.tables, name))!;

  // What each $ref takes, and which rows must hand their database-made keys back.
  const refColumns = new Map<ValueSpec, string>();
  const wanted = new Map<string, Map<string, Set<string>>>();
  const pickDrafts = new Map<ValueSpec, Omit<PickTarget, 'plan'> & { draft: Draft | null }>();
  const picksFrom = new Map<string, Set<string>>();
  for (const draft of drafts) {
    for (const { cell, column } of draft.allCells()) {
      const value = cell.value;
      if (value.kind === 'ref') {
        const referenced = draftOf(value.table);
        const columnName = refColumn(value, referenced, column, draft);
        refColumns.set(value, columnName);
        const byLabel = wanted.get(referenced.id) ?? new Map<string, Set<string>>();
        wanted.set(referenced.id, byLabel);
        const columns = byLabel.get(value.label) ?? new Set<string>();
        byLabel.set(value.label, columns);
        columns.add(columnName);
      } else if (value.kind === 'generator' && value.generator.type === 'pick') {
        const pick = pickTarget(value.generator, value, column, draft, dataset, drafts, snapshot, engine, target);
        pickDrafts.set(value, pick);
        if (pick.draft !== null) {
          if (pick.draft === draft) throw datasetError(value.at, `$pick ${value.generator.table}: a table cannot pick from its own rows while they are generated`, 'pick from another table, or write the references out');
          const set = picksFrom.get(draft.id) ?? new Set<string>();
          set.add(pick.draft.id);
          picksFrom.set(draft.id, set);
        }
      }
    }
  }

  // A foreign key whose values are database-made keys of the parent (or $picks from it) can only be filled once the parent is in.
  const needsParentKeys = (edge: DependencyEdge): boolean => {
    const child = drafts.find((draft) => draft.id === edge.child)!;
    const parent = drafts.find((draft) => draft.id === edge.parent)!;
    for (const { cell, column } of child.allCells()) {
      if (edge.foreignKey === null || !edge.foreignKey.columns.includes(column)) continue;
      const value = cell.value;
      if (value.kind === 'generator' && value.generator.type === 'pick') return true;
      if (value.kind !== 'ref' || draftOf(value.table) !== parent) continue;
      const index = parent.spec.rows?.findIndex((row) => row.label === value.label) ?? -1;
      const given = (index >= 0 && parent.rowCells[index]!.has(refColumns.get(value)!)) || parent.defaults.has(refColumns.get(value)!);
      if (!given) return true;
    }
    return false;
  };
  const ordered = planLoadOrder(
    drafts.map((draft, position) => ({ id: draft.id, table: draft.table, position, picksFrom: [...(picksFrom.get(draft.id) ?? [])] })),
    engine,
    needsParentKeys,
  );
  if (!ordered.ok) {
    const nameOf = (id: string) => drafts.find((draft) => draft.id === id)!.display;
    const first = drafts.find((draft) => draft.id === ordered.cycle[0]!.child)!;
    const viaPick = ordered.cycle.some((edge) => edge.foreignKey === null);
    throw datasetError(
      first.spec.at,
      `foreign key cycle ${describeCycle(ordered.cycle, nameOf)} without deferrable constraints or a nullable column${viaPick ? ' ($pick counts as a reference)' : ''}`,
      engine === 'postgres'
        ? 'declare one of its foreign keys DEFERRABLE, or make one of its columns nullable so the loader can insert NULL first and UPDATE afterwards'
        : engine === 'mysql'
          ? 'MySQL cannot defer foreign key checks: make one of the columns of the cycle nullable, so the loader can insert NULL first and UPDATE afterwards'
          : 'make one of the columns of the cycle nullable',
    );
  }
  const deferredColumns = new Map<string, Set<string>>();
  for (const edge of ordered.plan.twoPhase) {
    const draft = drafts.find((candidate) => candidate.id === edge.child)!;
    const given = edge.foreignKey!.columns.filter((name) => draft.columns.has(name));
    if (given.length === 0) continue;
    if (draft.table.primaryKey === null) {
      throw datasetError(draft.spec.at, `${draft.display} is loaded in two phases (a foreign key cycle through ${given.join(', ')}), which needs a primary key to UPDATE its rows by`, 'give the table a primary key, or declare the foreign key DEFERRABLE (PostgreSQL)');
    }
    const set = deferredColumns.get(draft.id) ?? new Set<string>();
    for (const name of given) set.add(name);
    deferredColumns.set(draft.id, set);
  }

  const plans = new Map<string, TablePlan>();
  for (const id of ordered.plan.order) {
    const draft = drafts.find((candidate) => candidate.id === id)!;
    plans.set(id, draft.finish(deferredColumns.get(id) ?? new Set(), wanted.get(id) ?? new Map(), engine));
  }
  const picks = new Map<ValueSpec, PickTarget>();
  for (const [spec, { draft, ...pick }] of pickDrafts) picks.set(spec, { ...pick, plan: draft === null ? null : plans.get(draft.id)! });
  const tables = ordered.plan.order.map((id) => plans.get(id)!);
  return {
    engine,
    tables,
    deferred: ordered.plan.deferred,
    twoPhase: ordered.plan.twoPhase,
    refColumns,
    picks,
    planOf: (name) => plans.get(draftOf(name).id)!,
  };
}

// ---------------------------------------------------------------------------------------

class Draft {
  readonly columns = new Map<string, ColumnTarget>();
  readonly defaults = new Map<string, DatasetCell>();
  readonly rowCells: Map<string, DatasetCell>[] = [];

  constructor(
    readonly spec: DatasetTable,
    readonly table: Table,
    readonly id: string,
    readonly reference: string,
    readonly display: string,
  ) {}

  *allCells(): Generator<{ cell: DatasetCell; column: string }> {
    for (const [column, cell] of this.defaults) yield { cell, column };
    for (const cells of this.rowCells) for (const [column, cell] of cells) yield { cell, column };
  }

  finish(deferredColumns: ReadonlySet<string>, wanted: ReadonlyMap<string, ReadonlySet<string>>, engine: Engine): TablePlan {
    const primaryKey = this.table.primaryKey?.columns ?? [];
    const autoIncrement = this.table.columns.find((column) => column.autoIncrement)?.name ?? null;
    const keysBackFor = (given: (column: string) => boolean, label: string | null, at: DatasetRow['at']): string[] => {
      const needed = new Set<string>(label === null ? [] : [...(wanted.get(label) ?? [])]);
      if (deferredColumns.size > 0) for (const column of primaryKey) needed.add(column);
      const missing = [...needed].filter((column) => !given(column));
      if (missing.length > 0 && !canReturnKeys(engine) && !(missing.length === 1 && missing[0] === autoIncrement)) {
        const why = label === null ? 'its two-phase UPDATE' : `$ref ${this.spec.name}.${label}`;
        throw datasetError(at, `${this.display}${label === null ? '' : ` row ${label}`}: ${why} needs ${missing.join(', ')}, which the database fills and MySQL cannot hand back`, `give ${missing.join(', ')} a value in the dataset`);
      }
      return missing;
    };
    const rows =
      this.spec.rows === null
        ? null
        : this.spec.rows.map((row, index) => {
            const cells = new Map([...this.defaults, ...this.rowCells[index]!]);
            return { row, cells, keysBack: keysBackFor((column) => cells.has(column), row.label, row.at) };
          });
    const generatedKeysBack = this.spec.rows === null ? keysBackFor((column) => this.defaults.has(column), null, this.spec.at) : [];
    const overridingSystemValue = engine === 'postgres' && [...this.columns.values()].some(({ column }) => column.identity?.generation === 'always');
    return {
      id: this.id,
      spec: this.spec,
      table: this.table,
      reference: this.reference,
      display: this.display,
      columns: this.columns,
      defaults: this.defaults,
      rows,
      generatedKeysBack,
      deferredColumns,
      overridingSystemValue,
      autoIncrement,
    };
  }
}

function draftTable(spec: DatasetTable, snapshot: SchemaSnapshot, engine: Engine, target: string): Draft {
  const table = resolveTable(snapshot, engine, spec.name, spec.at, target);
  const draft = new Draft(spec, table, `${table.schema}.${table.name}`, tableReference(table, engine), tableDisplayName(table, engine));
  const targetColumn = (cell: DatasetCell): Column => {
    const column = resolveColumn(table, cell.column, cell.at);
    if (column.generated !== null) {
      throw datasetError(cell.at, `column ${column.name} of ${draft.display} is generated (${column.generated.expression}); the database computes it`, `leave ${cell.column} out of the dataset`);
    }
    if (!draft.columns.has(column.name)) {
      draft.columns.set(column.name, { column, convert: converterFor(column, { engine, snapshot }), references: referencesOf(table, column, snapshot) });
    }
    return column;
  };
  for (const cell of spec.columns) {
    const column = targetColumn(cell);
    if (draft.defaults.has(column.name)) throw datasetError(cell.at, `${spec.name}: column ${column.name} is given twice in \`columns:\``);
    draft.defaults.set(column.name, cell);
  }
  for (const row of spec.rows ?? []) {
    const cells = new Map<string, DatasetCell>();
    for (const cell of row.cells) {
      const column = targetColumn(cell);
      if (cells.has(column.name)) throw datasetError(cell.at, `${spec.name} row ${row.index + 1}: column ${column.name} is given twice`);
      cells.set(column.name, cell);
    }
    if (cells.size === 0 && draft.defaults.size === 0) {
      throw datasetError(row.at, `${spec.name} row ${row.index + 1} gives no column a value`, 'give the row at least one column');
    }
    draft.rowCells.push(cells);
  }
  checkRequiredColumns(draft, snapshot, engine);
  return draft;
}

/** A NOT NULL column without a default that a row leaves out fails the INSERT: say which row, before loading. */
function checkRequiredColumns(draft: Draft, snapshot: SchemaSnapshot, engine: Engine): void {
  const { table, spec } = draft;
  // A trigger may fill the column; let the database judge then.
  if (snapshot.triggers.some((trigger) => trigger.schema === table.schema && trigger.table === table.name && trigger.events.includes('insert'))) return;
  const required = table.columns.filter(
    (column) => !column.nullable && column.default === null && column.identity === null && !column.autoIncrement && column.generated === null && !isRowid(table, column, engine),
  );
  for (const column of required) {
    if (draft.defaults.has(column.name)) continue;
    if (spec.rows === null) {
      throw datasetError(spec.at, `${spec.name}: column ${column.name} is NOT NULL without a default, and \`columns:\` gives it no value`, `add ${column.name} to \`columns:\``);
    }
    const row = spec.rows.find((_, index) => !draft.rowCells[index]!.has(column.name));
    if (row !== undefined) {
      throw datasetError(row.at, `${spec.name} row ${row.index + 1}: no value for ${column.name}, which is NOT NULL without a default`, `give ${column.name} a value in the row, or in the table's \`columns:\``);
    }
  }
}

/** SQLite's INTEGER PRIMARY KEY is the rowid: the database numbers it. */
function isRowid(table: Table, column: Column, engine: Engine): boolean {
  return (
    engine === 'sqlite' &&
    table.primaryKey?.columns.length === 1 &&
    table.primaryKey.columns[0] === column.name &&
    column.type.trim().toUpperCase() === 'INTEGER' &&
    table.options.without_rowid === undefined
  );
}

/** For each table a column's foreign keys reference, the referenced column. */
function referencesOf(table: Table, column: Column, snapshot: SchemaSnapshot): Map<string, string> {
  const references = new Map<string, string>();
  for (const foreignKey of table.foreignKeys) {
    const position = foreignKey.columns.indexOf(column.name);
    if (position < 0) continue;
    let referenced = foreignKey.referencedColumns[position];
    if (referenced === undefined) {
      // SQLite's REFERENCES parent (no column list) means the parent's primary key.
      const parent = snapshot.tables.find((candidate) => candidate.schema === foreignKey.referencedSchema && candidate.name === foreignKey.referencedTable);
      referenced = parent?.primaryKey?.columns[position];
    }
    const id = `${foreignKey.referencedSchema}.${foreignKey.referencedTable}`;
    if (referenced !== undefined && !references.has(id)) references.set(id, referenced);
  }
  return references;
}

function refColumn(value: Extract<ValueSpec, { kind: 'ref' }>, referenced: Draft, column: string, from: Draft): string {
  if (value.column !== null) return resolveColumn(referenced.table, value.column, value.at).name;
  const viaForeignKey = from.columns.get(column)?.references.get(referenced.id);
  if (viaForeignKey !== undefined) return viaForeignKey;
  const primaryKey = referenced.table.primaryKey?.columns ?? [];
  if (primaryKey.length === 1) return primaryKey[0]!;
  throw datasetError(
    value.at,
    `$ref ${value.table}.${value.label}: cannot tell which column of ${referenced.display} to take (${primaryKey.length === 0 ? 'it has no primary key' : `its primary key has ${primaryKey.length} columns`})`,
    `name the column: { $ref: ${value.table}.${value.label}.COLUMN }`,
  );
}

function pickTarget(
  generator: { table: string; column: string | null },
  value: ValueSpec,
  column: string,
  from: Draft,
  dataset: Dataset,
  drafts: readonly Draft[],
  snapshot: SchemaSnapshot,
  engine: Engine,
  target: string,
): Omit<PickTarget, 'plan'> & { draft: Draft | null } {
  const inDataset = findTable(dataset.tables, generator.table);
  const draft = inDataset === undefined ? null : drafts.find((candidate) => candidate.spec === inDataset)!;
  const table = draft?.table ?? resolveTable(snapshot, engine, generator.table, value.at, target);
  const id = `${table.schema}.${table.name}`;
  let columnName: string;
  if (generator.column !== null) columnName = resolveColumn(table, generator.column, value.at).name;
  else {
    const viaForeignKey = from.columns.get(column)?.references.get(id);
    const primaryKey = table.primaryKey?.columns ?? [];
    if (viaForeignKey !== undefined) columnName = viaForeignKey;
    else if (primaryKey.length === 1) columnName = primaryKey[0]!;
    else throw datasetError(value.at, `$pick ${generator.table}: cannot tell which column to pick (no single-column primary key)`, `name it: { $pick: { table: ${generator.table}, column: COLUMN } }`);
  }
  return { draft, reference: tableReference(table, engine), display: tableDisplayName(table, engine), column: columnName };
}
