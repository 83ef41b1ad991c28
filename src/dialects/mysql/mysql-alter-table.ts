import type { Change } from '../../diff/change.js';
import { statement, type MigrationStatement } from '../../diff/migration-script.js';
import type { Column, ForeignKey, SchemaSnapshot, Table } from '../../snapshot/model.js';
import {
  checkClause,
  columnDefinition,
  indexClause,
  isImplicitJsonCheck,
  partitionClause,
  primaryKeyClause,
  tableName,
  tableOption,
} from './mysql-ddl.js';
import { quoteIdent, quoteString } from './mysql-quote.js';
import { narrowingReason } from './mysql-type-change.js';

/**
 * ALTER TABLE for a table present in both snapshots: which of its parts changed (from the
 * diff's change list), and the statements that change them. Foreign keys are not altered
 * here: the migration drops them before any table changes and adds them once all have.
 */

export const REBUILD = 'rebuilds the table (ALGORITHM=COPY) and blocks writes';
export const VIOLATION = 'fails if existing rows violate it';
export const DUPLICATES = 'fails on duplicates';

/** What happened to the named parts of one kind inside a table. */
export interface Delta {
  readonly added: Set<string>;
  readonly removed: Set<string>;
  /** Name → the attributes that changed. */
  readonly changed: Map<string, Set<string>>;
  /** Old name → new name. */
  readonly renamed: Map<string, string>;
}

const emptyDelta = (): Delta => ({ added: new Set(), removed: new Set(), changed: new Map(), renamed: new Map() });

/** Names that exist before and are not kept as they were: removed, changed or renamed away. */
export function replacedBefore(delta: Delta): Set<string> {
  return new Set([...delta.removed, ...delta.changed.keys(), ...delta.renamed.keys()]);
}

export interface TableEdit {
  readonly before: Table;
  readonly after: Table;
  readonly columns: Delta;
  readonly indexes: Delta;
  readonly foreignKeys: Delta;
  readonly checks: Delta;
  primaryKey: boolean;
  /** Table-level attributes: `comment`, `partitioning`, `option engine`, `grants`… */
  readonly attributes: Set<string>;
}

const PART_KINDS = {
  column: 'columns',
  index: 'indexes',
  'foreign key': 'foreignKeys',
  'check constraint': 'checks',
  'unique constraint': 'indexes',
} as const;

/** The edits of every table present in both snapshots under the same name, keyed by name. */
export function collectTableEdits(from: SchemaSnapshot, to: SchemaSnapshot, changes: readonly Change[]): Map<string, TableEdit> {
  const before = new Map(from.tables.map((t) => [t.name, t]));
  const after = new Map(to.tables.map((t) => [t.name, t]));
  const edits = new Map<string, TableEdit>();
  const editOf = (name: string): TableEdit | undefined => {
    const a = before.get(name);
    const b = after.get(name);
    if (a === undefined || b === undefined) return undefined;
    let edit = edits.get(name);
    if (edit === undefined) {
      edit = { before: a, after: b, columns: emptyDelta(), indexes: emptyDelta(), foreignKeys: emptyDelta(), checks: emptyDelta(), primaryKey: false, attributes: new Set() };
      edits.set(name, edit);
    }
    return edit;
  };
  for (const change of changes) {
    if (change.kind === 'table' && change.action === 'changed') {
      editOf(change.path.name)?.attributes.add(change.attribute);
      continue;
    }
    if (change.path.table === null) continue;
    const edit = editOf(change.path.table);
    if (edit === undefined) continue;
    if (change.kind === 'primary key') {
      edit.primaryKey = true;
      continue;
    }
    const part = PART_KINDS[change.kind as keyof typeof PART_KINDS];
    if (part === undefined) continue;
    const delta = edit[part];
    switch (change.action) {
      case 'added':
        delta.added.add(change.path.name);
        break;
      case 'removed':
        delta.removed.add(change.path.name);
        break;
      case 'renamed':
        delta.renamed.set(change.fromPath.name, change.path.name);
        break;
      case 'changed': {
        const attributes = delta.changed.get(change.path.name) ?? new Set<string>();
        attributes.add(change.attribute);
        delta.changed.set(change.path.name, attributes);
        break;
      }
    }
  }
  for (const edit of edits.values()) {
    // MySQL column and index names ignore case: `Name` → `name` is a rename, not a drop and an add.
    pairCaseRenames(edit.columns);
    pairCaseRenames(edit.indexes);
    // Columns dropped and added again take their indexes with them: those are rebuilt too.
    const recreated = recreatedColumns(edit);
    const replaced = replacedBefore(edit.indexes);
    for (const index of edit.before.indexes) {
      if (!replaced.has(index.name) && index.keys.some((k) => k.kind === 'column' && recreated.has(k.column))) {
        edit.indexes.changed.set(index.name, new Set(['keys']));
      }
    }
  }
  return edits;
}

