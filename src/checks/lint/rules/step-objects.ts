import type { AttributeChange, Change, DiffObjectKind, ObjectPath } from '../../../diff/change.js';
import type { Column, ForeignKey, SchemaSnapshot, Table } from '../../../snapshot/model.js';
import { qualifiedName } from '../../../snapshot/names.js';
import type { LintStep } from '../lint-rule.js';

/** Lookups the diff rules share: the tables and columns a change is about, before and after the step. */

export function findTable(snapshot: SchemaSnapshot, schema: string | null, name: string | null): Table | undefined {
  if (schema === null || name === null) return undefined;
  return snapshot.tables.find((t) => t.schema === schema && t.name === name);
}

export function findColumn(snapshot: SchemaSnapshot, path: ObjectPath): Column | undefined {
  return findTable(snapshot, path.schema, path.table)?.columns.find((c) => c.name === path.name);
}

/** The qualified name of the table an object belongs to (`public.orders`), or null for top-level objects. */
export function tableOf(step: LintStep, path: ObjectPath): string | null {
  return path.schema === null || path.table === null ? null : qualifiedName(step.engine, path.schema, path.table);
}

export function tableName(step: LintStep, table: Pick<Table, 'schema' | 'name'>): string {
  return qualifiedName(step.engine, table.schema, table.name);
}

/** A table of the step that existed before it (renamed tables count as existing). */
export function existedBefore(step: LintStep, table: string | null): boolean {
  return table !== null && !step.createdHere.has(table);
}

export function changesOf<A extends Change['action']>(step: LintStep, action: A, kinds: readonly DiffObjectKind[]): Extract<Change, { action: A }>[] {
  return step.changes.filter((c): c is Extract<Change, { action: A }> => c.action === action && kinds.includes(c.kind));
}

export function attributeChanges(step: LintStep, kind: DiffObjectKind, attribute: string): AttributeChange[] {
  return step.changes.filter((c): c is AttributeChange => c.action === 'changed' && c.kind === kind && c.attribute === attribute);
}

/** Tables the step drops, by qualified name: what is inside them is reported with them. */
export function droppedTables(step: LintStep): Set<string> {
  return new Set(changesOf(step, 'removed', ['table']).map((c) => c.name));
}

/** Columns the step drops, as `table.column` qualified names. */
export function droppedColumns(step: LintStep): Set<string> {
  return new Set(changesOf(step, 'removed', ['column']).map((c) => c.name));
}

/**
 * Whether some index of the table has the foreign key's columns as its leading columns (in
 * any order): the index lookups a delete or update of the referenced row needs. The primary
 * key and unique constraints count (their index is implicit).
 */
export function supportsForeignKey(table: Table, foreignKey: ForeignKey): boolean {
  const wanted = new Set(foreignKey.columns);
  const leads = (columns: readonly (string | null)[]) =>
    columns.length >= wanted.size && columns.slice(0, wanted.size).every((column) => column !== null && wanted.has(column));
  if (table.primaryKey !== null && leads(table.primaryKey.columns)) return true;
  if (table.uniqueConstraints.some((u) => leads(u.columns))) return true;
  return table.indexes.some((index) => index.predicate === null && leads(index.keys.map((key) => (key.kind === 'column' ? key.column : null))));
}

export function describeColumns(columns: readonly string[]): string {
  return columns.length === 1 ? columns[0]! : `(${columns.join(', ')})`;
}
