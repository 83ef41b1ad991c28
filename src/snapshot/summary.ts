import { ENGINE_CAPABILITIES, OBJECT_KIND_LABELS, unsupportedKinds } from '../dialects/capabilities.js';
import type { ObjectKind } from '../dialects/dialect.js';
import type { SchemaSnapshot } from './model.js';

/** Object counts by kind, as a person reads them. */
export function countObjects(snapshot: SchemaSnapshot): Partial<Record<ObjectKind, number>> {
  const count = (kind: string) => snapshot.types.filter((t) => t.kind === kind).length;
  return {
    namespaces: snapshot.namespaces.length,
    tables: snapshot.tables.length,
    views: snapshot.views.filter((v) => !v.materialized).length,
    materializedViews: snapshot.views.filter((v) => v.materialized).length,
    sequences: snapshot.sequences.length,
    enums: count('enum'),
    domains: count('domain'),
    compositeTypes: count('composite'),
    rangeTypes: count('range'),
    routines: snapshot.routines.length,
    triggers: snapshot.triggers.length,
    extensions: snapshot.extensions.length,
    events: snapshot.events.length,
    rules: snapshot.rules.length,
    eventTriggers: snapshot.eventTriggers.length,
    policies: snapshot.tables.reduce((sum, t) => sum + t.policies.length, 0),
  };
}

/** `9 tables, 4 views, 2 stored routines; SQLite has no sequences, stored routines, …` */
export function summarizeSnapshot(snapshot: SchemaSnapshot): string {
  const counts = countObjects(snapshot);
  const capabilities = ENGINE_CAPABILITIES[snapshot.engine];
  const present = (Object.entries(counts) as [ObjectKind, number][])
    .filter(([kind, n]) => n > 0 && capabilities.supported.has(kind))
    .map(([kind, n]) => `${n} ${OBJECT_KIND_LABELS[kind]}`);
  const lacking = unsupportedKinds(snapshot.engine)
    .filter((kind) => kind !== 'comments' && kind !== 'partitioning' && kind !== 'exclusionConstraints')
    .map((kind) => OBJECT_KIND_LABELS[kind]);
  const found = present.length === 0 ? 'no objects' : present.join(', ');
  return lacking.length === 0 ? found : `${found} (${capabilities.displayName} has no ${lacking.join(', ')})`;
}
