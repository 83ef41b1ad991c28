import type { ColumnDef, Constraint, Node } from '@pgsql/types';
import type { SqlStatement } from '../../../migrations/migration.js';
import { parseExpression } from '../parse-postgres.js';
import type { FindingDraft, LintRuleDocs, LintSeverity, LintStep, ParsedStatement, StatementRule } from '../lint-rule.js';
import {
  alterCommands,
  columnConstraints,
  functionCalls,
  introducedColumns,
  nodeField,
  qualifiedParts,
  readable,
  relationRef,
  stringValue,
  typeModifiers,
  typeNameOf,
  type PgStatement,
} from './statement-postgres-ast.js';
import { versionAtLeast } from '../../../core/version.js';
import { tableRef, type TableRef } from './statement-support.js';
import { findTable } from './step-objects.js';

/**
 * PostgreSQL statement rules: hazards seen in the statements themselves, as PostgreSQL's own
 * parser reads them (libpg-query). Each rule is documented in docs/rules/<id>.md, whose
 * examples the tests run on PGlite and on a PostgreSQL server.
 *
 * Findings about locks and rewrites on a table the migration created set `onNewObject`: a
 * new table has no rows and no other sessions to block. Findings about column types set it
 * false: a type is as wrong on a new table as on an old one.
 */

function rule(
  id: string,
  severity: LintSeverity,
  docs: LintRuleDocs,
  check: (step: LintStep, statements: readonly PgStatement[]) => FindingDraft[],
): StatementRule {
  return Object.freeze({
    kind: 'statement' as const,
    id,
    severity,
    engines: ['postgres'] as const,
    docs: Object.freeze(docs),
    check: (step: LintStep, parsed: readonly ParsedStatement[]) => (step.engine === 'postgres' ? check(step, readable(parsed)) : []),
  });
}

/** A finding about `table`, downgraded by the engine when the migration created the table. */
function onTable(table: TableRef, statement: SqlStatement, message: string, object: string = table.qualified): FindingDraft {
  return { object, message, statement, onNewObject: table.isNew, table: table.qualified };
}

const existingOrNew = (table: TableRef): string => (table.isNew ? `table ${table.qualified} (created in this migration)` : `existing table ${table.qualified}`);

/** Where an index lives: the table (or materialized view) that owns it before the migration. */
interface IndexRef {
  readonly name: string;
  readonly qualified: string;
  /** The owner before the migration; null when the index did not exist then. */
  readonly owner: TableRef | null;
}

function indexRef(step: LintStep, schema: string | null, name: string): IndexRef {
  const owners = [
    ...step.before.tables.filter((t) => t.indexes.some((i) => i.name === name)),
    ...step.before.views.filter((v) => v.indexes.some((i) => i.name === name)),
  ];
  const owner = owners.find((o) => o.schema === (schema ?? 'public')) ?? (schema === null ? owners[0] : undefined);
  const placed = owner?.schema ?? schema ?? 'public';
  const qualified = `${placed}.${name}`;
  const ownerRef = owner === undefined || step.createdHere.has(qualified) ? null : tableRef(step, owner.schema, owner.name, 'public');
  return { name, qualified, owner: ownerRef };
}

const hasDefElem = (options: readonly Node[] | undefined, name: string): boolean =>
  (options ?? []).some((option) => {
    const element = nodeField(option, 'DefElem');
    if (element?.defname !== name) return false;
    // `(FULL false)`, `(CONCURRENTLY off)` turn the option off.
    const value = element.arg;
    const constant = nodeField(value, 'A_Const');
    if (constant?.boolval !== undefined) return constant.boolval.boolval === true;
    const word = stringValue(value) ?? nodeField(value, 'A_Const')?.sval?.sval;
    return word === undefined || word === null || !['false', 'off', '0'].includes(word.toLowerCase());
  });

// ---------------------------------------------------------------------------------------------
// Indexes and CONCURRENTLY

const createIndexNotConcurrently = rule(
  'pg-create-index-not-concurrently',
  'error',
  {
    summary: 'CREATE INDEX without CONCURRENTLY on a table that already holds data.',
    why: 'A plain CREATE INDEX takes a SHARE lock on the table for the whole build: every INSERT, UPDATE and DELETE waits until the index is built, which on a large table means minutes of failed writes.',
    instead: 'Build it with CREATE INDEX CONCURRENTLY in a migration that runs outside a transaction; it takes longer but lets writes through.',
    examples: [
      {
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);",
        alsoReports: ['write-blocking-lock'],
        safe: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);',
        transactional: false,
      },
    ],
  },
  (step, statements) =>
    statements.flatMap(({ statement, node }) => {
      const index = nodeField(node, 'IndexStmt');
      if (index === undefined || index.concurrent === true) return [];
      const table = relationRef(step, index.relation);
      // A table this migration created is empty and unseen by other sessions until it commits.
      if (table === null || table.isNew) return [];
      const name = index.idxname ?? '(unnamed)';
      return [onTable(table, statement, `CREATE ${index.unique === true ? 'UNIQUE ' : ''}INDEX ${name} on ${existingOrNew(table)} blocks writes while it builds`, index.idxname === undefined ? table.qualified : `${table.schema}.${name}`)];
    }),
);

const dropIndexNotConcurrently = rule(
  'pg-drop-index-not-concurrently',
  'warning',
  {
    summary: 'DROP INDEX without CONCURRENTLY on an index of an existing table.',
    why: 'DROP INDEX takes an ACCESS EXCLUSIVE lock on the index’s table: it waits behind every running query on the table, and every query arriving meanwhile queues behind it, reads included.',
    instead: 'Use DROP INDEX CONCURRENTLY (one index per statement) in a migration that runs outside a transaction.',
    examples: [
      {
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nDROP INDEX orders_customer_id_idx;",
        alsoReports: ['access-exclusive-lock'],
        safe: 'DROP INDEX CONCURRENTLY orders_customer_id_idx;',
        transactional: false,
      },
    ],
  },
  (step, statements) =>
    statements.flatMap(({ statement, node }) => {
      const drop = nodeField(node, 'DropStmt');
      if (drop === undefined || drop.removeType !== 'OBJECT_INDEX' || drop.concurrent === true) return [];
      return (drop.objects ?? []).flatMap((object) => {
        const parts = qualifiedParts(nodeField(object, 'List')?.items);
        if (parts === null) return [];
        const index = indexRef(step, parts.schema, parts.name);
        if (index.owner === null) {
          // DROP INDEX IF EXISTS of an index that was not there: nothing is dropped or locked.
          if (drop.missing_ok === true) return [];
          return [{ object: index.qualified, message: `DROP INDEX ${index.qualified}, an index created in this migration`, statement, onNewObject: true, table: null }];
        }
        return [onTable(index.owner, statement, `DROP INDEX ${index.qualified} locks ${existingOrNew(index.owner)} against reads and writes until it ends`, index.qualified)];
      });
    }),
);

const concurrentlyInTransaction = rule(
  'pg-concurrently-in-transaction',
  'error',
  {
    summary: 'A CONCURRENTLY statement in a migration that runs inside a transaction.',
    why: 'CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY cannot run inside a transaction block: PostgreSQL refuses them and the migration fails when it is deployed.',
    instead: 'Mark the migration to run outside a transaction (each format has its marker: `-- +goose NO TRANSACTION`, `-- migrate:up transaction:false`, `.autocommit`, `executeInTransaction=false`, `run_in_transaction = false`) and keep the concurrent statement alone in it.',
    examples: [
      {
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);',
        bad: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);',
        alsoReports: ['aborted-transaction'],
        safe: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);',
        safeTransactional: false,
      },
    ],
  },
  (step, statements) => {
    if (!step.transactional) return [];
    return statements.flatMap(({ statement, node }) => {
      const what = concurrentStatement(node);
      return what === null ? [] : [{ object: null, message: `${what} cannot run inside a transaction block, and this migration runs in one`, statement }];
    });
  },
);

