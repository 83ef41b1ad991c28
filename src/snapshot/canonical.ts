import { SchemaguardError } from '../core/errors.js';
import {
  SNAPSHOT_FORMAT,
  SNAPSHOT_FORMAT_VERSION,
  SchemaSnapshotSchema,
  type ForeignKey,
  type Grant,
  type SchemaSnapshot,
  type Table,
  type TableData,
  type View,
} from './model.js';
import { rowComparator } from './data-order.js';
import { fromStoredValue } from './data-values.js';

/**
 * Canonical form: every list of named things sorted (by code point, never by locale), every
 * object's keys sorted, two-space JSON with a final newline. Two captures of the same
 * database are byte-identical, and a baseline diff in a pull request shows only what changed.
 */

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function by<T>(...keys: ((item: T) => string)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const order = compareText(key(a), key(b));
      if (order !== 0) return order;
    }
    return 0;
  };
}

const sorted = <T>(items: readonly T[], compare: (a: T, b: T) => number): T[] => [...items].sort(compare);

const byGrant = by<Grant>(
  (g) => g.grantee,
  (g) => g.privilege,
);

/**
 * Owner and grants always present (null and [] on engines without them) and grants in a
 * stable order, so every snapshot of an engine has one shape.
 */
function withSortedGrants<T extends { owner?: string | null; grants?: Grant[] }>(item: T): T {
  return { ...item, owner: item.owner ?? null, grants: sorted(item.grants ?? [], byGrant) };
}

function withOwner<T extends { owner?: string | null }>(item: T): T {
  return { ...item, owner: item.owner ?? null };
}

/** A stable key for a constraint that may have no name (SQLite). */
const constraintKey = (item: { name: string | null; columns?: string[]; expression?: string }): string =>
  item.name ?? `~${item.columns?.join(',') ?? item.expression ?? ''}`;

function canonicalTable(table: Table): Table {
  return {
    ...withSortedGrants(table),
    columns: sorted(table.columns, (a, b) => a.ordinal - b.ordinal),
    primaryKey: table.primaryKey === null ? null : { ...table.primaryKey, comment: table.primaryKey.comment ?? null },
    uniqueConstraints: sorted(table.uniqueConstraints, by(constraintKey)),
    foreignKeys: sorted(table.foreignKeys, by<ForeignKey>(constraintKey, (fk) => `${fk.referencedSchema}.${fk.referencedTable}`)),
    checks: sorted(table.checks, by(constraintKey)),
    exclusions: sorted(table.exclusions, by((c) => c.name)),
    indexes: sorted(table.indexes, by((i) => i.name)),
    policies: sorted(table.policies, by((p) => p.name)),
    inherits: [...table.inherits],
  };
}

function canonicalView(view: View): View {
  return { ...withSortedGrants(view), indexes: sorted(view.indexes, by((i) => i.name)) };
}

const schemaThenName = by<{ schema: string; name: string }>(
  (o) => o.schema,
  (o) => o.name,
);

/** A table's data with its rows in key order (by every column when there is no key). */
function canonicalTableData(data: TableData): TableData {
  if (data.rows === null) return data;
  const names = data.columns.map((c) => c.name);
  const order = data.keyColumns.length === 0 ? names.map((_, i) => i) : data.keyColumns.map((k) => names.indexOf(k));
  const compare = rowComparator(
    data.columns.map((c) => c.kind),
    order,
  );
  const rows = data.rows.map((row) => ({ row, texts: row.map(fromStoredValue) }));
  rows.sort((a, b) => compare(a.texts, b.texts));
  return { ...data, rows: rows.map((r) => r.row) };
}

