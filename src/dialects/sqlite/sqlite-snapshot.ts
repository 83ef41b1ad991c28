import type { Kysely } from 'kysely';
import { SchemaguardError } from '../../core/errors.js';
import { canonicalizeSnapshot } from '../../snapshot/canonical.js';
import {
  DATABASE_NAMESPACE,
  SNAPSHOT_FORMAT,
  SNAPSHOT_FORMAT_VERSION,
  type CheckConstraint,
  type Column,
  type ForeignKey,
  type Index,
  type ReferentialAction,
  type SchemaSnapshot,
  type Table,
  type Trigger,
  type UniqueConstraint,
  type View,
} from '../../snapshot/model.js';
import type { CaptureOptions } from '../dialect.js';
import type { ServerInfo } from '../engine.js';
import { readSqliteCatalog, type RawColumn, type RawForeignKey, type RawIndexKey, type RawObject, type SqliteCatalog } from './sqlite-catalog.js';
import { parseCreateIndex, type IndexDefinition } from './sqlite-create-index.js';
import { parseCreateTable, type ForeignKeyDefinition, type TableDefinition } from './sqlite-create-table.js';
import { parseCreateTrigger } from './sqlite-create-trigger.js';
import { parseCreateView } from './sqlite-create-view.js';
import { SqlSyntaxError } from './sqlite-tokenizer.js';
import { normalizeSqliteType } from './sqlite-types.js';

/**
 * Reads the schema of a SQLite database in one read transaction (a consistent view of
 * sqlite_schema) and folds it into a snapshot. `options.schemas` does not apply: SQLite has
 * the one namespace `main`.
 */
export async function captureSqliteSchema(db: Kysely<any>, server: ServerInfo, _options: CaptureOptions): Promise<SchemaSnapshot> {
  const catalog = await db.transaction().execute((trx) => readSqliteCatalog(trx));
  return foldSqliteCatalog(catalog, server);
}

const key = (...parts: string[]): string => parts.join('\u0000');

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [row]);
    else group.push(row);
  }
  return groups;
}

/**
 * SQLite resolves names case-insensitively (for ASCII letters), and its pragmas and
 * sqlite_schema.tbl_name give some names as a statement spelled them: these find the name
 * as the object itself spells it.
 */
class NameResolver {
  readonly #byFoldedName = new Map<string, string>();

  constructor(names: Iterable<string>) {
    for (const name of names) this.#byFoldedName.set(foldCase(name), name);
  }

  resolve(name: string): string {
    return this.#byFoldedName.get(foldCase(name)) ?? name;
  }
}

/** SQLite folds only ASCII letters when it compares identifiers. */
const foldCase = (name: string): string => name.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

/** What to send when SQLite stored something these readers do not follow. */
const reportHint = (objectName: string): string =>
  `this is a schemaguard bug; please report it with the output of: sqlite3 DB "SELECT sql FROM sqlite_schema WHERE name = '${objectName.replaceAll("'", "''")}'"`;

/** Parses one stored statement, naming the object when SQLite wrote something this reader does not follow. */
function parseStored<T>(object: RawObject, parse: (sql: string) => T): T {
  try {
    return parse(object.sql);
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    throw new SchemaguardError(`cannot read the definition of ${object.type} ${object.name}: ${error.message}`, {
      hint: reportHint(object.name),
      cause: error,
    });
  }
}

