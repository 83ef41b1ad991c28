import type { AttributeChange } from '../../../diff/change.js';
import { ENGINES } from '../../../dialects/engine.js';
import type { Column, EnumType, ForeignKey, Index, PrimaryKey, Sequence, Table, Trigger, UniqueConstraint } from '../../../snapshot/model.js';
import { qualifiedName } from '../../../snapshot/names.js';
import type { DiffRule, FindingDraft, LintStep } from '../lint-rule.js';
import { compareEnumValues, mysqlEnumValues, narrowing, rewritesWithoutLoss } from './column-types.js';
import {
  attributeChanges,
  changesOf,
  describeColumns,
  droppedColumns,
  droppedTables,
  existedBefore,
  findColumn,
  findTable,
  supportsForeignKey,
  tableName,
  tableOf,
} from './step-objects.js';

/**
 * Diff rules: hazards read from the snapshot diff of one migration step, the same way on every
 * engine (the diff is engine-neutral; only what each engine has — schemas, sequences, enum
 * types — decides where a rule applies). The engine finds the statement that touched each
 * object, so a draft's `statement` is left null.
 */

const ALL = ENGINES;

const draft = (object: string, message: string, table: string | null, extra: Partial<FindingDraft> = {}): FindingDraft => ({
  object,
  message,
  statement: null,
  table,
  ...extra,
});

export const tableDropped: DiffRule = {
  kind: 'diff',
  id: 'table-dropped',
  severity: 'error',
  engines: ALL,
  docs: {
    summary: 'A table is dropped, with every row it holds.',
    why: 'The rows are gone for good (a backup restore is the only way back), and the running application fails on every query that still names the table until the new release is out.',
    instead: 'Stop reading and writing the table in one release; drop it in a later migration, once no deployed code names it, and say so in a suppression.',
  },
  check: (step) => changesOf(step, 'removed', ['table']).map((c) => draft(c.name, `table ${c.name} is dropped with all its rows`, c.name)),
};

export const columnDropped: DiffRule = {
  kind: 'diff',
  id: 'column-dropped',
  severity: 'error',
  engines: ALL,
  docs: {
    summary: 'A column is dropped from a table that stays.',
    why: 'Its values are lost, and the application version still running during the deploy fails on every query that names the column (and ORMs that select every column fail on all of them).',
    instead: 'Stop using the column in one release (ignore it in the ORM); drop it in a later migration and say so in a suppression.',
  },
  check: (step) => {
    const tables = droppedTables(step);
    return changesOf(step, 'removed', ['column'])
      .filter((c) => !tables.has(tableOf(step, c.path)!))
      .map((c) => draft(c.name, `column ${c.name} is dropped with its values`, tableOf(step, c.path)));
  },
};

export const schemaDropped: DiffRule = {
  kind: 'diff',
  id: 'schema-dropped',
  severity: 'error',
  engines: ['postgres'],
  docs: {
    summary: 'A schema (namespace) is dropped.',
    why: 'Everything in it goes with it: tables, views, functions, types, grants. Code and roles that name the schema fail.',
    instead: 'Drop the objects one by one in earlier migrations (each gets its own finding), then drop the empty schema with a suppression.',
  },
  check: (step) => changesOf(step, 'removed', ['namespace']).map((c) => draft(c.name, `schema ${c.name} is dropped with everything in it`, null)),
};

export const viewDropped: DiffRule = {
  kind: 'diff',
  id: 'view-dropped',
  severity: 'warning',
  engines: ALL,
  docs: {
    summary: 'A view or materialized view is dropped (and not created again).',
    why: 'Queries and reports that read the view fail as soon as the migration runs, while the old application is still deployed.',
    instead: 'Change a view in place with CREATE OR REPLACE VIEW; remove one only after no code reads it, with a suppression.',
  },
  check: (step) => changesOf(step, 'removed', ['view', 'materialized view']).map((c) => draft(c.name, `${c.kind} ${c.name} is dropped`, null)),
};

