import type { EngineCapabilities, ObjectKind } from './dialect.js';
import type { Engine } from './engine.js';

const ALL: readonly ObjectKind[] = [
  'namespaces',
  'tables',
  'views',
  'materializedViews',
  'sequences',
  'enums',
  'domains',
  'compositeTypes',
  'rangeTypes',
  'routines',
  'triggers',
  'extensions',
  'events',
  'rules',
  'eventTriggers',
  'policies',
  'exclusionConstraints',
  'partitioning',
  'comments',
];

const without = (...missing: ObjectKind[]): ReadonlySet<ObjectKind> => new Set(ALL.filter((kind) => !missing.includes(kind)));

/** Which object kinds each engine has. What an engine lacks is said, never shown as zero. */
export const ENGINE_CAPABILITIES: Readonly<Record<Engine, EngineCapabilities>> = {
  postgres: { engine: 'postgres', displayName: 'PostgreSQL', supported: without('events') },
  mysql: {
    engine: 'mysql',
    displayName: 'MySQL/MariaDB',
    // Enums are column types in MySQL, not named types; sequences exist on MariaDB only.
    supported: without('materializedViews', 'enums', 'domains', 'compositeTypes', 'rangeTypes', 'extensions', 'rules', 'eventTriggers', 'policies', 'exclusionConstraints'),
  },
  sqlite: {
    engine: 'sqlite',
    displayName: 'SQLite',
    supported: new Set<ObjectKind>(['namespaces', 'tables', 'views', 'triggers']),
  },
};

export const OBJECT_KIND_LABELS: Readonly<Record<ObjectKind, string>> = {
  namespaces: 'schemas',
  tables: 'tables',
  views: 'views',
  materializedViews: 'materialized views',
  sequences: 'sequences',
  enums: 'enum types',
  domains: 'domains',
  compositeTypes: 'composite types',
  rangeTypes: 'range types',
  routines: 'stored routines',
  triggers: 'triggers',
  extensions: 'extensions',
  events: 'scheduled events',
  rules: 'rules',
  eventTriggers: 'event triggers',
  policies: 'row-level security policies',
  exclusionConstraints: 'exclusion constraints',
  partitioning: 'partitioning',
  comments: 'comments',
};

export function unsupportedKinds(engine: Engine): ObjectKind[] {
  const supported = ENGINE_CAPABILITIES[engine].supported;
  return ALL.filter((kind) => !supported.has(kind));
}