/** Folds the raw catalog rows into the shared model. Pure: no I/O. */
export function foldSqliteCatalog(catalog: SqliteCatalog, server: ServerInfo): SchemaSnapshot {
  const tableColumns = groupBy(catalog.tableColumns, (c) => c.object_name);
  const derivedColumns = groupBy(catalog.derivedColumns, (c) => c.object_name);
  const indexKeys = groupBy(catalog.indexKeys, (k) => k.table_name);
  const foreignKeys = groupBy(catalog.foreignKeys, (f) => f.table_name);
  const relations = catalog.objects.filter((o) => o.type === 'table' || o.type === 'view');
  const relationNames = new NameResolver(relations.map((o) => o.name));
  const columnNames = new Map<string, NameResolver>();
  for (const [name, rows] of [...tableColumns, ...derivedColumns]) columnNames.set(name, new NameResolver(rows.map((c) => c.name)));
  const columnsOf = (relation: string): NameResolver => columnNames.get(relationNames.resolve(relation)) ?? new NameResolver([]);

  const indexDefinitions = new Map<string, IndexDefinition>();
  for (const object of catalog.objects) {
    if (object.type === 'index') indexDefinitions.set(object.name, parseStored(object, parseCreateIndex));
  }

  const tables: Table[] = [];
  const views: View[] = [];
  const triggers: Trigger[] = [];
  for (const object of catalog.objects) {
    if (object.type === 'table' && object.list_type !== 'shadow') {
      const definition = parseStored(object, parseCreateTable);
      if (definition.kind === 'virtual') {
        tables.push(virtualTable(object, definition.using, derivedColumns.get(object.name) ?? []));
        continue;
      }
      const indexes = groupBy(indexKeys.get(object.name) ?? [], (k) => k.index_name);
      tables.push(
        new TableFolder(object, definition, tableColumns.get(object.name) ?? [], relationNames, columnsOf).fold(
          [...indexes].map(([name, keys]) => toIndex(object, keys, indexDefinitions.get(name))),
          foreignKeys.get(object.name) ?? [],
        ),
      );
    } else if (object.type === 'view') {
      views.push(toView(object, derivedColumns.get(object.name) ?? []));
    } else if (object.type === 'trigger') {
      triggers.push(toTrigger(object, relationNames, columnsOf));
    }
  }

  return canonicalizeSnapshot({
    format: SNAPSHOT_FORMAT,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    engine: 'sqlite',
    server: { product: server.product, version: server.version },
    namespaces: [{ name: DATABASE_NAMESPACE, comment: null }],
    tables,
    views,
    sequences: [],
    types: [],
    routines: [],
    triggers,
    extensions: [],
    events: [],
    rules: [],
    eventTriggers: [],
  });
}

const REFERENTIAL_ACTIONS: Record<string, ReferentialAction> = {
  'NO ACTION': 'no action',
  RESTRICT: 'restrict',
  CASCADE: 'cascade',
  'SET NULL': 'set null',
  'SET DEFAULT': 'set default',
};

const emptyTable = (name: string): Omit<Table, 'columns' | 'options'> => ({
  schema: DATABASE_NAMESPACE,
  name,
  primaryKey: null,
  uniqueConstraints: [],
  foreignKeys: [],
  checks: [],
  exclusions: [],
  indexes: [],
  policies: [],
  partitioning: null,
  partitionOf: null,
  inherits: [],
  comment: null,
});

/** Builds one ordinary table from its pragma rows and its parsed CREATE TABLE. */
class TableFolder {
  readonly #object: RawObject;
  readonly #definition: TableDefinition;
  readonly #rows: readonly RawColumn[];
  readonly #relations: NameResolver;
  readonly #columnsOf: (relation: string) => NameResolver;

  constructor(
    object: RawObject,
    definition: TableDefinition,
    rows: readonly RawColumn[],
    relations: NameResolver,
    columnsOf: (relation: string) => NameResolver,
  ) {
    this.#object = object;
    this.#definition = definition;
    this.#rows = rows;
    this.#relations = relations;
    this.#columnsOf = columnsOf;
  }