function recreatedColumns(edit: TableEdit): Set<string> {
  return new Set(
    [...edit.columns.changed.keys()].filter((name) => {
      const old = edit.before.columns.find((c) => c.name === name);
      const now = edit.after.columns.find((c) => c.name === name);
      return old !== undefined && now !== undefined && isRecreated(old, now);
    }),
  );
}

function pairCaseRenames(delta: Delta): void {
  for (const removed of [...delta.removed]) {
    const added = [...delta.added].find((name) => name.toLowerCase() === removed.toLowerCase());
    if (added === undefined) continue;
    delta.removed.delete(removed);
    delta.added.delete(added);
    delta.renamed.set(removed, added);
  }
}

/**
 * A column that turns generated or plain, or changes between stored and virtual: MariaDB
 * cannot MODIFY it (error 1907), so it is dropped and added again.
 */
function isRecreated(before: Column, after: Column): boolean {
  return (before.generated === null) !== (after.generated === null) || (before.generated !== null && before.generated.storage !== after.generated?.storage);
}

/** Columns of `table` whose definition the edit rewrites (MODIFY, CHANGE or DROP). */
export function touchedColumns(edit: TableEdit): Set<string> {
  return new Set([...edit.columns.removed, ...edit.columns.renamed.keys(), ...[...edit.columns.changed].filter(([, a]) => isDefinitionChange(a)).map(([n]) => n)]);
}

/** Attribute changes that rewrite a column's stored values or type (comments and defaults do not). */
function isDefinitionChange(attributes: ReadonlySet<string>): boolean {
  return [...attributes].some((a) => ['type', 'charset', 'collation', 'generated', 'nullable', 'autoIncrement'].includes(a));
}

/** Keys of the table that the edit drops or rebuilds. */
export function touchedKeyColumns(edit: TableEdit): string[][] {
  const keys: string[][] = [];
  if (edit.primaryKey && edit.before.primaryKey !== null) keys.push(edit.before.primaryKey.columns);
  for (const name of replacedBefore(edit.indexes)) {
    const index = edit.before.indexes.find((i) => i.name === name);
    if (index !== undefined) keys.push(index.keys.map((k) => (k.kind === 'column' ? k.column : '')));
  }
  return keys;
}

/**
 * Whether a key being dropped may be the one a foreign key on `columns` relies on. Any key
 * holding one of the columns counts: a foreign key dropped and added back needlessly costs
 * little, one left in place makes MySQL refuse to drop its index.
 */
export function servedBy(columns: readonly string[], keys: readonly string[][]): boolean {
  return keys.some((key) => key.some((k) => columns.includes(k)));
}

export interface AlterOptions {
  /** RENAME INDEX (MariaDB 10.5.2+, MySQL 5.7+). */
  readonly renameIndex: boolean;
}

interface Clause {
  readonly sql: string;
  readonly destructive: string | null;
  readonly hazards: readonly string[];
  /** The column a column clause rewrites. */
  readonly column?: string;
}

const clause = (sql: string, hazards: readonly string[] = [], destructive: string | null = null, column?: string): Clause => ({
  sql,
  destructive,
  hazards,
  column,
});