export const routineDropped: DiffRule = {
  kind: 'diff',
  id: 'routine-dropped',
  severity: 'warning',
  engines: ['postgres', 'mysql'],
  docs: {
    summary: 'A function or procedure is dropped, or its argument list changed (the old signature is gone).',
    why: 'Callers of the old signature — the application, triggers, other routines, scheduled jobs — fail at their next call.',
    instead: 'Keep the old routine until no caller uses it: add the new signature beside it, move callers, then drop the old one with a suppression.',
  },
  check: (step) =>
    changesOf(step, 'removed', ['function', 'procedure', 'aggregate', 'window function']).map((c) => draft(c.name, `${c.kind} ${c.name} is dropped`, null)),
};

/** Column type changes, with the columns before and after. */
function typeChanges(step: LintStep): { change: AttributeChange; before: Column; after: Column }[] {
  return attributeChanges(step, 'column', 'type').flatMap((change) => {
    const before = findColumn(step.before, change.path);
    const after = findColumn(step.after, change.path);
    return before === undefined || after === undefined ? [] : [{ change, before, after }];
  });
}

const isEnum = (column: Column) => column.normalizedType === 'enum';

export const columnTypeChanged: DiffRule = {
  kind: 'diff',
  id: 'column-type-changed',
  severity: 'warning',
  engines: ALL,
  docs: {
    summary: 'A column changes type in a way that converts every row.',
    why: 'The engine rewrites the table (PostgreSQL, MySQL COPY algorithm, a SQLite rebuild) and holds a lock that blocks reads and writes for as long as that takes; the running application may also send values of the old type.',
    instead: 'Add a column of the new type, fill it in batches (and keep it in sync with a trigger or in the application), switch reads to it, then drop the old column in a later release.',
  },
  check: (step) =>
    typeChanges(step)
      .filter(({ before, after }) => narrowing(before, after, step.engine) === null)
      .filter(({ before, after }) => !rewritesWithoutLoss(step.engine, before.normalizedType, after.normalizedType))
      .filter(({ before, after }) => !(isEnum(before) && isEnum(after) && enumChange(step, before, after)?.appendedOnly !== false))
      .map(({ change, before, after }) =>
        draft(change.name, `column ${change.name} changes type from ${before.type} to ${after.type}: every row is converted while the table is locked`, tableOf(step, change.path)),
      ),
};

export const columnTypeNarrowed: DiffRule = {
  kind: 'diff',
  id: 'column-type-narrowed',
  severity: 'error',
  engines: ALL,
  docs: {
    summary: 'A column changes to a type that holds fewer values: a shorter varchar, a smaller integer, fewer digits.',
    why: 'Rows that do not fit make the migration fail in production (PostgreSQL, strict MySQL), or are silently truncated or rounded (non-strict MySQL, SQLite affinity), and the application may still write values that no longer fit.',
    instead: 'Check the data first (SELECT max(length(c)) …), add a CHECK constraint that rejects new values that would not fit, and narrow only when the data and the application allow it, with a suppression.',
  },
  check: (step) =>
    typeChanges(step).flatMap(({ change, before, after }) => {
      const why = narrowing(before, after, step.engine);
      return why === null ? [] : [draft(change.name, `column ${change.name} narrows from ${before.type} to ${after.type}: ${why}`, tableOf(step, change.path))];
    }),
};

/** Tables whose primary key the step adds, changes or drops. */
function primaryKeyTables(step: LintStep): Set<string> {
  return new Set(step.changes.filter((c) => c.kind === 'primary key').map((c) => tableOf(step, c.path)!));
}

export const notNullAdded: DiffRule = {
  kind: 'diff',
  id: 'not-null-added',
  severity: 'warning',
  engines: ALL,
  docs: {
    summary: 'An existing column becomes NOT NULL.',
    why: 'Every row is checked while the table is locked (PostgreSQL scans it under an ACCESS EXCLUSIVE lock, MySQL and SQLite rebuild it), and the migration fails if one row holds NULL; the running application may still insert NULLs.',
    instead: 'PostgreSQL: add CHECK (c IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later migration (no write lock), then SET NOT NULL (PostgreSQL 12+ uses the valid check instead of scanning). Elsewhere: backfill first and make sure the application always writes a value.',
  },
  check: (step) => {
    const keyed = primaryKeyTables(step);
    return attributeChanges(step, 'column', 'nullable')
      .filter((c) => c.before === true && c.after === false)
      .filter((c) => !keyed.has(tableOf(step, c.path)!))
      .map((c) => draft(c.name, `column ${c.name} becomes NOT NULL: every row is checked under a lock, and one NULL fails the migration`, tableOf(step, c.path)));
  },
};

