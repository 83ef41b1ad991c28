import { SchemaguardError } from '../core/errors.js';
import type { Engine } from '../dialects/engine.js';
import { stableStringify } from '../snapshot/canonical.js';
import type {
  CheckConstraint,
  Column,
  ForeignKey,
  Index,
  Routine,
  SchemaSnapshot,
  Table,
  UniqueConstraint,
  UserType,
  View,
} from '../snapshot/model.js';
import { qualifiedName } from '../snapshot/names.js';
import type { Change, DiffObjectKind } from './change.js';

export interface DiffOptions {
  /** Report a column that moved position. Off by default: column order rarely matters. */
  readonly strictColumnOrder?: boolean;
}

/**
 * Compares two snapshots of the same engine. The result lists, in a stable order, every
 * object added or removed and every attribute changed — nothing else.
 */
export function diffSnapshots(before: SchemaSnapshot, after: SchemaSnapshot, options: DiffOptions = {}): Change[] {
  if (before.engine !== after.engine) {
    throw new SchemaguardError(`cannot compare a ${before.engine} snapshot with a ${after.engine} snapshot`, {
      hint: 'compare snapshots of the same engine',
    });
  }
  const differ = new SnapshotDiffer(before.engine, options);
  differ.run(before, after);
  return differ.changes;
}

const same = (a: unknown, b: unknown): boolean => a === b || stableStringify(a) === stableStringify(b);

/** Pairs two lists by identity, in the order of the first list then the new items of the second. */
function pairUp<T>(before: readonly T[], after: readonly T[], identity: (item: T) => string) {
  const afterById = new Map(after.map((item) => [identity(item), item] as const));
  const beforeIds = new Set<string>();
  const pairs: { id: string; before: T | undefined; after: T | undefined }[] = [];
  for (const item of before) {
    const id = identity(item);
    beforeIds.add(id);
    pairs.push({ id, before: item, after: afterById.get(id) });
  }
  for (const item of after) {
    const id = identity(item);
    if (!beforeIds.has(id)) pairs.push({ id, before: undefined, after: item });
  }
  return pairs;
}

const COLUMN_ATTRIBUTES = [
  'type',
  'nullable',
  'default',
  'identity',
  'autoIncrement',
  'generated',
  'collation',
  'charset',
  'onUpdate',
  'comment',
] as const satisfies readonly (keyof Column)[];
const INDEX_ATTRIBUTES = [
  'unique',
  'method',
  'keys',
  'include',
  'predicate',
  'nullsNotDistinct',
  'options',
  'comment',
] as const satisfies readonly (keyof Index)[];
const ROUTINE_ATTRIBUTES = [
  'kind',
  'arguments',
  'returns',
  'language',
  'body',
  'volatility',
  'security',
  'strict',
  'parallel',
  'deterministic',
  'dataAccess',
  'settings',
  'comment',
] as const satisfies readonly (keyof Routine)[];

const ROUTINE_KINDS: Record<Routine['kind'], DiffObjectKind> = {
  function: 'function',
  procedure: 'procedure',
  aggregate: 'aggregate',
  window: 'window function',
};
const TYPE_KINDS: Record<UserType['kind'], DiffObjectKind> = {
  enum: 'enum',
  domain: 'domain',
  composite: 'composite type',
  range: 'range type',
};

/** A name for a constraint, even an unnamed one (SQLite): `unique(a, b)`. */
function constraintLabel(constraint: { name: string | null }, fallback: string): string {
  return constraint.name ?? fallback;
}

class SnapshotDiffer {
  readonly changes: Change[] = [];
  readonly #engine: Engine;
  readonly #options: DiffOptions;

  constructor(engine: Engine, options: DiffOptions) {
    this.#engine = engine;
    this.#options = options;
  }