  fold(indexes: Index[], foreignKeyRows: readonly RawForeignKey[]): Table {
    const definition = this.#definition;
    const own = this.#columnsOf(this.#object.name);
    const pkRows = this.#rows.filter((r) => r.pk > 0).sort((a, b) => a.pk - b.pk);
    const options: Record<string, string> = {};
    if (this.#object.without_rowid === 1) options.without_rowid = 'true';
    if (this.#object.strict === 1) options.strict = 'true';
    return {
      ...emptyTable(this.#object.name),
      columns: this.#columns(),
      primaryKey: pkRows.length === 0 ? null : { name: definition.primaryKey?.name ?? null, columns: pkRows.map((r) => r.name) },
      uniqueConstraints: distinct(
        definition.uniques.map(
          (u): UniqueConstraint => ({
            name: u.name,
            columns: u.columns.map((c) => own.resolve(c)),
            nullsNotDistinct: false,
            deferrable: 'not deferrable',
            comment: null,
          }),
        ),
      ),
      foreignKeys: this.#foreignKeys(foreignKeyRows),
      checks: distinct(definition.checks.map((c): CheckConstraint => ({ name: c.name, expression: c.expression, validated: true, comment: null }))),
      indexes,
      options,
    };
  }

  /** The pragma rows give names, types, nullability and defaults; the statement gives the rest, column by column. */
  #columns(): Column[] {
    const parsed = this.#definition.columns;
    if (parsed.length !== this.#rows.length) {
      throw this.#mismatch(`${this.#rows.length} columns in PRAGMA table_xinfo, ${parsed.length} in the statement`);
    }
    return this.#rows.map((row, index): Column => {
      const definition = parsed[index]!;
      if (foldCase(definition.name) !== foldCase(row.name)) {
        throw this.#mismatch(`column ${index + 1} is ${row.name} in PRAGMA table_xinfo, ${definition.name} in the statement`);
      }
      const generated = row.hidden === 2 || row.hidden === 3;
      return {
        name: row.name,
        ordinal: index + 1,
        type: row.type,
        normalizedType: normalizeSqliteType(row.type),
        nullable: row.not_null === 0,
        default: row.default_value,
        identity: null,
        autoIncrement: definition.autoIncrement,
        generated: generated ? { expression: definition.generatedExpression ?? '', storage: row.hidden === 3 ? 'stored' : 'virtual' } : null,
        collation: definition.collation,
        charset: null,
        onUpdate: null,
        comment: null,
      };
    });
  }

  /**
   * PRAGMA foreign_key_list gives columns and actions; names, MATCH and deferrability come
   * from the statement. SQLite numbers keys last declared first, so walking them by
   * descending id is declaration order, and each is paired with the first unused clause of
   * the same columns and parent: two keys written alike pair up in the order written.
   */
  #foreignKeys(rows: readonly RawForeignKey[]): ForeignKey[] {
    const unused = [...this.#definition.foreignKeys];
    const own = this.#columnsOf(this.#object.name);
    const keys = [...groupBy(rows, (r) => String(r.id)).values()].sort((a, b) => b[0]!.id - a[0]!.id);
    return keys.map((keyRows): ForeignKey => {
      const first = keyRows[0]!;
      const columns = keyRows.map((r) => r.column_name);
      const referencedTable = this.#relations.resolve(first.referenced_table);
      const parent = this.#columnsOf(referencedTable);
      const referencedColumns = keyRows.every((r) => r.referenced_column === null) ? [] : keyRows.map((r) => parent.resolve(r.referenced_column ?? ''));
      const signature = (fk: ForeignKeyDefinition) =>
        key(
          fk.columns.map((c) => foldCase(own.resolve(c))).join(','),
          foldCase(fk.table),
          fk.referencedColumns.map((c) => foldCase(c)).join(','),
        );
      const wanted = key(
        columns.map(foldCase).join(','),
        foldCase(first.referenced_table),
        keyRows.every((r) => r.referenced_column === null) ? '' : keyRows.map((r) => foldCase(r.referenced_column ?? '')).join(','),
      );
      const at = unused.findIndex((fk) => signature(fk) === wanted);
      if (at < 0) throw this.#mismatch(`no FOREIGN KEY clause in the statement matches (${columns.join(', ')}) → ${first.referenced_table}`);
      const clause = unused.splice(at, 1)[0]!;
      return {
        name: clause.name,
        columns,
        referencedSchema: DATABASE_NAMESPACE,
        referencedTable,
        referencedColumns,
        onUpdate: REFERENTIAL_ACTIONS[first.on_update] ?? clause.onUpdate,
        onDelete: REFERENTIAL_ACTIONS[first.on_delete] ?? clause.onDelete,
        match: clause.match,
        deferrable: clause.deferrable,
        validated: true,
        comment: null,
      };
    });
  }