function concurrentStatement(node: Node): string | null {
  if (nodeField(node, 'IndexStmt')?.concurrent === true) return 'CREATE INDEX CONCURRENTLY';
  const drop = nodeField(node, 'DropStmt');
  if (drop?.concurrent === true) return 'DROP INDEX CONCURRENTLY';
  if (hasDefElem(nodeField(node, 'ReindexStmt')?.params, 'concurrently')) return 'REINDEX CONCURRENTLY';
  const alter = nodeField(node, 'AlterTableStmt');
  for (const command of alterCommands(alter?.cmds)) {
    if (command.subtype === 'AT_DetachPartition' && nodeField(command.def, 'PartitionCmd')?.concurrent === true) return 'DETACH PARTITION CONCURRENTLY';
  }
  return null;
}

const reindexNotConcurrently = rule(
  'pg-reindex-not-concurrently',
  'warning',
  {
    summary: 'REINDEX without CONCURRENTLY.',
    why: 'A plain REINDEX blocks writes to the table and locks the index it rebuilds exclusively, so queries that would use the index wait too.',
    instead: 'On PostgreSQL 12 and later use REINDEX … CONCURRENTLY outside a transaction; before 12, build a replacement with CREATE INDEX CONCURRENTLY and drop the old index concurrently.',
    examples: [
      {
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nREINDEX INDEX orders_customer_id_idx;",
        alsoReports: ['write-blocking-lock'],
        safe: 'REINDEX INDEX CONCURRENTLY orders_customer_id_idx;',
        transactional: false,
      },
    ],
  },
  (step, statements) =>
    statements.flatMap(({ statement, node }) => {
      const reindex = nodeField(node, 'ReindexStmt');
      if (reindex === undefined || hasDefElem(reindex.params, 'concurrently')) return [];
      const advice = versionAtLeast(step.serverVersion, '12') ? 'use REINDEX CONCURRENTLY' : `PostgreSQL ${step.serverVersion} has no REINDEX CONCURRENTLY: build a replacement index concurrently`;
      const relation = reindex.relation;
      if (reindex.kind === 'REINDEX_OBJECT_INDEX' && relation?.relname !== undefined) {
        const index = indexRef(step, relation.schemaname ?? null, relation.relname);
        if (index.owner === null) return [{ object: index.qualified, message: `REINDEX INDEX ${index.qualified}, an index created in this migration`, statement, onNewObject: true, table: null }];
        return [onTable(index.owner, statement, `REINDEX INDEX ${index.qualified} blocks writes to ${index.owner.qualified}: ${advice}`, index.qualified)];
      }
      if (reindex.kind === 'REINDEX_OBJECT_TABLE') {
        const table = relationRef(step, relation);
        return table === null ? [] : [onTable(table, statement, `REINDEX TABLE on ${existingOrNew(table)} blocks writes while every index is rebuilt: ${advice}`)];
      }
      const scope = reindex.kind === 'REINDEX_OBJECT_SCHEMA' ? `SCHEMA ${reindex.name ?? ''}` : (reindex.kind ?? 'REINDEX_OBJECT_DATABASE').replace('REINDEX_OBJECT_', '');
      return [{ object: null, message: `REINDEX ${scope.trim()} blocks writes to every table it covers: ${advice}`, statement }];
    }),
);

// ---------------------------------------------------------------------------------------------
// Constraints

interface AddedConstraint {
  readonly table: TableRef;
  readonly constraint: Constraint;
  readonly statement: SqlStatement;
  /** The column a column constraint belongs to (`ADD COLUMN c int REFERENCES …`). */
  readonly column: string | null;
  /**
   * Whether PostgreSQL checks existing rows against the foreign keys of new columns. It skips
   * the check (new columns are NULL in every row) unless the same ALTER TABLE also gives a new
   * column a DEFAULT or generated expression, or adds a table FOREIGN KEY.
   */
  readonly checksNewColumnKeys: boolean;
}