/** Returns the snapshot with every list in canonical order. */
export function canonicalizeSnapshot(snapshot: SchemaSnapshot): SchemaSnapshot {
  return {
    ...snapshot,
    namespaces: sorted(snapshot.namespaces.map(withSortedGrants), by((n) => n.name)),
    tables: sorted(snapshot.tables.map(canonicalTable), schemaThenName),
    views: sorted(snapshot.views.map(canonicalView), schemaThenName),
    sequences: sorted(snapshot.sequences.map(withSortedGrants), schemaThenName),
    types: sorted(
      snapshot.types.map((type) => withSortedGrants(type.kind === 'domain' ? { ...type, checks: sorted(type.checks, by(constraintKey)) } : type)),
      schemaThenName,
    ),
    routines: sorted(snapshot.routines.map(withSortedGrants), by((r) => r.schema, (r) => r.signature, (r) => r.kind)),
    triggers: sorted(snapshot.triggers.map(withOwner), by((t) => t.schema, (t) => t.table, (t) => t.name)),
    extensions: sorted(snapshot.extensions, by((e) => e.name)),
    events: sorted(snapshot.events.map(withOwner), schemaThenName),
    rules: sorted(snapshot.rules, by((r) => r.schema, (r) => r.table, (r) => r.name)),
    eventTriggers: sorted(snapshot.eventTriggers, by((e) => e.name)),
    ...(snapshot.data === undefined ? {} : { data: sorted(snapshot.data.map(canonicalTableData), by((d) => d.schema, (d) => d.table)) }),
  };
}

/** JSON with object keys sorted at every depth; array order is kept. */
export function stableStringify(value: unknown): string {
  return `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;
}

/**
 * A snapshot's JSON, with each stored data row on one line (`["1", "AC/DC"]`), so a change of
 * one row is a change of one line in a pull request.
 */
function stringifySnapshot(snapshot: SchemaSnapshot): string {
  if (snapshot.data === undefined) return stableStringify(snapshot);
  const nonce = Math.random().toString(16).slice(2);
  const lines: string[] = [];
  const withMarkers = {
    ...snapshot,
    data: snapshot.data.map((d) => ({
      ...d,
      rows: d.rows === null ? null : d.rows.map((row) => `\u0000${nonce}:${lines.push(`[${row.map((v) => JSON.stringify(v)).join(', ')}]`) - 1}`),
    })),
  };
  const marker = new RegExp(`"\\\\u0000${nonce}:(\\d+)"`, 'g');
  return stableStringify(withMarkers).replace(marker, (_, index: string) => lines[Number(index)]!);
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareText)) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) result[key] = sortKeysDeep(child);
    }
    return result;
  }
  return value;
}

export function serializeSnapshot(snapshot: SchemaSnapshot): string {
  return stringifySnapshot(canonicalizeSnapshot(snapshot));
}

/**
 * Reads snapshot text, checking it is one of ours, of a version we read, and well formed.
 * `source` names the file in error messages.
 */
export function parseSnapshot(text: string, source: string): SchemaSnapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SchemaguardError(`corrupt snapshot file ${source}: not valid JSON (${(error as Error).message})`, {
      hint: 'regenerate it with `schemaguard snapshot`, or restore it from version control',
    });
  }
  if (raw === null || typeof raw !== 'object' || (raw as { format?: unknown }).format !== SNAPSHOT_FORMAT) {
    throw new SchemaguardError(`${source} is not a schemaguard snapshot (no "format": "${SNAPSHOT_FORMAT}")`, {
      hint: 'pass a file written by `schemaguard snapshot -o FILE`, or a database URL',
    });
  }
  const version = (raw as { formatVersion?: unknown }).formatVersion;
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    throw new SchemaguardError(
      `${source} is snapshot format version ${JSON.stringify(version)}; this schemaguard reads version ${SNAPSHOT_FORMAT_VERSION}`,
      { hint: 'regenerate the snapshot with this version of schemaguard' },
    );
  }
  const result = SchemaSnapshotSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined ? '' : ` at ${formatIssuePath(issue.path)}`;
    throw new SchemaguardError(`corrupt snapshot file ${source}: ${issue?.message ?? 'invalid content'}${where}`, {
      hint: 'regenerate it with `schemaguard snapshot`, or restore it from version control',
    });
  }
  return canonicalizeSnapshot(result.data);
}

function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
}