  #mismatch(detail: string): SchemaguardError {
    return new SchemaguardError(`cannot read the definition of table ${this.#object.name}: ${detail}`, {
      hint: reportHint(this.#object.name),
    });
  }
}

/**
 * The same constraint written twice (`a UNIQUE, UNIQUE (a)`) is one constraint to SQLite, and
 * would be two objects of one identity to the diff.
 */
function distinct<T>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = JSON.stringify(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * A CREATE INDEX index: PRAGMA index_xinfo says which keys are columns and their order; the
 * statement gives expression text, the COLLATE written on each key, and the WHERE predicate.
 */
function toIndex(table: RawObject, keys: readonly RawIndexKey[], definition: IndexDefinition | undefined): Index {
  const first = keys[0]!;
  if (definition === undefined || definition.keys.length !== keys.length) {
    throw new SchemaguardError(`cannot read the definition of index ${first.index_name} on ${table.name}`, {
      hint: reportHint(first.index_name),
    });
  }
  return {
    name: first.index_name,
    unique: first.is_unique === 1,
    method: null,
    keys: keys.map((row, position) => {
      const parsed = definition.keys[position]!;
      const common = {
        order: row.descending === 1 ? ('desc' as const) : ('asc' as const),
        nulls: null,
        opclass: null,
        collation: parsed.collation,
        prefixLength: null,
      };
      // cid -2 is an expression; -1 is the rowid, named as the statement names it.
      if (row.cid === -2) return { kind: 'expression' as const, expression: parsed.text, ...common };
      return { kind: 'column' as const, column: row.column_name ?? parsed.column ?? parsed.text, ...common };
    }),
    include: [],
    predicate: definition.predicate,
    nullsNotDistinct: false,
    options: {},
    comment: null,
  };
}

function toTrigger(object: RawObject, relations: NameResolver, columnsOf: (relation: string) => NameResolver): Trigger {
  const definition = parseStored(object, parseCreateTrigger);
  const table = relations.resolve(object.table_name);
  return {
    schema: DATABASE_NAMESPACE,
    table,
    name: object.name,
    timing: definition.timing,
    events: [definition.event],
    updateColumns: definition.updateColumns.map((c) => columnsOf(table).resolve(c)),
    level: 'row',
    condition: definition.condition,
    action: definition.body,
    function: null,
    // SQLite has no way to disable a trigger: it always fires.
    enabled: 'always',
    constraintTrigger: null,
    order: null,
    comment: null,
  };
}

function toView(object: RawObject, rows: readonly RawColumn[]): View {
  const definition = parseStored(object, parseCreateView);
  return {
    schema: DATABASE_NAMESPACE,
    name: object.name,
    materialized: false,
    definition: definition.query,
    columns: rows.map((r) => ({ name: r.name, type: r.type })),
    checkOption: null,
    options: {},
    indexes: [],
    comment: null,
  };
}

/**
 * A virtual table (FTS5, R*Tree…): its columns as its module declares them, without the
 * hidden ones the module adds, and the module with its arguments as the `using` option.
 * The module's shadow tables are its storage, not part of the schema, and are left out.
 */
function virtualTable(object: RawObject, using: string, rows: readonly RawColumn[]): Table {
  const visible = rows.filter((r) => r.hidden === 0);
  return {
    ...emptyTable(object.name),
    columns: visible.map((row, index) => ({
      name: row.name,
      ordinal: index + 1,
      type: row.type,
      normalizedType: normalizeSqliteType(row.type),
      nullable: row.not_null === 0,
      default: row.default_value,
      identity: null,
      autoIncrement: false,
      generated: null,
      collation: null,
      charset: null,
      onUpdate: null,
      comment: null,
    })),
    options: { using },
  };
}
