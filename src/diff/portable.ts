import type { Column, ForeignKey, Index, SchemaSnapshot, Table } from '../snapshot/model.js';
import { DATABASE_NAMESPACE } from '../snapshot/model.js';

/**
 * The portable projection of a snapshot: what a schema means on any engine, for comparing a
 * PostgreSQL database with a MySQL or SQLite one (say, one migration folder applied to each).
 *
 * Kept: tables and columns (normalised type, nullability, simple literal defaults,
 * auto-numbering), primary keys, unique column sets, foreign keys, plain indexes, and the
 * existence of views, routines, triggers and sequences. Dropped: what each engine spells its
 * own way or does not have — expression text (checks, view bodies, predicates), collations,
 * comments, table options, constraint names the engines invent (`t_pkey`, `t_ibfk_1`).
 */
export function portableSnapshot(snapshot: SchemaSnapshot): SchemaSnapshot {
  const schema = (name: string) => (snapshot.engine === 'postgres' && name === 'public' ? DATABASE_NAMESPACE : name);
  const primaryKeys = new Map(snapshot.tables.map((t) => [`${t.schema}.${t.name}`, t.primaryKey?.columns ?? []]));
  return {
    ...snapshot,
    namespaces: snapshot.namespaces.map((n) => ({ name: schema(n.name), comment: null, owner: null, grants: [] })),
    tables: snapshot.tables.map((t) => portableTable(t, schema, primaryKeys)),
    views: snapshot.views.map((v) => ({
      ...v,
      schema: schema(v.schema),
      definition: '',
      columns: v.columns.map((c) => ({ name: c.name, type: '' })),
      checkOption: null,
      options: {},
      indexes: [],
      comment: null,
      owner: null,
      grants: [],
    })),
    sequences: snapshot.sequences
      .filter((s) => s.ownedBy === null)
      .map((s) => ({ ...s, schema: schema(s.schema), dataType: '', cache: '', comment: null, owner: null, grants: [] })),
    types: [],
    routines: snapshot.routines.map((r) => ({
      ...r,
      schema: schema(r.schema),
      signature: r.name,
      arguments: '',
      returns: null,
      language: '',
      body: '',
      volatility: null,
      strict: null,
      parallel: null,
      deterministic: null,
      dataAccess: null,
      settings: [],
      security: 'invoker',
      comment: null,
      owner: null,
      grants: [],
    })),
    triggers: snapshot.triggers.map((t) => ({
      ...t,
      schema: schema(t.schema),
      condition: null,
      action: '',
      function: null,
      enabled: 'origin',
      order: null,
      constraintTrigger: null,
      comment: null,
      owner: null,
    })),
    extensions: [],
    events: [],
    rules: [],
    eventTriggers: [],
  };
}

function portableTable(table: Table, schema: (name: string) => string, primaryKeys: Map<string, string[]>): Table {
  const primaryColumns = table.primaryKey?.columns ?? [];
  const plainUnique = (index: Index) => index.unique && index.predicate === null && index.keys.every((k) => k.kind === 'column');
  const uniqueSets = [
    ...table.uniqueConstraints.map((u) => u.columns),
    ...table.indexes.filter(plainUnique).map((i) => i.keys.map((k) => (k.kind === 'column' ? k.column : ''))),
  ].filter((columns) => columns.join(',') !== primaryColumns.join(','));
  return {
    ...table,
    schema: schema(table.schema),
    owner: null,
    grants: [],
    columns: table.columns.map((c) => portableColumn(c, table)),
    primaryKey: table.primaryKey === null ? null : { name: null, columns: table.primaryKey.columns },
    uniqueConstraints: dedupe(uniqueSets).map((columns) => ({
      name: null,
      columns,
      nullsNotDistinct: false,
      deferrable: 'not deferrable',
      comment: null,
    })),
    foreignKeys: table.foreignKeys.map((f) => portableForeignKey(f, schema, primaryKeys)),
    checks: [],
    exclusions: [],
    indexes: table.indexes
      .filter((i) => !plainUnique(i))
      .map((i) => ({
        ...i,
        method: null,
        keys: i.keys.map((k) => (k.kind === 'column' ? { ...k, opclass: null, collation: null, prefixLength: null, nulls: null } : { ...k, expression: '', opclass: null, collation: null, nulls: null, prefixLength: null })),
        predicate: i.predicate === null ? null : '',
        options: {},
        comment: null,
        nullsNotDistinct: false,
      })),
    policies: [],
    partitioning: null,
    partitionOf: null,
    inherits: [],
    options: {},
    comment: null,
  };
}

function portableColumn(column: Column, table: Table): Column {
  const pk = table.primaryKey?.columns ?? [];
  const isRowidAlias = pk.length === 1 && pk[0] === column.name && /^integer$/i.test(column.type.trim());
  const autoNumbered = column.identity !== null || column.autoIncrement || /^nextval\(/.test(column.default ?? '') || isRowidAlias;
  return {
    ...column,
    type: column.normalizedType,
    // Key columns never hold NULL (SQLite reports an INTEGER PRIMARY KEY as nullable all the same).
    nullable: pk.includes(column.name) ? false : column.nullable,
    default: autoNumbered ? null : portableDefault(column.default),
    identity: null,
    autoIncrement: autoNumbered,
    generated: column.generated === null ? null : { expression: '', storage: 'stored' },
    collation: null,
    charset: null,
    onUpdate: column.onUpdate === null ? null : 'current_timestamp',
    comment: null,
  };
}

/**
 * Literal defaults in one spelling: `'G'::mpaa_rating`, `'G'` and `G` are the string G; numbers
 * lose their casts; the current-time family is one value. Other expressions compare as
 * "an expression" (present or not), since each engine writes them differently.
 */
export function portableDefault(value: string | null): string | null {
  if (value === null) return null;
  let text = value.trim();
  while (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1).trim();
  text = text.replace(/::[a-z_ ."]+(\(\d+(,\s*\d+)?\))?(\[\])?$/i, '');
  if (/^null$/i.test(text)) return null;
  if (/^(current_timestamp|now|localtimestamp|datetime\('now'\)|current_timestamp\(\d*\))(\(\))?$/i.test(text)) return 'current_timestamp';
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true' ? '1' : '0';
  if (/^'.*'$/s.test(text)) return `'${text.slice(1, -1).replace(/''/g, "'")}'`;
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) return String(Number(text));
  return 'expression';
}

function portableForeignKey(foreignKey: ForeignKey, schema: (name: string) => string, primaryKeys: Map<string, string[]>): ForeignKey {
  // SQLite may reference a parent's primary key implicitly: spell the columns out.
  const referencedColumns =
    foreignKey.referencedColumns.length > 0
      ? foreignKey.referencedColumns
      : (primaryKeys.get(`${foreignKey.referencedSchema}.${foreignKey.referencedTable}`) ?? []);
  const action = (value: ForeignKey['onUpdate']) => (value === 'restrict' ? 'no action' : value);
  return {
    ...foreignKey,
    name: null,
    referencedSchema: schema(foreignKey.referencedSchema),
    referencedColumns,
    onUpdate: action(foreignKey.onUpdate),
    onDelete: action(foreignKey.onDelete),
    match: 'simple',
    deferrable: 'not deferrable',
    validated: true,
    comment: null,
  };
}

function dedupe(sets: string[][]): string[][] {
  const seen = new Set<string>();
  return sets.filter((columns) => {
    const key = columns.join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