function alterStatement(table: Table, clauses: readonly Clause[]): MigrationStatement {
  const reasons = [...new Set(clauses.flatMap((c) => (c.destructive === null ? [] : [c.destructive])))];
  const hazards = [...new Set(clauses.flatMap((c) => c.hazards))];
  return statement(`ALTER TABLE ${tableName(table.schema, table.name)}\n  ${clauses.map((c) => c.sql).join(',\n  ')}`, {
    destructive: reasons.length === 0 ? null : reasons.join('; '),
    hazards,
  });
}

/** Why changing `before` into `after` can lose values, or null. */
export function columnNarrowing(before: Column, after: Column): string | null {
  const reasons: string[] = [];
  if (before.type !== after.type) {
    const reason = narrowingReason(before.type, after.type);
    if (reason !== null) reasons.push(`${reason} (${after.name})`);
  }
  if (before.charset !== null && after.charset !== null && before.charset !== after.charset && after.charset !== 'utf8mb4' && before.charset !== 'ascii') {
    reasons.push(`converts ${after.name} from ${before.charset} to ${after.charset}; characters ${after.charset} lacks are lost`);
  }
  return reasons.length === 0 ? null : reasons.join('; ');
}

function columnHazards(before: Column, after: Column, attributes: ReadonlySet<string>): string[] {
  const hazards: string[] = [];
  if (attributes.has('type') || attributes.has('charset') || attributes.has('collation') || attributes.has('autoIncrement')) hazards.push(REBUILD);
  if (attributes.has('generated') && after.generated?.storage !== 'virtual') hazards.push(REBUILD);
  if (before.nullable && !after.nullable) hazards.push(`${VIOLATION} (NULL in ${after.name})`);
  return hazards;
}

/** `FIRST` or `AFTER prev`: where `name` sits among the columns of `table`. */
function position(table: Table, name: string): string {
  const columns = [...table.columns].sort((a, b) => a.ordinal - b.ordinal);
  const at = columns.findIndex((c) => c.name === name);
  return at <= 0 ? 'FIRST' : `AFTER ${quoteIdent(columns[at - 1]!.name)}`;
}

/**
 * Columns kept from before whose order differs from `after`: the fewest to move (those
 * outside a longest run already in order).
 */
function columnsToMove(edit: TableEdit): Set<string> {
  const renamedTo = edit.columns.renamed;
  const kept = [...edit.before.columns]
    .sort((a, b) => a.ordinal - b.ordinal)
    .map((c) => renamedTo.get(c.name) ?? c.name)
    .filter((name) => edit.after.columns.some((c) => c.name === name) && !edit.columns.added.has(name));
  const target = new Map([...edit.after.columns].sort((a, b) => a.ordinal - b.ordinal).map((c, i) => [c.name, i]));
  const ranks = kept.map((name) => target.get(name)!);
  // Longest increasing subsequence of target ranks, in kept order.
  const lengths = ranks.map(() => 1);
  const previous = ranks.map(() => -1);
  for (let i = 0; i < ranks.length; i += 1) {
    for (let j = 0; j < i; j += 1) {
      if (ranks[j]! < ranks[i]! && lengths[j]! + 1 > lengths[i]!) {
        lengths[i] = lengths[j]! + 1;
        previous[i] = j;
      }
    }
  }
  let end = lengths.indexOf(Math.max(0, ...lengths));
  const inOrder = new Set<string>();
  while (end >= 0) {
    inOrder.add(kept[end]!);
    end = previous[end]!;
  }
  return new Set(kept.filter((name) => !inOrder.has(name)));
}

/**
 * The statements that turn `edit.before` into `edit.after`, foreign keys aside: one ALTER
 * TABLE for everything that loses no data, and one for the clauses that do (dropped columns,
 * narrowed types), so that the first can run when the second is left out. When the two
 * cannot be apart (a dropped column in the primary key), they are one statement.
 * Partitioning and system versioning get statements of their own.
 */
