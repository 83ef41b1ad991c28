import { SchemaguardError } from '../core/errors.js';
import { equivalenceFor, type Equivalence } from '../dialects/equivalence.js';
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
import { allObjectNames } from '../snapshot/object-names.js';
import type { Change, DiffObjectKind, ObjectPath } from './change.js';
import { applyIgnoreRules, type IgnoreRules } from './ignore-rules.js';
import { portableSnapshot } from './portable.js';

export interface DiffOptions extends Partial<IgnoreRules> {
  /**
   * Compare schemas of different engines on their portable meaning (normalised types, key
   * columns, defaults): what one migration folder does differently on each engine.
   */
  readonly crossEngine?: boolean;
  /** Report a column that moved position. Off by default: column order rarely matters. */
  readonly strictColumnOrder?: boolean;
  /** Report unambiguous renames as renames (default) rather than remove + add. */
  readonly detectRenames?: boolean;
}

export interface DiffResult {
  readonly changes: Change[];
  /** `--ignore` patterns that matched no object: worth a warning, probably a typo. */
  readonly unusedIgnorePatterns: string[];
}

/**
 * Compares two snapshots of the same engine. The result lists, in a stable order, every
 * object added, removed or renamed and every attribute changed — nothing else — minus what
 * the ignore rules leave out.
 */
export function compareSnapshots(before: SchemaSnapshot, after: SchemaSnapshot, options: DiffOptions = {}): DiffResult {
  if (before.engine !== after.engine && options.crossEngine !== true) {
    throw new SchemaguardError(`cannot compare a ${before.engine} snapshot with a ${after.engine} snapshot directly`, {
      hint: 'add --cross-engine to compare schemas of different engines on normalised types',
    });
  }
  const differ =
    options.crossEngine === true ? new SnapshotDiffer('sqlite', options, PORTABLE_EQUIVALENCE) : new SnapshotDiffer(before.engine, options);
  if (options.crossEngine === true) differ.run(portableSnapshot(before), portableSnapshot(after));
  else differ.run(before, after);
  const patterns = options.patterns ?? [];
  return applyIgnoreRules(
    differ.changes,
    { patterns, kinds: options.kinds ?? [] },
    patterns.length === 0 ? [] : [...allObjectNames(before), ...allObjectNames(after)],
  );
}

/** The change list alone, for callers that apply no ignore rules. */
export function diffSnapshots(before: SchemaSnapshot, after: SchemaSnapshot, options: DiffOptions = {}): Change[] {
  return compareSnapshots(before, after, options).changes;
}

/** Portable snapshots hold normalised types and defaults already: compare them exactly. */
const PORTABLE_EQUIVALENCE: Equivalence = { sameType: (a, b) => a === b, sameDefault: (a, b) => a === b };

const same = (a: unknown, b: unknown): boolean => a === b || stableStringify(a) === stableStringify(b);

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

/** Who owns an object and what others may do with it (`--ignore-kind owners,grants`). */
const OWNERSHIP = ['owner', 'grants'] as const;

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
const TYPE_ATTRIBUTES: Record<UserType['kind'], string[]> = {
  enum: ['values'],
  domain: ['baseType', 'nullable', 'default', 'collation', 'checks'],
  composite: ['attributes'],
  range: ['subtype'],
};

/** How one kind of object is compared. */
interface ListSpec<T> {
  readonly kind: DiffObjectKind | ((item: T) => DiffObjectKind);
  /** What pairs an object with its counterpart on the other side. */
  readonly identity: (item: T) => string;
  readonly path: (item: T) => ObjectPath;
  readonly attributes: readonly string[];
  /** Attributes that do not take part in telling whether two objects are the same but for their name. */
  readonly nameAttributes?: readonly string[];
  readonly nested?: (before: T, after: T, path: ObjectPath) => void;
  /** Attribute comparison that an engine hook overrides. */
  readonly sameAttribute?: (attribute: string, a: unknown, b: unknown) => boolean;
}

class SnapshotDiffer {
  readonly changes: Change[] = [];
  readonly #engine: Engine;
  readonly #options: DiffOptions;
  readonly #equivalence: Equivalence;

