import { qualifiedName } from '../../../snapshot/names.js';
import type { SchemaSnapshot, Table, View } from '../../../snapshot/model.js';
import type { LintStep } from '../lint-rule.js';
import { findTable } from './step-objects.js';

/**
 * What the statement rules of every engine share: telling a table that existed before the
 * migration from one the migration created.
 */

/** A table (or view) a statement names, placed in the snapshots. */
export interface TableRef {
  readonly schema: string;
  readonly name: string;
  /** Qualified the way the snapshot shows it: `public.orders` (PostgreSQL), `orders` (MySQL). */
  readonly qualified: string;
  /** The table as it was before the migration; null when it was no table then. */
  readonly before: Table | null;
  /** The view or materialized view of that name before the migration, if any. */
  readonly viewBefore: View | null;
  /** True when the migration created it (or the snapshot before has no relation of that name). */
  readonly isNew: boolean;
}

function findView(snapshot: SchemaSnapshot, schema: string, name: string): View | null {
  return snapshot.views.find((view) => view.schema === schema && view.name === name) ?? null;
}

/**
 * Places a table named in a statement: `schema` when the statement qualifies it, else the
 * namespace holding a table of that name (before the step, else after it), `defaultSchema`
 * when none does.
 */
export function tableRef(step: LintStep, schema: string | null, name: string, defaultSchema: string): TableRef {
  const placed = schema ?? placeUnqualified(step, name, defaultSchema);
  const qualified = qualifiedName(step.engine, placed, name);
  const before = findTable(step.before, placed, name) ?? null;
  const viewBefore = findView(step.before, placed, name);
  const existed = before !== null || viewBefore !== null;
  return { schema: placed, name, qualified, before, viewBefore, isNew: !existed || step.createdHere.has(qualified) };
}

function placeUnqualified(step: LintStep, name: string, defaultSchema: string): string {
  for (const snapshot of [step.before, step.after]) {
    if (findTable(snapshot, defaultSchema, name) !== undefined || findView(snapshot, defaultSchema, name) !== null) return defaultSchema;
    const match = [...snapshot.tables, ...snapshot.views].find((relation) => relation.name === name);
    if (match !== undefined) return match.schema;
  }
  return defaultSchema;
}