export function alterTable(edit: TableEdit, options: AlterOptions): { before: MigrationStatement[]; main: MigrationStatement[] } {
  const { before, after } = edit;
  const engine = after.options.engine;
  const drops: Clause[] = [];
  const renames: Clause[] = [];
  const modifies: Clause[] = [];
  const adds: Clause[] = [];
  const keyAdds: Clause[] = [];
  const tableClauses: Clause[] = [];
  const destructive: Clause[] = [];
  const beforeColumn = (name: string) => before.columns.find((c) => c.name === name)!;
  const afterColumn = (name: string) => after.columns.find((c) => c.name === name)!;

  // Keys and checks that go away or change are dropped first, so columns can change under them.
  const recreated = recreatedColumns(edit);
  // An index that only turns (in)visible to the optimizer is altered in place: MariaDB keeps
  // the old flag when the index is dropped and added back in one statement.
  const visibility: Clause[] = [];
  const inPlace = new Set<string>();
  for (const [name, attributes] of edit.indexes.changed) {
    const old = before.indexes.find((i) => i.name === name);
    const now = after.indexes.find((i) => i.name === name);
    if (old === undefined || now === undefined || [...attributes].some((a) => a !== 'options') || !onlyVisibilityDiffers(old.options, now.options)) continue;
    inPlace.add(name);
    if ((old.options.ignored === 'true') !== (now.options.ignored === 'true')) {
      visibility.push(clause(`ALTER INDEX ${quoteIdent(name)} ${now.options.ignored === 'true' ? 'IGNORED' : 'NOT IGNORED'}`));
    }
    if ((old.options.invisible === 'true') !== (now.options.invisible === 'true')) {
      visibility.push(clause(`ALTER INDEX ${quoteIdent(name)} ${now.options.invisible === 'true' ? 'INVISIBLE' : 'VISIBLE'}`));
    }
  }

  if (edit.primaryKey && before.primaryKey !== null) drops.push(clause('DROP PRIMARY KEY'));
  const rebuiltIndexes = [...edit.indexes.changed.keys()].filter((name) => !inPlace.has(name));
  for (const name of [...edit.indexes.removed, ...rebuiltIndexes]) drops.push(clause(`DROP INDEX ${quoteIdent(name)}`));
  for (const [oldName, newName] of edit.indexes.renamed) {
    if (options.renameIndex) renames.push(clause(`RENAME INDEX ${quoteIdent(oldName)} TO ${quoteIdent(newName)}`));
    else {
      drops.push(clause(`DROP INDEX ${quoteIdent(oldName)}`));
      edit.indexes.added.add(newName);
    }
  }

  const reorder = edit.columns.changed.size > 0 && [...edit.columns.changed.values()].some((a) => a.has('ordinal'));
  const moving = reorder ? columnsToMove(edit) : new Set<string>();
  const positioned = (name: string) => (moving.has(name) ? ` ${position(after, name)}` : '');
  for (const [oldName, newName] of edit.columns.renamed) {
    const sql = `CHANGE COLUMN ${quoteIdent(oldName)} ${columnDefinition(afterColumn(newName))}${positioned(newName)}`;
    // A rename the diff found is the same column; one paired by case alone may change too.
    const narrowing = columnNarrowing(beforeColumn(oldName), afterColumn(newName));
    if (narrowing === null) renames.push(clause(sql, beforeColumn(oldName).type === afterColumn(newName).type ? [] : [REBUILD], null, oldName));
    else destructive.push(clause(sql, [REBUILD], narrowing, newName));
  }
  const sortedAfter = [...after.columns].sort((a, b) => a.ordinal - b.ordinal);
  for (const column of sortedAfter) {
    const attributes = edit.columns.changed.get(column.name);
    const definitionChanged = attributes !== undefined && [...attributes].some((a) => a !== 'ordinal');
    if (!definitionChanged && !moving.has(column.name)) continue;
    const old = beforeColumn(column.name);
    if (recreated.has(column.name)) {
      const reason =
        old.generated === null
          ? `replaces the values of ${column.name} with a generated expression`
          : column.generated === null
            ? `replaces generated column ${column.name} with a plain one; its values are lost`
            : null;
      const list = reason === null ? modifies : destructive;
      list.push(clause(`DROP COLUMN ${quoteIdent(column.name)}`, [REBUILD], reason, column.name));
      list.push(clause(`ADD COLUMN ${columnDefinition(column)} ${position(after, column.name)}`, [], reason, column.name));
      continue;
    }
    const hazards = columnHazards(old, column, attributes ?? new Set());
    if (moving.has(column.name)) hazards.push(REBUILD);
    const sql = `MODIFY COLUMN ${columnDefinition(column)}${positioned(column.name)}`;
    const narrowing = columnNarrowing(old, column);
    (narrowing === null ? modifies : destructive).push(clause(sql, hazards, narrowing, column.name));
  }
  const checkClauses = columnLevelChecks(edit, { drops, modifies, destructive, renames });
  for (const column of sortedAfter) {
    if (!edit.columns.added.has(column.name)) continue;
    const hazards = column.generated?.storage === 'stored' || column.autoIncrement ? [REBUILD] : [];
    adds.push(clause(`ADD COLUMN ${columnDefinition(column)} ${position(after, column.name)}`, hazards));
  }
  for (const name of edit.columns.removed) {
    destructive.push(clause(`DROP COLUMN ${quoteIdent(name)}`, [], `drops column ${before.name}.${name} and its values`, name));
  }

  if (edit.primaryKey && after.primaryKey !== null) {
    keyAdds.push(clause(`ADD ${primaryKeyClause(after.primaryKey.columns)}`, [REBUILD, `${DUPLICATES} or NULLs`]));
  }
  for (const name of [...edit.indexes.added, ...rebuiltIndexes]) {
    const index = after.indexes.find((i) => i.name === name);
    if (index === undefined) continue;
    keyAdds.push(clause(`ADD ${indexClause(index, engine)}`, index.unique ? [DUPLICATES] : []));
  }
  keyAdds.push(...checkClauses.safe);
  destructive.push(...checkClauses.destructive);

  const preceding: MigrationStatement[] = [];
  const following: MigrationStatement[] = [];
  for (const attribute of edit.attributes) {
    if (attribute === 'comment') tableClauses.push(clause(`COMMENT=${quoteString(after.comment ?? '')}`));
    if (!attribute.startsWith('option ')) continue;
    const option = attribute.slice('option '.length);
    if (option === 'system_versioning') {
      const adding = after.options.system_versioning === 'true';
      following.push(
        statement(`ALTER TABLE ${tableName(after.schema, after.name)} ${adding ? 'ADD' : 'DROP'} SYSTEM VERSIONING`, {
          destructive: adding ? null : `drops the row history of ${after.name}`,
          hazards: [REBUILD],
        }),
      );
      continue;
    }
    if (option === 'charset' || option === 'collation') {
      if (tableClauses.some((c) => c.sql.startsWith('DEFAULT CHARSET'))) continue;
      const parts = [tableOption('charset', after.options.charset), tableOption('collation', after.options.collation)].filter((p) => p !== null);
      if (parts.length > 0) tableClauses.push(clause(parts.join(' ')));
      continue;
    }
    const sql = tableOption(option, after.options[option]);
    if (sql !== null) tableClauses.push(clause(sql, option === 'engine' || option === 'row_format' ? [REBUILD] : []));
  }

  const keysChange = edit.primaryKey || edit.indexes.added.size + edit.indexes.removed.size + edit.indexes.changed.size > 0;
  if (edit.attributes.has('partitioning')) {
    const name = tableName(after.schema, after.name);
    if (before.partitioning !== null && (after.partitioning === null || keysChange)) {
      preceding.push(statement(`ALTER TABLE ${name} REMOVE PARTITIONING`, { hazards: [REBUILD] }));
    }
    if (after.partitioning !== null) {
      following.push(statement(`ALTER TABLE ${name}\n${partitionClause(after.partitioning)}`, { hazards: [REBUILD, 'fails if rows fall outside the new partitions'] }));
    }
  }

  const safe = [...drops, ...renames, ...modifies, ...adds, ...keyAdds, ...visibility, ...tableClauses];
  const main: MigrationStatement[] = [];
  const keyColumns = new Set([...(before.primaryKey?.columns ?? []), ...before.columns.filter((c) => c.autoIncrement).map((c) => c.name)]);
  const entangled = destructive.some((c) => c.column !== undefined && keyColumns.has(c.column));
  if (entangled) {
    if (safe.length + destructive.length > 0) {
      main.push(alterStatement(after, [...drops, ...renames, ...modifies, ...destructive, ...adds, ...keyAdds, ...visibility, ...tableClauses]));
    }
  } else {
    if (safe.length > 0) main.push(alterStatement(after, safe));
    if (destructive.length > 0) main.push(alterStatement(after, destructive));
  }
  return { before: preceding, main: [...main, ...following] };
}