  /** `engine` decides how names are shown (the portable projection shows them like SQLite: no `main.`). */
  constructor(engine: Engine, options: DiffOptions, equivalence: Equivalence = equivalenceFor(engine)) {
    this.#engine = engine;
    this.#options = options;
    this.#equivalence = equivalence;
  }

  run(before: SchemaSnapshot, after: SchemaSnapshot): void {
    const top = (schema: string | null, name: string): ObjectPath => ({ schema, table: null, name });
    const inTable = (schema: string, table: string, name: string): ObjectPath => ({ schema, table, name });
    this.#list(before.namespaces, after.namespaces, {
      kind: 'namespace',
      identity: (n) => n.name,
      path: (n) => top(null, n.name),
      attributes: ['comment', ...OWNERSHIP],
    });
    this.#list(before.extensions, after.extensions, {
      kind: 'extension',
      identity: (e) => e.name,
      path: (e) => top(null, e.name),
      attributes: ['schema', 'version'],
    });
    this.#list(before.types, after.types, {
      kind: (t) => TYPE_KINDS[t.kind],
      identity: (t) => `${t.schema}.${t.name}`,
      path: (t) => top(t.schema, t.name),
      attributes: ['kind', 'comment', ...OWNERSHIP],
      nested: (a, b, path) => {
        if (a.kind !== b.kind) return;
        this.#attributes(TYPE_KINDS[b.kind], path, a as Record<string, unknown>, b as Record<string, unknown>, TYPE_ATTRIBUTES[b.kind]);
      },
    });
    this.#list(before.sequences, after.sequences, {
      kind: 'sequence',
      identity: (s) => `${s.schema}.${s.name}`,
      path: (s) => top(s.schema, s.name),
      attributes: ['dataType', 'start', 'increment', 'min', 'max', 'cache', 'cycle', 'ownedBy', 'comment', ...OWNERSHIP],
    });
    this.#tables(before.tables, after.tables);
    this.#views(before.views, after.views);
    this.#list(before.routines, after.routines, {
      kind: (r) => ROUTINE_KINDS[r.kind],
      identity: (r) => `${r.schema}.${r.signature}`,
      path: (r) => top(r.schema, r.signature),
      attributes: [...ROUTINE_ATTRIBUTES, ...OWNERSHIP],
      nameAttributes: ['signature'],
    });
    this.#list(before.triggers, after.triggers, {
      kind: 'trigger',
      identity: (t) => `${t.schema}.${t.table}.${t.name}`,
      path: (t) => inTable(t.schema, t.table, t.name),
      attributes: ['timing', 'events', 'updateColumns', 'level', 'condition', 'action', 'function', 'enabled', 'constraintTrigger', 'order', 'comment', 'owner'],
    });
    this.#list(before.rules, after.rules, {
      kind: 'rule',
      identity: (r) => `${r.schema}.${r.table}.${r.name}`,
      path: (r) => inTable(r.schema, r.table, r.name),
      attributes: ['definition', 'comment'],
    });
    this.#list(before.events, after.events, {
      kind: 'event',
      identity: (e) => `${e.schema}.${e.name}`,
      path: (e) => top(e.schema, e.name),
      attributes: ['schedule', 'status', 'onCompletion', 'body', 'comment', 'owner'],
    });
    this.#list(before.eventTriggers, after.eventTriggers, {
      kind: 'event trigger',
      identity: (e) => e.name,
      path: (e) => top(null, e.name),
      attributes: ['event', 'tags', 'function', 'enabled', 'comment'],
    });
  }

  #display(path: ObjectPath): string {
    if (path.schema === null) return path.table === null ? path.name : `${path.table}.${path.name}`;
    return path.table === null ? qualifiedName(this.#engine, path.schema, path.name) : qualifiedName(this.#engine, path.schema, path.table, path.name);
  }

  /**
   * Pairs two lists by identity; reports added, removed, renamed and changed objects. Where
   * the engine pairs names loosely (SQLite), a pair spelled differently has its `name` changed.
   */
  #list<T>(before: readonly T[], after: readonly T[], spec: ListSpec<T>): void {
    const kindOf = typeof spec.kind === 'function' ? spec.kind : () => spec.kind as DiffObjectKind;
    const keyOf = this.#equivalence.identityKey;
    const identity = keyOf === undefined ? spec.identity : (item: T) => keyOf(spec.identity(item));
    const afterById = new Map(after.map((item) => [identity(item), item] as const));
    const beforeIds = new Set(before.map(identity));
    const removed = before.filter((item) => !afterById.has(identity(item)));
    const added = after.filter((item) => !beforeIds.has(identity(item)));
    const renames = this.#options.detectRenames === false ? new Map<T, T>() : this.#findRenames(removed, added, spec);
    const renamedTargets = new Set(renames.values());
    const attributes = keyOf === undefined || spec.attributes.includes('name') ? spec.attributes : ['name', ...spec.attributes];

    for (const item of before) {
      const counterpart = afterById.get(identity(item));
      if (counterpart !== undefined) {
        const path = spec.path(counterpart);
        this.#attributes(kindOf(counterpart), path, item, counterpart, attributes, spec.sameAttribute);
        spec.nested?.(item, counterpart, path);
        continue;
      }
      const renamedTo = renames.get(item);
      if (renamedTo !== undefined) {
        const path = spec.path(renamedTo);
        const fromPath = spec.path(item);
        this.changes.push({
          action: 'renamed',
          kind: kindOf(renamedTo),
          name: this.#display(path),
          path,
          from: this.#display(fromPath),
          fromPath,
          object: renamedTo,
        });
        continue;
      }
      const path = spec.path(item);
      this.changes.push({ action: 'removed', kind: kindOf(item), name: this.#display(path), path, object: item });
    }
    for (const item of added) {
      if (renamedTargets.has(item)) continue;
      const path = spec.path(item);
      this.changes.push({ action: 'added', kind: kindOf(item), name: this.#display(path), path, object: item });
    }
  }

  /**
   * A removed and an added object are a rename when their definitions are identical but for
   * the name, and neither has another candidate. Ambiguity means remove + add.
   */
  #findRenames<T>(removed: readonly T[], added: readonly T[], spec: ListSpec<T>): Map<T, T> {
    const renames = new Map<T, T>();
    if (removed.length === 0 || added.length === 0) return renames;
    const ignored = new Set(['name', 'schema', 'ordinal', ...(spec.nameAttributes ?? [])]);
    const fingerprint = (item: T) =>
      stableStringify(Object.fromEntries(Object.entries(item as Record<string, unknown>).filter(([key]) => !ignored.has(key))));
    const removedByPrint = groupBy(removed, fingerprint);
    const addedByPrint = groupBy(added, fingerprint);
    for (const [print, candidates] of removedByPrint) {
      const targets = addedByPrint.get(print);
      if (candidates.length === 1 && targets?.length === 1) renames.set(candidates[0]!, targets[0]!);
    }
    return renames;
  }

  #attributes<T>(
    kind: DiffObjectKind,
    path: ObjectPath,
    before: T,
    after: T,
    attributes: readonly string[],
    sameAttribute?: (attribute: string, a: unknown, b: unknown) => boolean,
  ): void {
    for (const attribute of attributes) {
      const a = (before as Record<string, unknown>)[attribute];
      const b = (after as Record<string, unknown>)[attribute];
      const equal = sameAttribute?.(attribute, a, b) ?? same(a, b);
      if (!equal) this.changes.push({ action: 'changed', kind, name: this.#display(path), path, attribute, before: a, after: b });
    }
  }

  /** Engine-specific options (MySQL engine, PostgreSQL storage parameters…), one change per key. */
  #optionChanges(kind: DiffObjectKind, path: ObjectPath, before: Record<string, string>, after: Record<string, string>): void {
    for (const option of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      if (before[option] !== after[option]) {
        this.changes.push({
          action: 'changed',
          kind,
          name: this.#display(path),
          path,
          attribute: `option ${option}`,
          before: before[option] ?? null,
          after: after[option] ?? null,
        });
      }
    }
  }

  #tables(before: readonly Table[], after: readonly Table[]): void {
    this.#list(before, after, {
      kind: 'table',
      identity: (t) => `${t.schema}.${t.name}`,
      path: (t) => ({ schema: t.schema, table: null, name: t.name }),
      attributes: ['comment', 'partitioning', 'partitionOf', 'inherits', ...OWNERSHIP],
      nested: (a, b, path) => this.#tableContents(a, b, path),
    });
  }

  #tableContents(before: Table, after: Table, tablePath: ObjectPath): void {
    const schema = tablePath.schema!;
    const table = tablePath.name;
    const child = (name: string): ObjectPath => ({ schema, table, name });
    this.#optionChanges('table', tablePath, before.options, after.options);
    const columnAttributes: string[] = [...COLUMN_ATTRIBUTES];
    if (this.#options.strictColumnOrder) columnAttributes.push('ordinal');
    const equivalence = this.#equivalence;
    this.#list(before.columns, after.columns, {
      kind: 'column',
      identity: (c: Column) => c.name,
      path: (c) => child(c.name),
      attributes: columnAttributes,
      sameAttribute: (attribute, a, b) => {
        if (attribute === 'type') return equivalence.sameType(a as string, b as string);
        if (attribute === 'default') return equivalence.sameDefault(a as string | null, b as string | null);
        return same(a, b);
      },
    });

    this.#list(before.primaryKey === null ? [] : [before.primaryKey], after.primaryKey === null ? [] : [after.primaryKey], {
      kind: 'primary key',
      identity: () => 'primary key',
      path: (pk) => child(pk.name ?? 'primary key'),
      attributes: ['name', 'columns', 'comment'],
    });
    const uniqueId = (u: UniqueConstraint) => u.name ?? `unique(${u.columns.join(', ')})`;
    this.#list(before.uniqueConstraints, after.uniqueConstraints, {
      kind: 'unique constraint',
      identity: uniqueId,
      path: (u) => child(uniqueId(u)),
      attributes: ['columns', 'nullsNotDistinct', 'deferrable', 'comment'],
    });
    const foreignId = (f: ForeignKey) => f.name ?? `foreign key(${f.columns.join(', ')}) → ${f.referencedTable}`;
    this.#list(before.foreignKeys, after.foreignKeys, {
      kind: 'foreign key',
      identity: foreignId,
      path: (f) => child(foreignId(f)),
      attributes: ['columns', 'referencedSchema', 'referencedTable', 'referencedColumns', 'onUpdate', 'onDelete', 'match', 'deferrable', 'validated', 'comment'],
    });
    const checkId = (c: CheckConstraint) => c.name ?? `check(${c.expression})`;
    this.#list(before.checks, after.checks, {
      kind: 'check constraint',
      identity: checkId,
      path: (c) => child(checkId(c)),
      attributes: ['expression', 'validated', 'comment'],
    });
    this.#list(before.exclusions, after.exclusions, {
      kind: 'exclusion constraint',
      identity: (x) => x.name,
      path: (x) => child(x.name),
      attributes: ['definition', 'deferrable', 'comment'],
    });
    this.#indexes(before.indexes, after.indexes, schema, table);
    this.#list(before.policies, after.policies, {
      kind: 'policy',
      identity: (p) => p.name,
      path: (p) => child(p.name),
      attributes: ['permissive', 'command', 'roles', 'using', 'withCheck', 'comment'],
    });
  }

  #indexes(before: readonly Index[], after: readonly Index[], schema: string, table: string): void {
    this.#list(before, after, {
      kind: 'index',
      identity: (i) => i.name,
      path: (i) => ({ schema, table, name: i.name }),
      attributes: INDEX_ATTRIBUTES,
    });
  }

  #views(before: readonly View[], after: readonly View[]): void {
    this.#list(before, after, {
      kind: (v) => (v.materialized ? 'materialized view' : 'view'),
      identity: (v) => `${v.schema}.${v.name}`,
      path: (v) => ({ schema: v.schema, table: null, name: v.name }),
      attributes: ['materialized', 'definition', 'columns', 'checkOption', 'comment', ...OWNERSHIP],
      nested: (a, b, path) => {
        this.#optionChanges(b.materialized ? 'materialized view' : 'view', path, a.options, b.options);
        this.#indexes(a.indexes, b.indexes, b.schema, b.name);
      },
    });
  }
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}