  run(before: SchemaSnapshot, after: SchemaSnapshot): void {
    this.#list('namespace', before.namespaces, after.namespaces, (n) => n.name, (n) => n.name, ['comment']);
    this.#list('extension', before.extensions, after.extensions, (e) => e.name, (e) => e.name, ['schema', 'version']);
    this.#types(before.types, after.types);
    this.#list('sequence', before.sequences, after.sequences, (s) => `${s.schema}.${s.name}`, (s) => this.#name(s.schema, s.name), [
      'dataType',
      'start',
      'increment',
      'min',
      'max',
      'cache',
      'cycle',
      'ownedBy',
      'comment',
    ]);
    this.#tables(before.tables, after.tables);
    this.#views(before.views, after.views);
    this.#routines(before.routines, after.routines);
    this.#list(
      'trigger',
      before.triggers,
      after.triggers,
      (t) => `${t.schema}.${t.table}.${t.name}`,
      (t) => this.#name(t.schema, t.table, t.name),
      ['timing', 'events', 'updateColumns', 'level', 'condition', 'action', 'function', 'enabled', 'constraintTrigger', 'order', 'comment'],
    );
    this.#list('rule', before.rules, after.rules, (r) => `${r.schema}.${r.table}.${r.name}`, (r) => this.#name(r.schema, r.table, r.name), [
      'definition',
      'comment',
    ]);
    this.#list('event', before.events, after.events, (e) => `${e.schema}.${e.name}`, (e) => this.#name(e.schema, e.name), [
      'schedule',
      'status',
      'onCompletion',
      'body',
      'comment',
    ]);
    this.#list('event trigger', before.eventTriggers, after.eventTriggers, (e) => e.name, (e) => e.name, [
      'event',
      'tags',
      'function',
      'enabled',
      'comment',
    ]);
  }

  #name(schema: string, ...names: string[]): string {
    return qualifiedName(this.#engine, schema, ...names);
  }

  /** The generic case: pair by identity, report added/removed, compare the listed attributes. */
  #list<T>(
    kind: DiffObjectKind | ((item: T) => DiffObjectKind),
    before: readonly T[],
    after: readonly T[],
    identity: (item: T) => string,
    display: (item: T) => string,
    attributes: readonly (keyof T & string)[],
    nested?: (before: T, after: T, name: string) => void,
  ): void {
    const kindOf = typeof kind === 'function' ? kind : () => kind;
    for (const pair of pairUp(before, after, identity)) {
      if (pair.before === undefined) {
        this.changes.push({ action: 'added', kind: kindOf(pair.after!), name: display(pair.after!), object: pair.after });
      } else if (pair.after === undefined) {
        this.changes.push({ action: 'removed', kind: kindOf(pair.before), name: display(pair.before), object: pair.before });
      } else {
        const name = display(pair.after);
        this.#attributes(kindOf(pair.after), name, pair.before, pair.after, attributes);
        nested?.(pair.before, pair.after, name);
      }
    }
  }

  #attributes<T>(kind: DiffObjectKind, name: string, before: T, after: T, attributes: readonly (keyof T & string)[]): void {
    for (const attribute of attributes) {
      if (!same(before[attribute], after[attribute])) {
        this.changes.push({ action: 'changed', kind, name, attribute, before: before[attribute], after: after[attribute] });
      }
    }
  }

  /** Engine-specific options (MySQL engine, PostgreSQL storage parameters…), one change per key. */
  #optionChanges(kind: DiffObjectKind, name: string, before: Record<string, string>, after: Record<string, string>): void {
    for (const option of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      if (before[option] !== after[option]) {
        this.changes.push({
          action: 'changed',
          kind,
          name,
          attribute: `option ${option}`,
          before: before[option] ?? null,
          after: after[option] ?? null,
        });
      }
    }
  }

  #tables(before: readonly Table[], after: readonly Table[]): void {
    this.#list(
      'table',
      before,
      after,
      (t) => `${t.schema}.${t.name}`,
      (t) => this.#name(t.schema, t.name),
      ['comment', 'partitioning', 'partitionOf', 'inherits'],
      (a, b, name) => this.#tableContents(a, b, name),
    );
  }

  #tableContents(before: Table, after: Table, tableName: string): void {
    const child = (label: string) => `${tableName}.${label}`;
    this.#optionChanges('table', tableName, before.options, after.options);
    const columnAttributes: (keyof Column & string)[] = [...COLUMN_ATTRIBUTES];
    if (this.#options.strictColumnOrder) columnAttributes.push('ordinal');
    this.#list('column', before.columns, after.columns, (c) => c.name, (c) => child(c.name), columnAttributes);

    const primaryLabel = (pk: NonNullable<Table['primaryKey']>) => constraintLabel(pk, 'primary key');
    this.#list(
      'primary key',
      before.primaryKey === null ? [] : [before.primaryKey],
      after.primaryKey === null ? [] : [after.primaryKey],
      () => 'primary key',
      (pk) => child(primaryLabel(pk)),
      ['name', 'columns'],
    );
    const uniqueId = (u: UniqueConstraint) => u.name ?? `unique(${u.columns.join(', ')})`;
    this.#list('unique constraint', before.uniqueConstraints, after.uniqueConstraints, uniqueId, (u) => child(uniqueId(u)), [
      'columns',
      'nullsNotDistinct',
      'deferrable',
      'comment',
    ]);
    const foreignId = (f: ForeignKey) => f.name ?? `foreign key(${f.columns.join(', ')}) → ${f.referencedTable}`;
    this.#list('foreign key', before.foreignKeys, after.foreignKeys, foreignId, (f) => child(foreignId(f)), [
      'columns',
      'referencedSchema',
      'referencedTable',
      'referencedColumns',
      'onUpdate',
      'onDelete',
      'match',
      'deferrable',
      'validated',
      'comment',
    ]);
    const checkId = (c: CheckConstraint) => c.name ?? `check(${c.expression})`;
    this.#list('check constraint', before.checks, after.checks, checkId, (c) => child(checkId(c)), ['expression', 'validated', 'comment']);
    this.#list('exclusion constraint', before.exclusions, after.exclusions, (x) => x.name, (x) => child(x.name), [
      'definition',
      'deferrable',
      'comment',
    ]);
    this.#indexes(before.indexes, after.indexes, tableName);
    this.#list('policy', before.policies, after.policies, (p) => p.name, (p) => child(p.name), [
      'permissive',
      'command',
      'roles',
      'using',
      'withCheck',
      'comment',
    ]);
  }

  #indexes(before: readonly Index[], after: readonly Index[], ownerName: string): void {
    this.#list('index', before, after, (i) => i.name, (i) => `${ownerName}.${i.name}`, INDEX_ATTRIBUTES);
  }

  #views(before: readonly View[], after: readonly View[]): void {
    this.#list(
      (v) => (v.materialized ? 'materialized view' : 'view'),
      before,
      after,
      (v) => `${v.schema}.${v.name}`,
      (v) => this.#name(v.schema, v.name),
      ['materialized', 'definition', 'columns', 'checkOption', 'comment'],
      (a, b, name) => {
        this.#optionChanges(b.materialized ? 'materialized view' : 'view', name, a.options, b.options);
        this.#indexes(a.indexes, b.indexes, name);
      },
    );
  }

  #routines(before: readonly Routine[], after: readonly Routine[]): void {
    this.#list(
      (r) => ROUTINE_KINDS[r.kind],
      before,
      after,
      (r) => `${r.schema}.${r.signature}`,
      (r) => this.#name(r.schema, r.signature),
      ROUTINE_ATTRIBUTES,
    );
  }

  #types(before: readonly UserType[], after: readonly UserType[]): void {
    this.#list(
      (t) => TYPE_KINDS[t.kind],
      before,
      after,
      (t) => `${t.schema}.${t.name}`,
      (t) => this.#name(t.schema, t.name),
      ['kind', 'comment'],
      (a, b, name) => {
        if (a.kind !== b.kind) return;
        const kind = TYPE_KINDS[b.kind];
        const attributes: Record<UserType['kind'], string[]> = {
          enum: ['values'],
          domain: ['baseType', 'nullable', 'default', 'collation', 'checks'],
          composite: ['attributes'],
          range: ['subtype'],
        };
        this.#attributes(kind, name, a as Record<string, unknown>, b as Record<string, unknown>, attributes[b.kind]);
      },
    );
  }
}