/**
 * CHECK clauses. MariaDB keeps a check written on a column (`a INT CHECK (a > 0)`, named
 * after the column) as part of the column: DROP CONSTRAINT does not see it, and MODIFY or
 * CHANGE of the column removes it. The snapshot does not tell such a check from a table
 * check of the same name, so one named after a column is dropped with DROP CONSTRAINT IF
 * EXISTS and its column rewritten (either way it is gone), and one the edit keeps but whose
 * column is rewritten is added back. Its clauses go with the column's: a column narrowed in
 * the destructive statement takes them along.
 */
function columnLevelChecks(
  edit: TableEdit,
  lists: { drops: Clause[]; modifies: Clause[]; destructive: Clause[]; renames: Clause[] },
): { safe: Clause[]; destructive: Clause[] } {
  const { before, after } = edit;
  const safe: Clause[] = [];
  const late: Clause[] = [];
  const rewritten = new Map<string, 'safe' | 'destructive'>();
  for (const c of [...lists.renames, ...lists.modifies]) if (c.column !== undefined) rewritten.set(c.column, 'safe');
  for (const c of lists.destructive) if (c.column !== undefined && !edit.columns.removed.has(c.column)) rewritten.set(c.column, 'destructive');
  const isColumn = (name: string) => before.columns.some((c) => c.name === name);
  const dropped = replacedBefore(edit.checks);
  const added = new Set([...edit.checks.added, ...edit.checks.changed.keys(), ...edit.checks.renamed.values()]);
  for (const check of before.checks) {
    const name = check.name;
    if (name === null || isImplicitJsonCheck(before, check)) continue;
    const onColumn = isColumn(name);
    if (dropped.has(name)) {
      const where = rewritten.get(name);
      (where === 'destructive' ? late : lists.drops).push(clause(`DROP CONSTRAINT ${onColumn ? 'IF EXISTS ' : ''}${quoteIdent(name)}`));
      const column = after.columns.find((c) => c.name === name);
      if (onColumn && where === undefined && column !== undefined && !edit.columns.removed.has(name)) {
        lists.modifies.push(clause(`MODIFY COLUMN ${columnDefinition(column)}`, [], null, name));
        rewritten.set(name, 'safe');
      }
    } else if (onColumn && rewritten.has(name)) {
      // Kept, but the column's rewrite takes it away: put it back.
      const kept = after.checks.find((c) => c.name === name);
      if (kept === undefined) continue;
      const target = rewritten.get(name) === 'destructive' ? late : safe;
      target.push(clause(`DROP CONSTRAINT IF EXISTS ${quoteIdent(name)}`), clause(`ADD ${checkClause(kept)}`));
    }
  }
  for (const name of added) {
    const check = after.checks.find((c) => c.name === name);
    if (check === undefined || isImplicitJsonCheck(after, check)) continue;
    (rewritten.get(name) === 'destructive' ? late : safe).push(clause(`ADD ${checkClause(check)}`, check.validated ? [VIOLATION] : []));
  }
  return { safe, destructive: late };
}

/** Index options equal but for MariaDB IGNORED / MySQL INVISIBLE. */
function onlyVisibilityDiffers(a: Record<string, string>, b: Record<string, string>): boolean {
  const rest = (options: Record<string, string>) =>
    JSON.stringify(Object.entries(options).filter(([key]) => key !== 'ignored' && key !== 'invisible').sort());
  return rest(a) === rest(b);
}

/** What tells one foreign key of one table from the others (`films.films_language_fk`). */
export function foreignKeyReference(table: Table, fk: ForeignKey): string {
  return `${table.name}.${fk.name ?? fk.columns.join(',')}`;
}