function checksNewColumnKeys(commands: ReturnType<typeof alterCommands>): boolean {
  return commands.some((command) => {
    if (command.subtype === 'AT_AddConstraint') return nodeField(command.def, 'Constraint')?.contype === 'CONSTR_FOREIGN';
    const column = command.subtype === 'AT_AddColumn' ? nodeField(command.def, 'ColumnDef') : undefined;
    return column !== undefined && (column.raw_default !== undefined || columnConstraints(column).some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_GENERATED'));
  });
}

/** Constraints ALTER TABLE adds: ADD CONSTRAINT and the constraints of ADD COLUMN. */
function addedConstraints(step: LintStep, statements: readonly PgStatement[]): AddedConstraint[] {
  const found: AddedConstraint[] = [];
  for (const { statement, node } of statements) {
    const alter = nodeField(node, 'AlterTableStmt');
    if (alter === undefined) continue;
    const table = relationRef(step, alter.relation);
    if (table === null) continue;
    const commands = alterCommands(alter.cmds);
    const checked = checksNewColumnKeys(commands);
    for (const command of commands) {
      if (command.subtype === 'AT_AddConstraint') {
        const constraint = nodeField(command.def, 'Constraint');
        if (constraint !== undefined) found.push({ table, constraint, statement, column: null, checksNewColumnKeys: checked });
      } else if (command.subtype === 'AT_AddColumn') {
        const column = nodeField(command.def, 'ColumnDef');
        if (column === undefined) continue;
        for (const constraint of columnConstraints(column)) found.push({ table, constraint, statement, column: column.colname ?? null, checksNewColumnKeys: checked });
      }
    }
  }
  return found;
}

const constraintLabel = (added: AddedConstraint, kind: string): string =>
  added.constraint.conname !== undefined ? `${kind} ${added.constraint.conname}` : added.column !== null ? `${kind} on new column ${added.column}` : kind;

const constraintObject = (added: AddedConstraint): string =>
  added.constraint.conname !== undefined ? `${added.table.qualified}.${added.constraint.conname}` : added.table.qualified;

const foreignKeyWithoutNotValid = rule(
  'pg-add-foreign-key-not-valid',
  'error',
  {
    summary: 'A FOREIGN KEY added to an existing table without NOT VALID.',
    why: 'Adding a foreign key checks every existing row while holding SHARE ROW EXCLUSIVE locks on both the table and the table it references: writes to both wait for the whole scan.',
    instead: 'Add the constraint NOT VALID (new rows are checked at once, the lock is brief), then run ALTER TABLE … VALIDATE CONSTRAINT, which scans without blocking writes, in a later statement or migration.',
    examples: [
      {
        setup: 'CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);",
        alsoReports: ['foreign-key-added', 'write-blocking-lock'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n-- next migration: ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;",
      },
    ],
  },
  (step, statements) =>
    addedConstraints(step, statements).flatMap((added) => {
      const { constraint } = added;
      if (constraint.contype !== 'CONSTR_FOREIGN' || constraint.skip_validation === true) return [];
      // `ADD COLUMN customer_id bigint REFERENCES customers`: every row holds NULL, nothing to check.
      if (added.column !== null && !added.checksNewColumnKeys) return [];
      const referenced = relationRef(step, constraint.pktable);
      const both = referenced === null ? added.table.qualified : `${added.table.qualified} and ${referenced.qualified}`;
      return [onTable(added.table, added.statement, `${constraintLabel(added, 'FOREIGN KEY')} on ${existingOrNew(added.table)} is validated while writes to ${both} wait: add it NOT VALID, then VALIDATE CONSTRAINT`, constraintObject(added))];
    }),
);

const checkWithoutNotValid = rule(
  'pg-add-check-not-valid',
  'error',
  {
    summary: 'A CHECK constraint added to an existing table without NOT VALID.',
    why: 'Adding a CHECK constraint scans every row under an ACCESS EXCLUSIVE lock: neither reads nor writes reach the table until the scan ends.',
    instead: 'Add the constraint NOT VALID (only new rows are checked), then ALTER TABLE … VALIDATE CONSTRAINT, which scans under a lock that lets reads and writes through.',
    examples: [
      {
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);",
        alsoReports: ['access-exclusive-lock', 'check-added'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;\n-- next migration: ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;",
      },
    ],
  },
  (step, statements) =>
    addedConstraints(step, statements).flatMap((added) => {
      if (added.constraint.contype !== 'CONSTR_CHECK' || added.constraint.skip_validation === true) return [];
      return [onTable(added.table, added.statement, `${constraintLabel(added, 'CHECK')} on ${existingOrNew(added.table)} scans every row under an ACCESS EXCLUSIVE lock: add it NOT VALID, then VALIDATE CONSTRAINT`, constraintObject(added))];
    }),
);

const uniqueConstraintDirectly = rule(
  'pg-add-unique-constraint',
  'error',
  {
    summary: 'A UNIQUE constraint added to an existing table, building its index under the ALTER TABLE lock.',
    why: 'ALTER TABLE … ADD UNIQUE builds the unique index while holding an ACCESS EXCLUSIVE lock: the table is unreadable and unwritable for the whole build.',
    instead: 'Build the index first with CREATE UNIQUE INDEX CONCURRENTLY (outside a transaction), then attach it with ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX, which is instant.',
    examples: [
      {
        setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
        alsoReports: ['access-exclusive-lock', 'unique-added'],
        safe: "SET lock_timeout = '5s';\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\nSET statement_timeout = '5s';\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;",
        transactional: false,
      },
    ],
  },
  (step, statements) =>
    addedConstraints(step, statements).flatMap((added) => {
      if (added.constraint.contype !== 'CONSTR_UNIQUE' || added.constraint.indexname !== undefined) return [];
      return [onTable(added.table, added.statement, `${constraintLabel(added, 'UNIQUE')} on ${existingOrNew(added.table)} builds its index under an ACCESS EXCLUSIVE lock: create the index CONCURRENTLY and ADD CONSTRAINT … USING INDEX`, constraintObject(added))];
    }),
);

const primaryKeyDirectly = rule(
  'pg-add-primary-key-without-index',
  'error',
  {
    summary: 'A PRIMARY KEY added to an existing table, building its index under the ALTER TABLE lock.',
    why: 'ALTER TABLE … ADD PRIMARY KEY builds the unique index (and checks NOT NULL) while holding an ACCESS EXCLUSIVE lock: the table is unreadable and unwritable for the whole build.',
    instead: 'Build a unique index with CREATE UNIQUE INDEX CONCURRENTLY first, then ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY USING INDEX (with the key columns already NOT NULL).',
    examples: [
      {
        setup: 'CREATE TABLE events (id bigint NOT NULL, payload jsonb NOT NULL);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id);",
        alsoReports: ['access-exclusive-lock', 'primary-key-changed'],
        safe: "SET lock_timeout = '5s';\nCREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);\nSET statement_timeout = '5s';\nALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;",
        transactional: false,
      },
    ],
  },
  (step, statements) =>
    addedConstraints(step, statements).flatMap((added) => {
      if (added.constraint.contype !== 'CONSTR_PRIMARY' || added.constraint.indexname !== undefined) return [];
      return [onTable(added.table, added.statement, `${constraintLabel(added, 'PRIMARY KEY')} on ${existingOrNew(added.table)} builds its index under an ACCESS EXCLUSIVE lock: create a unique index CONCURRENTLY and ADD CONSTRAINT … PRIMARY KEY USING INDEX`, constraintObject(added))];
    }),
);

/** `col IS NOT NULL`: the column a check constraint proves NOT NULL, or null. */
function notNullColumn(expression: Node | null | undefined): string | null {
  const test = nodeField(expression, 'NullTest');
  if (test === undefined || test.nulltesttype !== 'IS_NOT_NULL') return null;
  const fields = nodeField(test.arg, 'ColumnRef')?.fields ?? [];
  return fields.length === 1 ? stringValue(fields[0]) : null;
}

const setNotNull = rule(
  'pg-set-not-null',
  'warning',
  {
    summary: 'ALTER COLUMN … SET NOT NULL on an existing column without a validated CHECK (column IS NOT NULL) first.',
    why: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock to prove no row holds NULL; reads and writes wait for the scan.',
    instead: 'On PostgreSQL 12 and later, add CHECK (column IS NOT NULL) NOT VALID, VALIDATE it (no blocking lock), then SET NOT NULL, which uses the validated check instead of scanning, and drop the check.',
    examples: [
      {
        setup: "CREATE TABLE users (id bigint PRIMARY KEY, locale text DEFAULT 'en');",
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE users ALTER COLUMN locale SET NOT NULL;",
        alsoReports: ['access-exclusive-lock', 'not-null-added'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE users ADD CONSTRAINT users_locale_not_null CHECK (locale IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_locale_not_null;\nALTER TABLE users ALTER COLUMN locale SET NOT NULL;\nALTER TABLE users DROP CONSTRAINT users_locale_not_null;",
      },
    ],
  },
  (step, statements) => {
    const findings: FindingDraft[] = [];
    // Validated `col IS NOT NULL` checks, by table: those of the snapshot before, and those this migration validates.
    const proven = new Map<string, Set<string>>();
    const prove = (table: string, column: string): void => {
      proven.set(table, (proven.get(table) ?? new Set()).add(column));
    };
    for (const table of step.before.tables) {
      for (const check of table.checks) {
        const column = check.validated ? notNullColumn(parseExpression(check.expression)) : null;
        if (column !== null) prove(`${table.schema}.${table.name}`, column);
      }
    }
    const pendingChecks = new Map<string, string>(); // table.constraint → column, added NOT VALID
    for (const { statement, node } of statements) {
      const alter = nodeField(node, 'AlterTableStmt');
      if (alter === undefined) continue;
      const table = relationRef(step, alter.relation);
      if (table === null) continue;
      for (const command of alterCommands(alter.cmds)) {
        const constraint = nodeField(command.def, 'Constraint');
        if (command.subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_CHECK') {
          const column = notNullColumn(constraint.raw_expr);
          if (column === null) continue;
          if (constraint.skip_validation === true) pendingChecks.set(`${table.qualified}.${constraint.conname ?? ''}`, column);
          else prove(table.qualified, column);
        } else if (command.subtype === 'AT_ValidateConstraint') {
          const column = pendingChecks.get(`${table.qualified}.${command.name ?? ''}`);
          if (column !== undefined) prove(table.qualified, column);
        } else if (command.subtype === 'AT_SetNotNull' && command.name !== undefined) {
          const column = table.before?.columns.find((c) => c.name === command.name);
          // A new column has no rows to scan; one already NOT NULL is left as it is.
          if (column === undefined || !column.nullable || table.isNew) continue;
          if (versionAtLeast(step.serverVersion, '12') && proven.get(table.qualified)?.has(command.name) === true) continue;
          const advice = versionAtLeast(step.serverVersion, '12')
            ? 'validate a CHECK (… IS NOT NULL) constraint first'
            : `PostgreSQL ${step.serverVersion} cannot skip the scan (12 can, with a validated CHECK)`;
          findings.push(onTable(table, statement, `SET NOT NULL on ${table.qualified}.${command.name} scans the table under an ACCESS EXCLUSIVE lock: ${advice}`, `${table.qualified}.${command.name}`));
        }
      }
    }
    return findings;
  },
);

// ---------------------------------------------------------------------------------------------
// Timeouts

type LockedRelation = { readonly table: TableRef; readonly what: string };

/** The existing relations a statement locks against ordinary reads or writes, if any. */
function lockedRelations(step: LintStep, node: Node): LockedRelation[] {
  const named = (what: string, ...tables: (TableRef | null)[]): LockedRelation[] => tables.flatMap((table) => (table === null ? [] : [{ table, what }]));
  const alter = nodeField(node, 'AlterTableStmt');
  if (alter !== undefined) {
    // VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE: reads and writes go on while it scans.
    if (alterCommands(alter.cmds).every((command) => command.subtype === 'AT_ValidateConstraint')) return [];
    const referenced = addedConstraints(step, [{ statement: { line: 0, text: '' }, node }]).flatMap((a) =>
      a.constraint.contype === 'CONSTR_FOREIGN' ? [relationRef(step, a.constraint.pktable)] : [],
    );
    return named(alter.objtype === 'OBJECT_INDEX' ? 'ALTER INDEX' : 'ALTER TABLE', relationRef(step, alter.relation), ...referenced);
  }
  const index = nodeField(node, 'IndexStmt');
  if (index !== undefined) return index.concurrent === true ? [] : named('CREATE INDEX', relationRef(step, index.relation));
  const create = nodeField(node, 'CreateStmt');
  if (create !== undefined) {
    // A new table's foreign keys lock the tables they reference.
    const references = (create.tableElts ?? []).flatMap((element) => {
      const column = nodeField(element, 'ColumnDef');
      const constraints = column !== undefined ? columnConstraints(column) : [nodeField(element, 'Constraint')].filter((c) => c !== undefined);
      return constraints.filter((c) => c.contype === 'CONSTR_FOREIGN').map((c) => relationRef(step, c.pktable));
    });
    return named('CREATE TABLE … REFERENCES', ...references);
  }
  const drop = nodeField(node, 'DropStmt');
  if (drop !== undefined && drop.concurrent !== true) {
    const kinds: Record<string, string> = { OBJECT_TABLE: 'DROP TABLE', OBJECT_INDEX: 'DROP INDEX', OBJECT_VIEW: 'DROP VIEW', OBJECT_MATVIEW: 'DROP MATERIALIZED VIEW' };
    const what = kinds[drop.removeType ?? ''];
    if (what === undefined) return [];
    return (drop.objects ?? []).flatMap((object) => {
      const parts = qualifiedParts(nodeField(object, 'List')?.items);
      if (parts === null) return [];
      if (drop.removeType === 'OBJECT_INDEX') return named(what, indexRef(step, parts.schema, parts.name).owner);
      return named(what, tableRef(step, parts.schema, parts.name, 'public'));
    });
  }
  const rangeVars = (nodes: readonly Node[] | undefined): (TableRef | null)[] => (nodes ?? []).map((n) => relationRef(step, nodeField(n, 'RangeVar')));
  const truncate = nodeField(node, 'TruncateStmt');
  if (truncate !== undefined) return named('TRUNCATE', ...rangeVars(truncate.relations));
  const lock = nodeField(node, 'LockStmt');
  if (lock !== undefined) return named('LOCK TABLE', ...rangeVars(lock.relations));
  const cluster = nodeField(node, 'ClusterStmt');
  if (cluster !== undefined) return named('CLUSTER', relationRef(step, cluster.relation));
  const vacuum = nodeField(node, 'VacuumStmt');
  if (vacuum !== undefined && hasDefElem(vacuum.options, 'full')) {
    return named('VACUUM FULL', ...(vacuum.rels ?? []).map((r) => relationRef(step, nodeField(r, 'VacuumRelation')?.relation)));
  }
  const reindex = nodeField(node, 'ReindexStmt');
  if (reindex !== undefined && !hasDefElem(reindex.params, 'concurrently') && reindex.relation?.relname !== undefined) {
    if (reindex.kind === 'REINDEX_OBJECT_INDEX') return named('REINDEX', indexRef(step, reindex.relation.schemaname ?? null, reindex.relation.relname).owner);
    return named('REINDEX', relationRef(step, reindex.relation));
  }
  const rename = nodeField(node, 'RenameStmt');
  if (rename !== undefined && rename.relation !== undefined) return named('RENAME', relationRef(step, rename.relation));
  const refresh = nodeField(node, 'RefreshMatViewStmt');
  if (refresh !== undefined && refresh.concurrent !== true) return named('REFRESH MATERIALIZED VIEW', relationRef(step, refresh.relation));
  const trigger = nodeField(node, 'CreateTrigStmt');
  if (trigger !== undefined) return named('CREATE TRIGGER', relationRef(step, trigger.relation));
  const policy = nodeField(node, 'CreatePolicyStmt');
  if (policy !== undefined) return named('CREATE POLICY', relationRef(step, policy.table));
  return [];
}

type TimeoutState = 'unset' | 'set' | 'zero';

/** What a statement does to a setting: `SET name …`, `RESET name`, `SELECT set_config('name', …)`. */
function settingChange(node: Node, name: string): TimeoutState | null {
  const set = nodeField(node, 'VariableSetStmt');
  if (set !== undefined) {
    if (set.kind === 'VAR_RESET_ALL') return 'unset';
    if (set.name !== name) return null;
    if (set.kind === 'VAR_SET_DEFAULT' || set.kind === 'VAR_RESET') return 'unset';
    if (set.kind !== 'VAR_SET_VALUE') return null;
    return isZero(set.args?.[0]) ? 'zero' : 'set';
  }
  const select = nodeField(node, 'SelectStmt');
  for (const target of select?.targetList ?? []) {
    const call = nodeField(nodeField(target, 'ResTarget')?.val, 'FuncCall');
    const fn = stringValue(call?.funcname?.[call.funcname.length - 1]);
    if (fn !== 'set_config' || call === undefined) continue;
    const [setting, value] = call.args ?? [];
    if (nodeField(setting, 'A_Const')?.sval?.sval !== name) continue;
    return isZero(value) ? 'zero' : 'set';
  }
  return null;
}

function isZero(value: Node | undefined): boolean {
  const constant = nodeField(value, 'A_Const');
  if (constant === undefined) return false;
  if (constant.ival !== undefined) return (constant.ival.ival ?? 0) === 0;
  const text = constant.sval?.sval ?? constant.fval?.fval;
  return text !== undefined && Number.parseFloat(text) === 0;
}

function missingTimeoutRule(setting: 'lock_timeout' | 'statement_timeout', severity: LintSeverity, docs: LintRuleDocs): StatementRule {
  return rule(`pg-missing-${setting.replace('_', '-')}`, severity, docs, (step, statements) => {
    let state: TimeoutState = 'unset';
    for (const { statement, node } of statements) {
      state = settingChange(node, setting) ?? state;
      const locked = lockedRelations(step, node).find((l) => !l.table.isNew);
      if (locked === undefined) continue;
      // An explicit statement_timeout = 0 is a decision (long index builds need it); lock_timeout = 0 waits forever.
      if (state === 'set' || (state === 'zero' && setting === 'statement_timeout')) return [];
      const why = state === 'zero' ? `${setting} is 0` : `no SET ${setting} before it`;
      return [{ object: locked.table.qualified, message: `${locked.what} on existing table ${locked.table.qualified} with ${why}: the first locking statement of the migration`, statement, table: locked.table.qualified }];
    }
    return [];
  });
}

const missingLockTimeout = missingTimeoutRule('lock_timeout', 'warning', {
  summary: 'A statement that locks an existing table, with no SET lock_timeout before it in the migration.',
  why: 'A DDL statement waiting for its lock (behind one long transaction) makes every later query on the table queue behind it: a migration stuck on a lock takes the application down with it.',
  instead: 'Start the migration with SET lock_timeout (a few seconds): a migration that cannot get its lock fails fast and can be retried, instead of blocking all traffic.',
  examples: [
    {
      setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);',
      bad: "SET statement_timeout = '30s';\nALTER TABLE users ADD COLUMN nickname text;",
      alsoReports: ['access-exclusive-lock'],
      safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE users ADD COLUMN nickname text;",
    },
  ],
});

const missingStatementTimeout = missingTimeoutRule('statement_timeout', 'warning', {
  summary: 'A statement that locks an existing table, with no SET statement_timeout before it in the migration.',
  why: 'A locking statement that runs longer than expected (a scan or rewrite of a table larger than in testing) holds its lock all that time; nothing stops it before the application notices.',
  instead: 'Set statement_timeout at the start of the migration to the longest lock you accept; set it to 0 deliberately, with a comment, only for statements that are meant to run long without blocking (CREATE INDEX CONCURRENTLY).',
  examples: [
    {
      setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);',
      bad: "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN nickname text;",
      alsoReports: ['access-exclusive-lock'],
      safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE users ADD COLUMN nickname text;",
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// Columns

/** Built-in functions marked VOLATILE that migrations use as column defaults. */
const VOLATILE_FUNCTIONS = new Set([
  'random',
  'random_normal',
  'clock_timestamp',
  'timeofday',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'gen_random_bytes',
  'nextval',
  'txid_current',
  'setseed',
]);

const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/** Why adding this column writes every row: a volatile default, a serial, identity or stored generated column. */
function rewriteReason(step: LintStep, column: ColumnDef): string | null {
  const type = typeNameOf(column.typeName);
  if (type !== null && SERIAL_TYPES.has(type)) return `a ${type} column takes a nextval() default for every row`;
  for (const constraint of columnConstraints(column)) {
    if (constraint.contype === 'CONSTR_IDENTITY') return 'an identity column takes a new value for every row';
    if (constraint.contype === 'CONSTR_GENERATED') return 'a stored generated column is computed for every row';
    if (constraint.contype !== 'CONSTR_DEFAULT') continue;
    const calls = functionCalls(constraint.raw_expr);
    const volatile = calls.find(
      (name) => VOLATILE_FUNCTIONS.has(name) || step.after.routines.some((r) => r.name === name && r.volatility === 'volatile'),
    );
    if (volatile !== undefined) return `DEFAULT ${volatile}() is volatile, computed for every row`;
    if (!versionAtLeast(step.serverVersion, '11') && nodeField(constraint.raw_expr, 'A_Const')?.isnull !== true) {
      return `PostgreSQL ${step.serverVersion} writes any DEFAULT into every row (11 and later store a non-volatile default once)`;
    }
  }
  return null;
}

const addColumnVolatileDefault = rule(
  'pg-add-column-volatile-default',
  'error',
  {
    summary: 'ADD COLUMN whose value differs row by row (a volatile DEFAULT such as gen_random_uuid(), a serial, an identity or stored generated column) on an existing table.',
    why: 'Since PostgreSQL 11 a constant or stable default (now() included) is stored once and ADD COLUMN is instant; a value computed per row forces a rewrite of the whole table under an ACCESS EXCLUSIVE lock.',
    instead: 'Add the column without a default (or with a constant one), set the volatile default with ALTER COLUMN … SET DEFAULT (which affects new rows only), and backfill existing rows in batches.',
    examples: [
      {
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();",
        alsoReports: ['access-exclusive-lock', 'table-rewritten'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN public_id uuid;\nALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();\n-- then backfill existing rows in batches",
      },
    ],
  },
  (step, statements) =>
    introducedColumns(step, statements).flatMap(({ table, column, statement, via }) => {
      if (via !== 'add') return [];
      const reason = rewriteReason(step, column);
      if (reason === null) return [];
      return [onTable(table, statement, `ADD COLUMN ${column.colname ?? ''} rewrites ${existingOrNew(table)} under an ACCESS EXCLUSIVE lock: ${reason}`, `${table.qualified}.${column.colname ?? ''}`)];
    }),
);

const setLoggedUnlogged = rule(
  'pg-set-logged-unlogged',
  'error',
  {
    summary: 'ALTER TABLE … SET LOGGED or SET UNLOGGED on an existing table.',
    why: 'Changing a table’s persistence rewrites it completely under an ACCESS EXCLUSIVE lock (and SET LOGGED writes the whole table to the WAL), blocking reads and writes for the duration.',
    instead: 'Decide persistence when the table is created; to change it on a large table, build a new table with the wanted persistence, copy the rows in batches and swap the names.',
    examples: [
      {
        setup: 'CREATE TABLE page_views (id bigint PRIMARY KEY, path text NOT NULL);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE page_views SET UNLOGGED;",
        alsoReports: ['access-exclusive-lock', 'table-rewritten'],
        safe: 'CREATE UNLOGGED TABLE page_views_buffer (id bigint PRIMARY KEY, path text NOT NULL);',
      },
    ],
  },
  (step, statements) =>
    statements.flatMap(({ statement, node }) => {
      const alter = nodeField(node, 'AlterTableStmt');
      const table = relationRef(step, alter?.relation);
      if (alter === undefined || table === null) return [];
      return alterCommands(alter.cmds).flatMap((command) => {
        if (command.subtype !== 'AT_SetLogged' && command.subtype !== 'AT_SetUnLogged') return [];
        const what = command.subtype === 'AT_SetLogged' ? 'SET LOGGED' : 'SET UNLOGGED';
        return [onTable(table, statement, `${what} rewrites ${existingOrNew(table)} under an ACCESS EXCLUSIVE lock`)];
      });
    }),
);

const vacuumFull = rule(
  'pg-vacuum-full',
  'error',
  {
    summary: 'VACUUM FULL in a migration.',
    why: 'VACUUM FULL rewrites each table it names (every table of the database when it names none) under an ACCESS EXCLUSIVE lock: nothing reads or writes the table until the copy ends.',
    instead: 'Leave space reclamation to autovacuum, or reclaim it online with pg_repack or pg_squeeze, outside migrations.',
    examples: [
      {
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, note text);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nVACUUM FULL orders;",
        alsoReports: ['table-rewritten'],
        safe: 'VACUUM (ANALYZE) orders;',
        transactional: false,
      },
    ],
  },
  (step, statements) =>
    statements.flatMap(({ statement, node }) => {
      const vacuum = nodeField(node, 'VacuumStmt');
      if (vacuum === undefined || vacuum.is_vacuumcmd === false || !hasDefElem(vacuum.options, 'full')) return [];
      const tables = (vacuum.rels ?? []).flatMap((r) => {
        const table = relationRef(step, nodeField(r, 'VacuumRelation')?.relation);
        return table === null ? [] : [table];
      });
      if (tables.length === 0) return [{ object: null, message: 'VACUUM FULL without a table rewrites every table of the database, each under an ACCESS EXCLUSIVE lock', statement }];
      return tables.map((table) => onTable(table, statement, `VACUUM FULL rewrites ${existingOrNew(table)} under an ACCESS EXCLUSIVE lock`));
    }),
);

const cluster = rule(
  'pg-cluster',
  'error',
  {
    summary: 'CLUSTER in a migration.',
    why: 'CLUSTER rewrites the table in index order under an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole copy; without a table name it does this to every table clustered before.',
    instead: 'Reorder tables online with pg_repack (--order-by), outside migrations; the order CLUSTER gives is not maintained anyway.',
    examples: [
      {
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz NOT NULL);\nCREATE INDEX orders_created_at_idx ON orders (created_at);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nCLUSTER orders USING orders_created_at_idx;",
        alsoReports: ['access-exclusive-lock', 'table-rewritten'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\n-- pg_repack, run outside the migration, orders the table by its clustering index online\nALTER TABLE orders CLUSTER ON orders_created_at_idx;",
      },
    ],
  },
  (step, statements) =>
    statements.flatMap(({ statement, node }) => {
      const clusterStmt = nodeField(node, 'ClusterStmt');
      if (clusterStmt === undefined) return [];
      const table = relationRef(step, clusterStmt.relation);
      if (table === null) return [{ object: null, message: 'CLUSTER without a table rewrites every previously clustered table under an ACCESS EXCLUSIVE lock', statement }];
      return [onTable(table, statement, `CLUSTER rewrites ${existingOrNew(table)} under an ACCESS EXCLUSIVE lock`)];
    }),
);

// ---------------------------------------------------------------------------------------------
// Destructive statements

const truncateCascade = rule(
  'pg-truncate-cascade',
  'error',
  {
    summary: 'TRUNCATE … CASCADE.',
    why: 'CASCADE also empties every table with a foreign key to the truncated ones, and the tables referencing those, without naming them: data the migration’s author never meant to delete goes too.',
    instead: 'Name every table to empty in the TRUNCATE statement, without CASCADE; PostgreSQL then refuses if a referencing table was forgotten.',
    examples: [
      {
        setup: 'CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id));\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nTRUNCATE customers CASCADE;",
        alsoReports: ['access-exclusive-lock', 'table-rewritten'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nTRUNCATE orders, customers;",
      },
    ],
  },
  (step, statements) =>
    statements.flatMap(({ statement, node }) => {
      const truncate = nodeField(node, 'TruncateStmt');
      if (truncate === undefined || truncate.behavior !== 'DROP_CASCADE') return [];
      const tables = (truncate.relations ?? []).flatMap((r) => {
        const table = relationRef(step, nodeField(r, 'RangeVar'));
        return table === null ? [] : [table];
      });
      const named = new Set(tables.map((t) => t.qualified));
      const alsoEmptied = referencingTables(step, named).filter((t) => !named.has(t));
      const also = alsoEmptied.length === 0 ? 'every table referencing it by foreign key' : alsoEmptied.join(', ');
      return tables.map((table) => ({ ...onTable(table, statement, `TRUNCATE ${table.qualified} CASCADE also empties ${also}`), onNewObject: false }));
    }),
);

/** Tables whose foreign keys reach `tables`, transitively (what TRUNCATE … CASCADE empties). */
function referencingTables(step: LintStep, tables: ReadonlySet<string>): string[] {
  const reached = new Set(tables);
  for (let grew = true; grew; ) {
    grew = false;
    for (const table of step.before.tables) {
      const name = `${table.schema}.${table.name}`;
      if (reached.has(name)) continue;
      if (table.foreignKeys.some((fk) => reached.has(`${fk.referencedSchema}.${fk.referencedTable}`))) {
        reached.add(name);
        grew = true;
      }
    }
  }
  return [...reached].sort();
}

const OBJECT_WORDS: Record<string, string> = {
  OBJECT_TABLE: 'TABLE',
  OBJECT_VIEW: 'VIEW',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_SCHEMA: 'SCHEMA',
  OBJECT_TYPE: 'TYPE',
  OBJECT_DOMAIN: 'DOMAIN',
  OBJECT_FUNCTION: 'FUNCTION',
  OBJECT_SEQUENCE: 'SEQUENCE',
  OBJECT_EXTENSION: 'EXTENSION',
  OBJECT_INDEX: 'INDEX',
  OBJECT_COLUMN: 'COLUMN',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
  OBJECT_TRIGGER: 'TRIGGER',
};

const dropCascade = rule(
  'pg-drop-cascade',
  'warning',
  {
    summary: 'DROP … CASCADE.',
    why: 'CASCADE silently drops every object that depends on the dropped one (views, foreign keys, defaults, functions’ dependents); the migration says one object and removes many.',
    instead: 'Drop the dependent objects explicitly first, then drop the object without CASCADE, so PostgreSQL refuses if something still depends on it.',
    examples: [
      {
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);\nCREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 1000;',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE orders DROP COLUMN total CASCADE;",
        alsoReports: ['access-exclusive-lock', 'column-dropped', 'view-dropped'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nDROP VIEW big_orders;\nALTER TABLE orders DROP COLUMN total;",
      },
    ],
  },
  (step, statements) =>
    statements.flatMap(({ statement, node }): FindingDraft[] => {
      const alter = nodeField(node, 'AlterTableStmt');
      if (alter !== undefined) {
        // ALTER TABLE … DROP COLUMN c CASCADE, DROP CONSTRAINT k CASCADE: views over the column, foreign keys on the key.
        const table = relationRef(step, alter.relation);
        return alterCommands(alter.cmds).flatMap((command) => {
          if (command.behavior !== 'DROP_CASCADE' || table === null) return [];
          const word = command.subtype === 'AT_DropColumn' ? 'COLUMN' : command.subtype === 'AT_DropConstraint' ? 'CONSTRAINT' : null;
          if (word === null || command.name === undefined) return [];
          const name = `${table.qualified}.${command.name}`;
          return [{ object: name, message: `DROP ${word} ${name} CASCADE also drops whatever depends on it, unnamed`, statement }];
        });
      }
      const drop = nodeField(node, 'DropStmt');
      if (drop === undefined || drop.behavior !== 'DROP_CASCADE') return [];
      const word = OBJECT_WORDS[drop.removeType ?? ''] ?? 'object';
      return (drop.objects ?? []).map((object) => {
        const name = droppedName(object);
        return { object: name, message: `DROP ${word} ${name ?? ''} CASCADE also drops whatever depends on it, unnamed`.replace('  ', ' '), statement };
      });
    }),
);

/** The name a DROP statement gives one object: `public.orders`, `status` (a type), `f` (a function), `s` (a schema). */
function droppedName(object: Node): string | null {
  const items = nodeField(object, 'List')?.items ?? nodeField(object, 'TypeName')?.names ?? nodeField(object, 'ObjectWithArgs')?.objname;
  const parts = items === undefined ? null : qualifiedParts(items);
  if (parts !== null) return parts.schema === null ? parts.name : `${parts.schema}.${parts.name}`;
  return stringValue(object);
}

const dropDatabase = rule(
  'pg-drop-database',
  'error',
  {
    summary: 'DROP DATABASE in a migration.',
    why: 'A migration runs inside one database; dropping a database from it destroys data of a whole other database, irreversibly, and no down migration brings it back.',
    instead: 'Drop databases by hand or in provisioning code, never in a schema migration.',
    examples: [
      {
        setup: '',
        bad: 'DROP DATABASE IF EXISTS analytics_archive;',
        safe: '-- schemaguard:ignore pg-drop-database analytics_archive is retired here once, after its export (#812)\nDROP DATABASE IF EXISTS analytics_archive;',
        transactional: false,
      },
    ],
  },
  (_step, statements) =>
    statements.flatMap(({ statement, node }) => {
      const drop = nodeField(node, 'DropdbStmt');
      return drop === undefined ? [] : [{ object: drop.dbname ?? null, message: `DROP DATABASE ${drop.dbname ?? ''} destroys a whole database`, statement }];
    }),
);

// ---------------------------------------------------------------------------------------------
// Locks and transactions

const LOCK_MODES = ['', 'ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'];

const lockTable = rule(
  'pg-lock-table',
  'warning',
  {
    summary: 'An explicit LOCK TABLE in a migration.',
    why: 'LOCK TABLE (ACCESS EXCLUSIVE unless a mode is given) is held until the migration’s transaction ends, so every statement after it extends the time the table is unavailable; waiting for it queues all other queries.',
    instead: 'Let each statement take the lock it needs, keep the migration short, and set lock_timeout so a lock that cannot be had fails fast.',
    examples: [
      {
        setup: 'CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric NOT NULL);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nLOCK TABLE accounts IN SHARE MODE;\nUPDATE accounts SET balance = 0 WHERE balance < 0;",
        alsoReports: ['write-blocking-lock'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nUPDATE accounts SET balance = 0 WHERE balance < 0;",
      },
    ],
  },
  (step, statements) =>
    statements.flatMap(({ statement, node }) => {
      const lock = nodeField(node, 'LockStmt');
      if (lock === undefined) return [];
      const mode = LOCK_MODES[lock.mode ?? 8] ?? 'ACCESS EXCLUSIVE';
      return (lock.relations ?? []).flatMap((r) => {
        const table = relationRef(step, nodeField(r, 'RangeVar'));
        return table === null ? [] : [onTable(table, statement, `LOCK TABLE ${table.qualified} IN ${mode} MODE holds the lock until the migration ends`)];
      });
    }),
);

const TRANSACTION_WORDS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
};

const transactionControl = rule(
  'pg-transaction-control',
  'warning',
  {
    summary: 'BEGIN, COMMIT or ROLLBACK inside a migration that the migration tool already runs in a transaction.',
    why: 'The tool’s transaction is already open: BEGIN only warns, but COMMIT ends it early, so the statements after it (and the tool’s own bookkeeping) run outside it, and a failure leaves the migration half applied.',
    instead: 'Leave transaction control to the tool; if the migration must manage its own transactions, mark it to run outside the tool’s transaction.',
    examples: [
      {
        setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);',
        bad: 'BEGIN;\nUPDATE users SET email = lower(email);\nCOMMIT;',
        safe: 'UPDATE users SET email = lower(email);',
      },
    ],
  },
  (step, statements) => {
    if (!step.transactional) return [];
    return statements.flatMap(({ statement, node }) => {
      const transaction = nodeField(node, 'TransactionStmt');
      const word = TRANSACTION_WORDS[transaction?.kind ?? ''];
      return word === undefined ? [] : [{ object: null, message: `${word} inside a migration that already runs in a transaction`, statement }];
    });
  },
);

const refreshNotConcurrently = rule(
  'pg-refresh-materialized-view-not-concurrently',
  'warning',
  {
    summary: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY on an existing materialized view.',
    why: 'A plain refresh holds an ACCESS EXCLUSIVE lock on the view while its query runs: every read of the view waits for the whole refresh.',
    instead: 'Give the view a unique index and use REFRESH MATERIALIZED VIEW CONCURRENTLY, which lets reads continue.',
    examples: [
      {
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, placed_on date NOT NULL, total numeric NOT NULL);\nCREATE MATERIALIZED VIEW daily_sales AS SELECT placed_on, sum(total) AS total FROM orders GROUP BY placed_on;\nCREATE UNIQUE INDEX daily_sales_placed_on_idx ON daily_sales (placed_on);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nREFRESH MATERIALIZED VIEW daily_sales;",
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nREFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;",
      },
    ],
  },
  (step, statements) =>
    statements.flatMap(({ statement, node }) => {
      const refresh = nodeField(node, 'RefreshMatViewStmt');
      if (refresh === undefined || refresh.concurrent === true || refresh.skipData === true) return [];
      const view = relationRef(step, refresh.relation);
      if (view === null) return [];
      return [onTable(view, statement, `REFRESH MATERIALIZED VIEW ${view.qualified} blocks its readers until the refresh ends`)];
    }),
);

// ---------------------------------------------------------------------------------------------
// Renames

const RENAMED_RELATIONS: Record<string, string> = {
  OBJECT_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
  OBJECT_FOREIGN_TABLE: 'foreign table',
};

/**
 * Renames of tables and columns are the diff rules' (table-renamed, column-renamed: the same on
 * every engine); this one covers the relations the diff does not follow by name.
 */
const rename = rule(
  'pg-rename-view',
  'warning',
  {
    summary: 'ALTER … RENAME of an existing view, materialized view or foreign table.',
    why: 'The running application still uses the old name: between the migration and the deploy of code that uses the new name, every query naming the old one fails. (Renamed tables and columns are reported by table-renamed and column-renamed.)',
    instead: 'Expand and contract: create the view under the new name beside the old one, move the code over, and drop the old name in a later migration.',
    examples: [
      {
        setup: 'CREATE TABLE users (id bigint PRIMARY KEY, deleted_at timestamptz);\nCREATE VIEW active_users AS SELECT id FROM users WHERE deleted_at IS NULL;',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER VIEW active_users RENAME TO current_users;",
        safe: 'CREATE VIEW current_users AS SELECT id FROM users WHERE deleted_at IS NULL;\n-- drop active_users once no code reads it',
      },
    ],
  },
  (step, statements) =>
    statements.flatMap(({ statement, node }) => {
      const renameStmt = nodeField(node, 'RenameStmt');
      if (renameStmt === undefined) return [];
      const written = RENAMED_RELATIONS[renameStmt.renameType ?? ''];
      const table = relationRef(step, renameStmt.relation);
      if (written === undefined || table === null) return [];
      // ALTER TABLE … RENAME TO works on views too: what counts is what the relation is.
      const kind = written === 'table' && table.before === null && table.viewBefore !== null ? (table.viewBefore.materialized ? 'materialized view' : 'view') : written;
      if (kind === 'table') return [];
      return [onTable(table, statement, `RENAME of ${kind} ${table.qualified} TO ${renameStmt.newname ?? ''} breaks code that still uses ${table.name}`)];
    }),
);

// ---------------------------------------------------------------------------------------------
// Column types

function typeRule(id: string, severity: LintSeverity, docs: LintRuleDocs, matches: (type: string, column: ColumnDef) => string | null): StatementRule {
  return rule(id, severity, docs, (step, statements) =>
    introducedColumns(step, statements).flatMap(({ table, column, statement, via }) => {
      const type = typeNameOf(column.typeName);
      const problem = type === null ? null : matches(type, column);
      if (problem === null) return [];
      const where = `${table.qualified}.${column.colname ?? ''}`;
      const verb = via === 'type' ? 'changes to' : 'is';
      return [{ object: where, message: `${where} ${verb} ${problem}`, statement, table: table.qualified, onNewObject: false }];
    }),
  );
}

const preferTimestamptz = typeRule(
  'pg-prefer-timestamptz',
  'warning',
  {
    summary: 'A column of type timestamp (without time zone).',
    why: 'timestamp stores a wall-clock reading with no zone: the same value means different instants to sessions with different TimeZone settings, and comparisons across daylight-saving changes go wrong.',
    instead: 'Use timestamptz (timestamp with time zone), which stores an instant and converts on display; it takes the same 8 bytes.',
    examples: [
      {
        setup: '',
        bad: 'CREATE TABLE sessions (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, expires_at timestamp NOT NULL);',
        alsoReports: ['write-blocking-lock'],
        safe: 'CREATE TABLE sessions (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, expires_at timestamptz NOT NULL);',
      },
    ],
  },
  (type) => (type === 'timestamp' ? 'timestamp without time zone: use timestamptz' : null),
);

const preferText = typeRule(
  'pg-prefer-text',
  'info',
  {
    summary: 'A column of type varchar(n).',
    why: 'In PostgreSQL varchar(n) is text with a length check and no storage or speed benefit; raising the limit later is an ALTER TABLE, and on an indexed or older setup can mean a rewrite.',
    instead: 'Use text (or varchar without a length), with a CHECK (char_length(col) <= n) constraint where a limit is a real rule; a CHECK can be changed NOT VALID without a rewrite.',
    examples: [
      {
        setup: '',
        bad: 'CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(255) NOT NULL);',
        alsoReports: ['write-blocking-lock'],
        safe: 'CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL CHECK (char_length(email) <= 320));',
      },
    ],
  },
  (type, column) => (type === 'varchar' && typeModifiers(column.typeName).length > 0 ? `varchar(${typeModifiers(column.typeName)[0]}): use text, with a CHECK where the length is a rule` : null),
);

const charColumn = typeRule(
  'pg-char-column',
  'warning',
  {
    summary: 'A column of type char(n) (character, bpchar).',
    why: 'char(n) pads values with spaces to n characters, and trailing spaces are then ignored in comparisons but not everywhere else (LIKE, length of casts, client code): a source of subtle bugs, with no speed benefit in PostgreSQL.',
    instead: 'Use text (or varchar), with a CHECK constraint when the length is fixed by a rule.',
    examples: [
      {
        setup: '',
        bad: 'CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);',
        alsoReports: ['write-blocking-lock'],
        safe: 'CREATE TABLE countries (code text PRIMARY KEY CHECK (char_length(code) = 2), name text NOT NULL);',
      },
    ],
  },
  (type, column) => (type === 'bpchar' ? `char(${typeModifiers(column.typeName)[0] ?? 1}), which pads with spaces: use text` : null),
);

const preferJsonb = typeRule(
  'pg-prefer-jsonb',
  'info',
  {
    summary: 'A column of type json.',
    why: 'json stores the text as written and reparses it on every access; it cannot be indexed with GIN and has no equality operator, so DISTINCT, GROUP BY and unique constraints on it fail.',
    instead: 'Use jsonb, unless the exact text (key order, duplicate keys, whitespace) must be kept.',
    examples: [
      {
        setup: '',
        bad: 'CREATE TABLE webhooks (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload json NOT NULL);',
        alsoReports: ['write-blocking-lock'],
        safe: 'CREATE TABLE webhooks (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb NOT NULL);',
      },
    ],
  },
  (type) => (type === 'json' ? 'json: use jsonb' : null),
);

const preferIdentity = rule(
  'pg-prefer-identity',
  'info',
  {
    summary: 'A serial, bigserial or smallserial column.',
    why: 'serial is a legacy shorthand for a sequence and a nextval() default that the column does not own by SQL standard: permissions, copying the table (CREATE TABLE … LIKE) and dumps treat the sequence separately, and nothing stops inserts of explicit values that later collide.',
    instead: 'Use an identity column: bigint GENERATED ALWAYS AS IDENTITY (or BY DEFAULT), standard SQL since PostgreSQL 10.',
    examples: [
      {
        setup: '',
        bad: 'CREATE TABLE invoices (id bigserial PRIMARY KEY, total numeric NOT NULL);',
        alsoReports: ['write-blocking-lock'],
        safe: 'CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total numeric NOT NULL);',
      },
    ],
  },
  (step, statements) => {
    if (!versionAtLeast(step.serverVersion, '10')) return [];
    return introducedColumns(step, statements).flatMap(({ table, column, statement, via }) => {
      const type = typeNameOf(column.typeName);
      if (via === 'type' || type === null || !SERIAL_TYPES.has(type)) return [];
      const where = `${table.qualified}.${column.colname ?? ''}`;
      const identityType = type.startsWith('big') || type === 'serial8' ? 'bigint' : type.startsWith('small') || type === 'serial2' ? 'smallint' : 'integer';
      return [{ object: where, message: `${where} is ${type}: use ${identityType} GENERATED ALWAYS AS IDENTITY`, statement, table: table.qualified, onNewObject: false }];
    });
  },
);

const SMALL_INTEGERS = new Set(['int4', 'int2', 'serial', 'serial4', 'smallserial', 'serial2', 'integer', 'int', 'smallint']);

const preferBigintPrimaryKey = rule(
  'pg-prefer-bigint-primary-key',
  'warning',
  {
    summary: 'A primary key column of type integer or smallint.',
    why: 'An integer key runs out at 2,147,483,647: busy tables reach it, and widening a primary key later rewrites the table and every table referencing it, under locks.',
    instead: 'Use bigint for primary keys (bigint GENERATED ALWAYS AS IDENTITY); the 4 extra bytes per row are cheap compared with the migration they avoid.',
    examples: [
      {
        setup: '',
        bad: 'CREATE TABLE invoices (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total numeric NOT NULL);',
        alsoReports: ['write-blocking-lock'],
        safe: 'CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total numeric NOT NULL);',
      },
    ],
  },
  (step, statements) => {
    const findings: FindingDraft[] = [];
    const report = (table: TableRef, column: string, type: string, statement: SqlStatement): void => {
      const where = `${table.qualified}.${column}`;
      findings.push({ object: where, message: `primary key ${where} is ${type}: use bigint`, statement, table: table.qualified, onNewObject: false });
    };
    for (const { statement, node } of statements) {
      const create = nodeField(node, 'CreateStmt');
      if (create !== undefined) {
        const table = relationRef(step, create.relation);
        if (table === null) continue;
        const columns = new Map<string, ColumnDef>();
        const keys: string[] = [];
        for (const element of create.tableElts ?? []) {
          const column = nodeField(element, 'ColumnDef');
          if (column?.colname !== undefined) {
            columns.set(column.colname, column);
            if (columnConstraints(column).some((c) => c.contype === 'CONSTR_PRIMARY')) keys.push(column.colname);
          }
          const constraint = nodeField(element, 'Constraint');
          if (constraint?.contype === 'CONSTR_PRIMARY') keys.push(...(constraint.keys ?? []).flatMap((k) => stringValue(k) ?? []));
        }
        // A composite key of small integers is usually a join table's: the rule is about single-column surrogate keys.
        if (keys.length !== 1) continue;
        const type = typeNameOf(columns.get(keys[0]!)?.typeName);
        if (type !== null && SMALL_INTEGERS.has(type)) report(table, keys[0]!, displayType(type), statement);
        continue;
      }
      for (const added of addedConstraints(step, [{ statement, node }])) {
        if (added.constraint.contype !== 'CONSTR_PRIMARY') continue;
        const keys = added.column !== null ? [added.column] : (added.constraint.keys ?? []).flatMap((k) => stringValue(k) ?? []);
        if (keys.length !== 1) continue;
        const after = findTable(step.after, added.table.schema, added.table.name);
        const column = after?.columns.find((c) => c.name === keys[0]);
        if (column !== undefined && (column.type === 'integer' || column.type === 'smallint')) report(added.table, keys[0]!, column.type, statement);
      }
    }
    return findings;
  },
);

function displayType(type: string): string {
  return ({ int4: 'integer', int2: 'smallint', serial4: 'serial', serial2: 'smallserial' } as Record<string, string>)[type] ?? type;
}

/** The PostgreSQL statement rules, in the order their documentation lists them. */
export const POSTGRES_STATEMENT_RULES: StatementRule[] = [
  createIndexNotConcurrently,
  dropIndexNotConcurrently,
  reindexNotConcurrently,
  concurrentlyInTransaction,
  foreignKeyWithoutNotValid,
  checkWithoutNotValid,
  uniqueConstraintDirectly,
  primaryKeyDirectly,
  setNotNull,
  missingLockTimeout,
  missingStatementTimeout,
  addColumnVolatileDefault,
  setLoggedUnlogged,
  vacuumFull,
  cluster,
  refreshNotConcurrently,
  lockTable,
  transactionControl,
  truncateCascade,
  dropCascade,
  dropDatabase,
  rename,
  preferTimestamptz,
  preferText,
  charColumn,
  preferJsonb,
  preferIdentity,
  preferBigintPrimaryKey,
];