const needsAValue = (column: Column) =>
  !column.nullable && column.default === null && column.identity === null && !column.autoIncrement && column.generated === null;

export const columnAddedNotNullWithoutDefault: DiffRule = {
  kind: 'diff',
  id: 'column-added-not-null-without-default',
  severity: 'error',
  engines: ALL,
  docs: {
    summary: 'A NOT NULL column without a default is added to an existing table.',
    why: 'The existing rows have no value for it: PostgreSQL and SQLite refuse the migration as soon as the table has a row (it passed in development on an empty table), MySQL fills every row with 0 or an empty string; and the running application, which does not know the column, cannot insert any more.',
    instead: 'Add the column with a DEFAULT (PostgreSQL 11+ and MySQL 8 add it without rewriting the table), or add it nullable, backfill, and make it NOT NULL later.',
  },
  check: (step) =>
    changesOf(step, 'added', ['column'])
      .filter((c) => existedBefore(step, tableOf(step, c.path)) && needsAValue(c.object as Column))
      .map((c) =>
        draft(
          c.name,
          `column ${c.name} is added NOT NULL without a default to an existing table: ${step.engine === 'mysql' ? 'existing rows get an implicit 0 or empty string' : 'the migration fails once the table has rows'}`,
          tableOf(step, c.path),
        ),
      ),
};

