import picomatch from 'picomatch';
import { SchemaguardError } from '../core/errors.js';
import type { Change, DiffObjectKind } from './change.js';

/**
 * Noise control: `--ignore PATTERN` (a glob over qualified names; an ignored object takes its
 * columns, indexes and constraints with it) and `--ignore-kind KIND`.
 */
export interface IgnoreRules {
  readonly patterns: readonly string[];
  readonly kinds: readonly IgnoreKind[];
}

/** Attribute families and object kinds that can be ignored as a whole. */
export const IGNORE_KINDS = {
  comments: 'comment changes on any object',
  'column-order': 'columns that only moved (ignored unless --strict-column-order)',
  owners: 'object owners',
  grants: 'privileges granted on objects',
  collations: 'column and table collations and character sets',
  'table-options': 'engine-specific table options (MySQL engine, PostgreSQL storage parameters…)',
  indexes: 'indexes',
  'foreign-keys': 'foreign keys',
  checks: 'check constraints',
  views: 'views and materialized views',
  routines: 'functions, procedures and aggregates',
  triggers: 'triggers',
  sequences: 'sequences',
  types: 'enums, domains, composite and range types',
  extensions: 'extensions',
  policies: 'row-level security policies',
  events: 'scheduled events',
  rules: 'rules',
  'event-triggers': 'event triggers',
  partitions: 'partitioning and partitions',
} as const;

export type IgnoreKind = keyof typeof IGNORE_KINDS;

export function parseIgnoreKind(text: string): IgnoreKind {
  const kind = text.trim().toLowerCase();
  if (kind in IGNORE_KINDS) return kind as IgnoreKind;
  throw new SchemaguardError(`unknown kind to ignore: "${text}"`, { hint: `use one of ${Object.keys(IGNORE_KINDS).join(', ')}` });
}

const KIND_OBJECTS: Partial<Record<IgnoreKind, readonly DiffObjectKind[]>> = {
  indexes: ['index'],
  'foreign-keys': ['foreign key'],
  checks: ['check constraint'],
  views: ['view', 'materialized view'],
  routines: ['function', 'procedure', 'aggregate', 'window function'],
  triggers: ['trigger'],
  sequences: ['sequence'],
  types: ['enum', 'domain', 'composite type', 'range type'],
  extensions: ['extension'],
  policies: ['policy'],
  events: ['event'],
  rules: ['rule'],
  'event-triggers': ['event trigger'],
};

const KIND_ATTRIBUTES: Partial<Record<IgnoreKind, (attribute: string) => boolean>> = {
  comments: (attribute) => attribute === 'comment',
  'column-order': (attribute) => attribute === 'ordinal',
  owners: (attribute) => attribute === 'owner',
  grants: (attribute) => attribute === 'grants',
  collations: (attribute) => ['collation', 'charset', 'option collation', 'option charset'].includes(attribute),
  'table-options': (attribute) => attribute.startsWith('option '),
  partitions: (attribute) => attribute === 'partitioning' || attribute === 'partitionOf',
};

function isIgnoredKind(change: Change, kinds: readonly IgnoreKind[]): boolean {
  for (const kind of kinds) {
    if (KIND_OBJECTS[kind]?.includes(change.kind)) return true;
    if (change.action === 'changed' && KIND_ATTRIBUTES[kind]?.(change.attribute)) return true;
    // Partitions of a PostgreSQL partitioned table are tables of their own.
    if (kind === 'partitions' && change.kind === 'table' && change.action !== 'changed') {
      const object = change.object as { partitionOf?: unknown } | undefined;
      if (object?.partitionOf) return true;
    }
  }
  return false;
}

/** The names a change can be ignored by: its own and every enclosing object's. */
function namesOf(change: Change): string[] {
  const names = [change.name];
  if (change.action === 'renamed') names.push(change.from);
  const { schema, table } = change.path;
  if (table !== null) {
    names.push(schema === null ? table : `${schema}.${table}`);
    names.push(table);
  }
  if (schema !== null) names.push(`${schema}.${change.path.name}`);
  return names;
}

/**
 * Drops the ignored changes. A pattern is "unused" when it names no object at all in
 * `objectNames` (both sides' objects): probably a typo, worth a warning.
 */
export function applyIgnoreRules(
  changes: readonly Change[],
  rules: IgnoreRules,
  objectNames: readonly string[] = [],
): { changes: Change[]; unusedIgnorePatterns: string[] } {
  const matchers = rules.patterns.map((pattern) => {
    const matches = picomatch(pattern, { dot: true });
    return { pattern, matches, used: objectNames.some((name) => matches(name)) };
  });
  const kept = changes.filter((change) => {
    if (isIgnoredKind(change, rules.kinds)) return false;
    const names = namesOf(change);
    let ignored = false;
    for (const matcher of matchers) {
      if (names.some((name) => matcher.matches(name))) {
        matcher.used = true;
        ignored = true;
      }
    }
    return !ignored;
  });
  return { changes: kept, unusedIgnorePatterns: matchers.filter((m) => !m.used).map((m) => m.pattern) };
}