/** Unique keys the step adds to tables that existed: constraints, unique indexes, indexes made unique. */
function addedUniqueKeys(step: LintStep): { name: string; table: string; columns: string }[] {
  const keys: { name: string; table: string; columns: string }[] = [];
  const describe = (keys: readonly string[]) => describeColumns(keys);
  for (const c of changesOf(step, 'added', ['unique constraint', 'index'])) {
    const table = tableOf(step, c.path);
    if (!existedBefore(step, table)) continue;
    if (c.kind === 'unique constraint') keys.push({ name: c.name, table: table!, columns: describe((c.object as UniqueConstraint).columns) });
    else if ((c.object as Index).unique) keys.push({ name: c.name, table: table!, columns: describe(indexColumns(c.object as Index)) });
  }
  for (const c of attributeChanges(step, 'index', 'unique')) {
    const table = tableOf(step, c.path);
    const index = findTable(step.after, c.path.schema, c.path.table)?.indexes.find((i) => i.name === c.path.name);
    if (c.after === true && existedBefore(step, table) && index !== undefined) keys.push({ name: c.name, table: table!, columns: describe(indexColumns(index)) });
  }
  // A unique constraint and the index behind it are one key.
  const seen = new Set<string>();
  return keys.filter((key) => {
    const id = `${key.table}\u0000${key.columns}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const indexColumns = (index: Index) => index.keys.map((key) => (key.kind === 'column' ? key.column : key.expression));

export const uniqueAdded: DiffRule = {
  kind: 'diff',
  id: 'unique-added',
  severity: 'warning',
  engines: ALL,
  docs: {
    summary: 'A unique constraint or unique index is added to an existing table.',
    why: 'The migration fails on the first duplicate the production data holds (development data rarely has any), after building an index that blocks writes to the table while it runs.',
    instead: 'Look for duplicates first (SELECT cols, count(*) … GROUP BY cols HAVING count(*) > 1) and clean them in an earlier migration; on PostgreSQL build the index with CREATE UNIQUE INDEX CONCURRENTLY outside a transaction. Say that the data was checked in a suppression.',
  },
  check: (step) => addedUniqueKeys(step).map((key) => draft(key.name, `unique key ${key.name} on ${key.columns} is added to existing table ${key.table}: the migration fails on the first duplicate`, key.table)),
};

export const checkAdded: DiffRule = {
  kind: 'diff',
  id: 'check-added',
  severity: 'warning',
  engines: ALL,
  docs: {
    summary: 'A CHECK constraint is added to an existing table and validated at once.',
    why: 'Every row is read to validate it while writes are blocked, and one row that breaks the condition fails the migration.',
    instead: 'PostgreSQL: ADD CONSTRAINT … CHECK (…) NOT VALID (new rows are checked at once), then VALIDATE CONSTRAINT in a later migration, which does not block writes. Elsewhere: check the data first and say so in a suppression.',
  },
  check: (step) =>
    changesOf(step, 'added', ['check constraint'])
      .filter((c) => existedBefore(step, tableOf(step, c.path)) && (c.object as { validated: boolean }).validated)
      .map((c) => draft(c.name, `check constraint ${c.name} is added to existing table ${tableOf(step, c.path)} and validated against every row`, tableOf(step, c.path))),
};

export const foreignKeyAdded: DiffRule = {
  kind: 'diff',
  id: 'foreign-key-added',
  severity: 'warning',
  engines: ALL,
  docs: {
    summary: 'A foreign key is added to an existing table and validated at once.',
    why: 'Every row is checked against the referenced table while both tables are locked against writes (SHARE ROW EXCLUSIVE on PostgreSQL), and one orphan row fails the migration.',
    instead: 'PostgreSQL: ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then VALIDATE CONSTRAINT in a later migration. Elsewhere: delete orphans first and say so in a suppression.',
  },
  check: (step) =>
    changesOf(step, 'added', ['foreign key'])
      .filter((c) => existedBefore(step, tableOf(step, c.path)) && (c.object as ForeignKey).validated)
      .map((c) => {
        const fk = c.object as ForeignKey;
        const target = qualifiedName(step.engine, fk.referencedSchema, fk.referencedTable);
        return draft(c.name, `foreign key ${c.name} (${fk.columns.join(', ')} → ${target}) is added to existing table ${tableOf(step, c.path)} and checked against every row`, tableOf(step, c.path));
      }),
};

export const tableRenamed: DiffRule = {
  kind: 'diff',
  id: 'table-renamed',
  severity: 'error',
  engines: ALL,
  docs: {
    summary: 'A table is renamed.',
    why: 'The application version that is still running during the deploy names the old table, and every one of its queries fails from the moment the migration commits until the new version is everywhere.',
    instead: 'Expand and contract: create a view with the new name over the old table (or the other way round), move the code to the new name, and rename once no deployed code uses the old one.',
  },
  check: (step) => changesOf(step, 'renamed', ['table']).map((c) => draft(c.name, `table ${c.from} is renamed to ${c.name}: queries of the running application fail`, c.name)),
};

export const columnRenamed: DiffRule = {
  kind: 'diff',
  id: 'column-renamed',
  severity: 'error',
  engines: ALL,
  docs: {
    summary: 'A column is renamed.',
    why: 'The application version that is still running names the old column; its queries fail until the new version is everywhere.',
    instead: 'Add the new column, write both (trigger or application), backfill, move reads, and drop the old column in a later release.',
  },
  check: (step) =>
    changesOf(step, 'renamed', ['column']).map((c) => draft(c.name, `column ${c.from} is renamed to ${c.path.name}: queries of the running application fail`, tableOf(step, c.path))),
};

export const defaultChanged: DiffRule = {
  kind: 'diff',
  id: 'default-changed',
  severity: 'info',
  engines: ALL,
  docs: {
    summary: 'The default of an existing column changes.',
    why: 'Rows the running application inserts without the column get the new value before the application expects it; code that relies on the old default changes behaviour silently.',
    instead: 'Make sure the application sets the column explicitly, or that both application versions accept the new default; then change it.',
  },
  check: (step) => {
    const retyped = new Set(attributeChanges(step, 'column', 'type').map((c) => c.name));
    return attributeChanges(step, 'column', 'default')
      .filter((c) => !retyped.has(c.name))
      .map((c) => draft(c.name, `the default of column ${c.name} changes from ${c.before ?? 'none'} to ${c.after ?? 'none'}`, tableOf(step, c.path)));
  },
};

/** The values before and after of an enum the step changes: PostgreSQL enum types and MySQL enum columns. */
interface EnumChange {
  readonly name: string;
  readonly table: string | null;
  readonly removed: string[];
  readonly reordered: boolean;
  readonly appendedOnly: boolean;
}

function enumChange(step: LintStep, before: Column, after: Column): ReturnType<typeof compareEnumValues> | null {
  if (step.engine !== 'mysql') return null;
  const a = mysqlEnumValues(before.type);
  const b = mysqlEnumValues(after.type);
  return a === null || b === null ? null : compareEnumValues(a, b);
}

function enumChanges(step: LintStep): EnumChange[] {
  const changes: EnumChange[] = [];
  for (const c of attributeChanges(step, 'enum', 'values')) {
    changes.push({ name: c.name, table: null, ...compareEnumValues(c.before as EnumType['values'], c.after as EnumType['values']) });
  }
  for (const { change, before, after } of typeChanges(step)) {
    const compared = isEnum(before) && isEnum(after) ? enumChange(step, before, after) : null;
    if (compared !== null) changes.push({ name: change.name, table: tableOf(step, change.path), ...compared });
  }
  return changes;
}

export const enumValueRemoved: DiffRule = {
  kind: 'diff',
  id: 'enum-value-removed',
  severity: 'error',
  engines: ['postgres', 'mysql'],
  docs: {
    summary: 'A value is removed from an enum type or ENUM column.',
    why: 'Rows that hold the value make the migration fail (PostgreSQL, strict MySQL) or are turned into the empty string (non-strict MySQL); the running application may still write it.',
    instead: 'Move the rows off the value and stop the application writing it first; remove it in a later migration, with a suppression.',
  },
  check: (step) =>
    enumChanges(step)
      .filter((c) => c.removed.length > 0)
      .map((c) => draft(c.name, `${c.table === null ? 'enum type' : 'enum column'} ${c.name} loses ${c.removed.map((v) => `'${v}'`).join(', ')}`, c.table)),
};

export const enumValuesReordered: DiffRule = {
  kind: 'diff',
  id: 'enum-values-reordered',
  severity: 'warning',
  engines: ['postgres', 'mysql'],
  docs: {
    summary: 'The values an enum already had change their order.',
    why: 'Enums sort and compare by position, not by name: ORDER BY and < change meaning. MySQL stores the position, so the column is rebuilt; PostgreSQL needs the type recreated and every column using it converted.',
    instead: 'Append new values at the end (ALTER TYPE … ADD VALUE, or MODIFY … ENUM(old values…, new)), and sort by an explicit expression where order matters.',
  },
  check: (step) =>
    enumChanges(step)
      .filter((c) => c.reordered)
      .map((c) => draft(c.name, `the values of ${c.table === null ? 'enum type' : 'enum column'} ${c.name} change order: comparisons and sorting change meaning`, c.table)),
};

export const primaryKeyChanged: DiffRule = {
  kind: 'diff',
  id: 'primary-key-changed',
  severity: 'error',
  engines: ALL,
  docs: {
    summary: 'The primary key of an existing table is added, dropped or changes columns.',
    why: 'A new key builds a unique index while the table is locked and fails on duplicates or NULLs; foreign keys, replication (logical replication and MySQL row-based replication need a key) and ORMs that identify rows by the key break.',
    instead: 'Build the new unique index first (CONCURRENTLY on PostgreSQL), check the data, move the foreign keys, then switch the key (ADD PRIMARY KEY USING INDEX) with a suppression.',
  },
  check: (step) =>
    step.changes
      .filter((c) => c.kind === 'primary key' && existedBefore(step, tableOf(step, c.path)))
      .filter((c) => c.action !== 'changed' || c.attribute === 'columns')
      .filter((c) => c.action !== 'renamed')
      .map((c) => {
        const table = tableOf(step, c.path)!;
        const columns = (key: unknown) => describeColumns((key as PrimaryKey).columns);
        const message =
          c.action === 'added'
            ? `a primary key on ${columns(c.object)} is added to existing table ${table}`
            : c.action === 'removed'
              ? `the primary key of ${table} is dropped`
              : `the primary key of ${table} changes from ${describeColumns(c.before as string[])} to ${describeColumns(c.after as string[])}`;
        return draft(c.name, message, table);
      }),
};

export const foreignKeyIndexDropped: DiffRule = {
  kind: 'diff',
  id: 'foreign-key-index-dropped',
  severity: 'warning',
  engines: ['postgres', 'sqlite'],
  docs: {
    summary: 'An index is dropped, and a foreign key loses the only index on its columns.',
    why: 'Every delete or key update of a referenced row now scans the referencing table (under a lock), and joins along the foreign key lose their index: fast queries become full scans the day the migration runs.',
    instead: 'Create the replacement index (one that starts with the foreign key columns) before dropping the old one, or drop the foreign key too.',
  },
  check: (step) => {
    const findings: FindingDraft[] = [];
    for (const after of step.after.tables) {
      const name = tableName(step, after);
      const before = findTable(step.before, after.schema, after.name);
      if (before === undefined || !existedBefore(step, name)) continue;
      const removed = before.indexes.filter((index) => !after.indexes.some((i) => i.name === index.name));
      if (removed.length === 0) continue;
      for (const fk of after.foreignKeys) {
        const had = before.foreignKeys.find((f) => f.name === fk.name && f.columns.join() === fk.columns.join());
        if (had === undefined || !supportsForeignKey(before, had) || supportsForeignKey(after, fk)) continue;
        const index = removed.find((i) => supportsForeignKey({ ...before, primaryKey: null, uniqueConstraints: [], indexes: [i] }, fk)) ?? removed[0]!;
        const indexName = qualifiedName(step.engine, after.schema, after.name, index.name);
        findings.push(draft(indexName, `index ${index.name} is dropped and foreign key ${fk.name ?? describeColumns(fk.columns)} of ${name} is left without an index on ${describeColumns(fk.columns)}`, name));
      }
    }
    return findings;
  },
};

export const foreignKeyWithoutIndex: DiffRule = {
  kind: 'diff',
  id: 'foreign-key-without-index',
  severity: 'warning',
  engines: ['postgres', 'sqlite'],
  docs: {
    summary: 'A foreign key is added without an index on its referencing columns.',
    why: 'PostgreSQL and SQLite do not index the referencing side for you (MySQL does): every delete or key update of a referenced row scans the whole referencing table, holding locks while it does, and joins along the key cannot use an index.',
    instead: 'Create an index that starts with the foreign key columns in the same migration (CONCURRENTLY, in a migration of its own, when the table already holds rows).',
  },
  check: (step) => {
    const findings: FindingDraft[] = [];
    const consider = (table: Table, fk: ForeignKey, object: string) => {
      if (supportsForeignKey(table, fk)) return;
      const name = tableName(step, table);
      const target = qualifiedName(step.engine, fk.referencedSchema, fk.referencedTable);
      // The missing index hurts whether the table is new or not: no downgrade.
      findings.push(draft(object, `foreign key ${fk.name ?? describeColumns(fk.columns)} of ${name} (${fk.columns.join(', ')} → ${target}) has no index on its columns`, name, { onNewObject: false }));
    };
    for (const c of changesOf(step, 'added', ['table'])) {
      const table = findTable(step.after, c.path.schema, c.path.name);
      if (table === undefined) continue;
      for (const fk of table.foreignKeys) consider(table, fk, qualifiedName(step.engine, table.schema, table.name, fk.name ?? describeColumns(fk.columns)));
    }
    for (const c of changesOf(step, 'added', ['foreign key'])) {
      const table = findTable(step.after, c.path.schema, c.path.table);
      if (table !== undefined) consider(table, c.object as ForeignKey, c.name);
    }
    return findings;
  },
};

export const triggerDropped: DiffRule = {
  kind: 'diff',
  id: 'trigger-dropped',
  severity: 'warning',
  engines: ALL,
  docs: {
    summary: 'A trigger is dropped from a table that stays.',
    why: 'Whatever it kept true — an audit trail, a denormalised column, a sync to another table — silently stops being kept for every write from now on, including the running application\'s.',
    instead: 'Move the work elsewhere first (the application, a new trigger created in the same migration), then drop the old trigger with a suppression.',
  },
  check: (step) => {
    const tables = droppedTables(step);
    return changesOf(step, 'removed', ['trigger'])
      .filter((c) => !tables.has(tableOf(step, c.path)!))
      .map((c) => draft(c.name, `trigger ${(c.object as Trigger).name} on ${tableOf(step, c.path)} is dropped: what it did stops happening`, tableOf(step, c.path)));
  },
};

export const sequenceDropped: DiffRule = {
  kind: 'diff',
  id: 'sequence-dropped',
  severity: 'warning',
  engines: ['postgres', 'mysql'],
  docs: {
    summary: 'A sequence is dropped on its own (not with the table or column that owns it).',
    why: 'Defaults and code that call nextval() on it fail at their next insert, and its position is lost: a sequence created again starts over and hands out ids already used.',
    instead: 'Move every default and caller off the sequence first; drop it in a later migration with a suppression.',
  },
  check: (step) => {
    const tables = droppedTables(step);
    const columns = droppedColumns(step);
    return changesOf(step, 'removed', ['sequence'])
      .filter((c) => {
        const owner = (c.object as Sequence).ownedBy;
        if (owner === null || c.path.schema === null) return true;
        const table = qualifiedName(step.engine, c.path.schema, owner.table);
        return !tables.has(table) && !columns.has(`${table}.${owner.column}`);
      })
      .map((c) => draft(c.name, `sequence ${c.name} is dropped`, null));
  },
};

export const typeDropped: DiffRule = {
  kind: 'diff',
  id: 'type-dropped',
  severity: 'warning',
  engines: ['postgres'],
  docs: {
    summary: 'A user-defined type (enum, domain, composite or range) is dropped.',
    why: 'Casts and function signatures of the running application that name the type fail; recreating it under the same name gives it a new identity, so cached plans and client type maps break too.',
    instead: 'Move every column and routine off the type first; drop it in a later migration with a suppression.',
  },
  check: (step) =>
    changesOf(step, 'removed', ['enum', 'domain', 'composite type', 'range type']).map((c) => draft(c.name, `${c.kind === 'enum' ? 'enum type' : c.kind} ${c.name} is dropped`, null)),
};

export const extensionDropped: DiffRule = {
  kind: 'diff',
  id: 'extension-dropped',
  severity: 'warning',
  engines: ['postgres'],
  docs: {
    summary: 'An extension is dropped.',
    why: 'Its types, functions and operators go with it; columns, indexes and queries that use them break (DROP EXTENSION … CASCADE drops those columns and indexes too).',
    instead: 'Remove every use of the extension first; drop it in a later migration with a suppression.',
  },
  check: (step) => changesOf(step, 'removed', ['extension']).map((c) => draft(c.name, `extension ${c.name} is dropped with its types and functions`, null)),
};

/** Every diff rule, in the order docs list them. */
export const DIFF_RULES: readonly DiffRule[] = [
  tableDropped,
  columnDropped,
  schemaDropped,
  viewDropped,
  routineDropped,
  typeDropped,
  sequenceDropped,
  triggerDropped,
  extensionDropped,
  columnTypeChanged,
  columnTypeNarrowed,
  notNullAdded,
  columnAddedNotNullWithoutDefault,
  uniqueAdded,
  checkAdded,
  foreignKeyAdded,
  primaryKeyChanged,
  tableRenamed,
  columnRenamed,
  defaultChanged,
  enumValueRemoved,
  enumValuesReordered,
  foreignKeyIndexDropped,
  foreignKeyWithoutIndex,
];
