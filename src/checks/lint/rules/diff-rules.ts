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
import { versionAtLeast } from '../../../core/version.js';

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
    examples: [
      {
        engines: ['sqlite', 'mysql'],
        setup: 'CREATE TABLE audit_log (id INTEGER PRIMARY KEY, message TEXT);',
        bad: 'DROP TABLE audit_log;',
        safe: '-- schemaguard:ignore table-dropped nothing has read audit_log since release 41 (#1234)\nDROP TABLE audit_log;',
      },
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE audit_log (id bigint PRIMARY KEY, message text);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nDROP TABLE audit_log;",
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\n-- schemaguard:ignore table-dropped nothing has read audit_log since release 41 (#1234)\nDROP TABLE audit_log;",
      },
    ],
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
    examples: [
      {
        engines: ['sqlite', 'mysql'],
        setup: 'CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(255), legacy_login VARCHAR(100));',
        bad: 'ALTER TABLE users DROP COLUMN legacy_login;',
        safe: '-- schemaguard:ignore column-dropped the ORM ignores legacy_login since release 52 (#1410)\nALTER TABLE users DROP COLUMN legacy_login;',
      },
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy_login text);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE users DROP COLUMN legacy_login;",
        alsoReports: ['access-exclusive-lock'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\n-- schemaguard:ignore column-dropped the ORM ignores legacy_login since release 52 (#1410)\nALTER TABLE users DROP COLUMN legacy_login;",
      },
    ],
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
    examples: [
      {
        setup: 'CREATE SCHEMA reporting;\nCREATE TABLE reporting.daily_totals (day date PRIMARY KEY, total numeric(12,2));',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nDROP SCHEMA reporting CASCADE;",
        alsoReports: ['pg-drop-cascade', 'table-dropped'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\n-- schemaguard:ignore table-dropped daily_totals moved to the warehouse in release 60 (#1502)\nDROP TABLE reporting.daily_totals;\n-- a later migration drops the empty schema, with a suppression",
      },
    ],
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
    examples: [
      {
        engines: ['sqlite', 'mysql'],
        setup: 'CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(255), active BOOLEAN);\nCREATE VIEW active_users AS SELECT id, email FROM users WHERE active;',
        bad: 'DROP VIEW active_users;',
        safe: '-- schemaguard:ignore view-dropped the admin dashboard stopped reading active_users in release 47\nDROP VIEW active_users;',
      },
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text, active BOOLEAN);\nCREATE VIEW active_users AS SELECT id, email FROM users WHERE active;',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nDROP VIEW active_users;",
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\n-- schemaguard:ignore view-dropped the admin dashboard stopped reading active_users in release 47\nDROP VIEW active_users;",
      },
    ],
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
    examples: [
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE order_lines (order_id bigint NOT NULL, amount numeric(10,2) NOT NULL);\nCREATE FUNCTION order_total(p_order integer) RETURNS numeric LANGUAGE sql AS $$ SELECT coalesce(sum(amount), 0) FROM order_lines WHERE order_id = p_order $$;',
        bad: 'DROP FUNCTION order_total(integer);\nCREATE FUNCTION order_total(p_order bigint) RETURNS numeric LANGUAGE sql AS $$ SELECT coalesce(sum(amount), 0) FROM order_lines WHERE order_id = p_order $$;',
        safe: '-- the bigint signature beside the old one; drop order_total(integer) once no caller uses it\nCREATE FUNCTION order_total(p_order bigint) RETURNS numeric LANGUAGE sql AS $$ SELECT coalesce(sum(amount), 0) FROM order_lines WHERE order_id = p_order $$;',
      },
      {
        engines: ['mysql'],
        setup: 'CREATE TABLE order_lines (order_id INT NOT NULL, amount DECIMAL(10,2) NOT NULL);\nCREATE FUNCTION order_total(p_order INT) RETURNS DECIMAL(12,2) READS SQL DATA RETURN (SELECT coalesce(sum(amount), 0) FROM order_lines WHERE order_id = p_order);',
        bad: 'DROP FUNCTION order_total;\nCREATE FUNCTION order_total(p_order BIGINT) RETURNS DECIMAL(12,2) READS SQL DATA RETURN (SELECT coalesce(sum(amount), 0) FROM order_lines WHERE order_id = p_order);',
        safe: '-- a new function beside the old one; drop order_total once no caller uses it\nCREATE FUNCTION order_total_v2(p_order BIGINT) RETURNS DECIMAL(12,2) READS SQL DATA RETURN (SELECT coalesce(sum(amount), 0) FROM order_lines WHERE order_id = p_order);',
      },
    ],
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
  // On MySQL/MariaDB mysql-column-type-changed and mysql-enum-set-changed say which changes
  // InnoDB makes in place and which copy the table: this rule would report both alike.
  engines: ['postgres', 'sqlite'],
  docs: {
    summary: 'A column changes type in a way that converts every row.',
    why: 'The engine rewrites the table (PostgreSQL, a SQLite rebuild; MySQL has its own rules, mysql-column-type-changed and mysql-enum-set-changed) and holds a lock that blocks reads and writes for as long as that takes; the running application may also send values of the old type.',
    instead: 'Add a column of the new type, fill it in batches (and keep it in sync with a trigger or in the application), switch reads to it, then drop the old column in a later release.',
    examples: [
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE events (id bigint PRIMARY KEY, account_id integer NOT NULL);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE events ALTER COLUMN account_id TYPE bigint;",
        alsoReports: ['access-exclusive-lock', 'table-rewritten'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE events ADD COLUMN account_id_new bigint;\n-- then: backfill in batches, switch reads, drop account_id in a later release",
      },
      {
        engines: ['sqlite'],
        setup: 'CREATE TABLE events (id INTEGER PRIMARY KEY, occurred_at INTEGER NOT NULL);',
        bad: "CREATE TABLE events_new (id INTEGER PRIMARY KEY, occurred_at TEXT NOT NULL);\nINSERT INTO events_new SELECT id, datetime(occurred_at, 'unixepoch') FROM events;\nDROP TABLE events;\nALTER TABLE events_new RENAME TO events;",
        safe: 'ALTER TABLE events ADD COLUMN occurred_at_text TEXT;\n-- then: backfill in batches, switch reads, drop occurred_at in a later release',
      },
    ],
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
    examples: [
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE products (id bigint PRIMARY KEY, price numeric(12,2) NOT NULL);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE products ALTER COLUMN price TYPE numeric(8,2);",
        alsoReports: ['access-exclusive-lock', 'table-rewritten'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE products ADD CONSTRAINT products_price_fits CHECK (price < 1000000) NOT VALID;\n-- narrow the column once VALIDATE CONSTRAINT shows every row fits",
      },
      {
        engines: ['mysql'],
        setup: 'CREATE TABLE products (id INT PRIMARY KEY, price DECIMAL(12,2) NOT NULL);',
        bad: 'ALTER TABLE products MODIFY price DECIMAL(8,2) NOT NULL;',
        alsoReports: ['mysql-column-type-changed'],
        safe: '-- schemaguard:ignore column-type-narrowed max(price) is 4 999.00 in production, checked 2024-05-02\nALTER TABLE products MODIFY price DECIMAL(8,2) NOT NULL;',
      },
      {
        engines: ['sqlite'],
        setup: 'CREATE TABLE products (id INTEGER PRIMARY KEY, price DECIMAL(12,2) NOT NULL);',
        bad: 'CREATE TABLE products_new (id INTEGER PRIMARY KEY, price DECIMAL(8,2) NOT NULL);\nINSERT INTO products_new SELECT id, price FROM products;\nDROP TABLE products;\nALTER TABLE products_new RENAME TO products;',
        safe: '-- schemaguard:ignore column-type-narrowed max(price) is 4 999.00 in production, checked 2024-05-02\nCREATE TABLE products_new (id INTEGER PRIMARY KEY, price DECIMAL(8,2) NOT NULL);\nINSERT INTO products_new SELECT id, price FROM products;\nDROP TABLE products;\nALTER TABLE products_new RENAME TO products;',
      },
    ],
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
    examples: [
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE users (id bigint PRIMARY KEY, locale text);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nUPDATE users SET locale = 'en' WHERE locale IS NULL;\nALTER TABLE users ALTER COLUMN locale SET NOT NULL;",
        alsoReports: ['access-exclusive-lock', 'pg-set-not-null'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE users ADD CONSTRAINT users_locale_not_null CHECK (locale IS NOT NULL) NOT VALID;\n-- next migration: VALIDATE CONSTRAINT users_locale_not_null; the one after: SET NOT NULL (no scan)",
      },
      {
        engines: ['mysql'],
        setup: 'CREATE TABLE users (id INT PRIMARY KEY, locale VARCHAR(10));',
        bad: "UPDATE users SET locale = 'en' WHERE locale IS NULL;\nALTER TABLE users MODIFY locale VARCHAR(10) NOT NULL;",
        safe: "UPDATE users SET locale = 'en' WHERE locale IS NULL;\n-- schemaguard:ignore not-null-added every release since 61 writes locale (#1533)\nALTER TABLE users MODIFY locale VARCHAR(10) NOT NULL;",
      },
      {
        engines: ['sqlite'],
        setup: 'CREATE TABLE users (id INTEGER PRIMARY KEY, locale TEXT);',
        bad: "CREATE TABLE users_new (id INTEGER PRIMARY KEY, locale TEXT NOT NULL);\nINSERT INTO users_new SELECT id, coalesce(locale, 'en') FROM users;\nDROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
        safe: "-- schemaguard:ignore not-null-added every release since 61 writes locale (#1533)\nCREATE TABLE users_new (id INTEGER PRIMARY KEY, locale TEXT NOT NULL);\nINSERT INTO users_new SELECT id, coalesce(locale, 'en') FROM users;\nDROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
      },
    ],
  },
  check: (step) => {
    const keyed = primaryKeyTables(step);
    return attributeChanges(step, 'column', 'nullable')
      .filter((c) => c.before === true && c.after === false)
      .filter((c) => !keyed.has(tableOf(step, c.path)!))
      .filter((c) => !provenNotNull(step, c.path.schema, c.path.table, c.path.name))
      .map((c) => draft(c.name, `column ${c.name} becomes NOT NULL: every row is checked under a lock, and one NULL fails the migration`, tableOf(step, c.path)));
  },
};

/**
 * PostgreSQL 12+ makes a column NOT NULL without scanning when a validated CHECK (column IS NOT
 * NULL) already holds, and that check already keeps NULLs out: the last step of the safe way.
 */
function provenNotNull(step: LintStep, schema: string | null, table: string | null, column: string | null): boolean {
  if (step.engine !== 'postgres' || !versionAtLeast(step.serverVersion, '12') || column === null) return false;
  const wanted = `${column.toLowerCase()} is not null`;
  const bare = (expression: string) => expression.toLowerCase().replace(/^check\s*/, '').replaceAll(/[()"]/g, '').replaceAll(/\s+/g, ' ').trim();
  return findTable(step.before, schema, table)?.checks.some((check) => check.validated && bare(check.expression) === wanted) ?? false;
}

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
    examples: [
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE accounts ADD COLUMN plan text NOT NULL;",
        alsoReports: ['aborted-transaction'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free';",
      },
      {
        engines: ['mysql'],
        setup: 'CREATE TABLE accounts (id INT PRIMARY KEY, name VARCHAR(100));',
        bad: 'ALTER TABLE accounts ADD COLUMN plan VARCHAR(20) NOT NULL;',
        safe: "ALTER TABLE accounts ADD COLUMN plan VARCHAR(20) NOT NULL DEFAULT 'free';",
      },
      {
        engines: ['sqlite'],
        setup: 'CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT);',
        bad: "CREATE TABLE accounts_new (id INTEGER PRIMARY KEY, name TEXT, plan TEXT NOT NULL);\nINSERT INTO accounts_new SELECT id, name, 'free' FROM accounts;\nDROP TABLE accounts;\nALTER TABLE accounts_new RENAME TO accounts;",
        safe: "ALTER TABLE accounts ADD COLUMN plan TEXT NOT NULL DEFAULT 'free';",
      },
    ],
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
    examples: [
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nCREATE UNIQUE INDEX users_email_key ON users (email);",
        alsoReports: ['pg-create-index-not-concurrently', 'write-blocking-lock'],
        safe: "SET lock_timeout = '5s';\n-- schemaguard:ignore unique-added no duplicate emails in production: checked with GROUP BY email HAVING count(*) > 1 (#1302)\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);",
        transactional: false,
      },
      {
        engines: ['mysql'],
        setup: 'CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(255));',
        bad: 'CREATE UNIQUE INDEX users_email_key ON users (email);',
        alsoReports: ['mysql-add-index-without-algorithm'],
        safe: '-- schemaguard:ignore unique-added no duplicate emails in production: checked with GROUP BY email HAVING count(*) > 1 (#1302)\nCREATE UNIQUE INDEX users_email_key ON users (email) ALGORITHM=INPLACE LOCK=NONE;',
      },
      {
        engines: ['sqlite'],
        setup: 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);',
        bad: 'CREATE UNIQUE INDEX users_email_key ON users (email);',
        safe: '-- schemaguard:ignore unique-added no duplicate emails in production: checked with GROUP BY email HAVING count(*) > 1 (#1302)\nCREATE UNIQUE INDEX users_email_key ON users (email);',
      },
    ],
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
    examples: [
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE order_lines (id bigint PRIMARY KEY, quantity integer NOT NULL);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE order_lines ADD CONSTRAINT order_lines_quantity_positive CHECK (quantity > 0);",
        alsoReports: ['access-exclusive-lock', 'pg-add-check-not-valid'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE order_lines ADD CONSTRAINT order_lines_quantity_positive CHECK (quantity > 0) NOT VALID;\n-- next migration: ALTER TABLE order_lines VALIDATE CONSTRAINT order_lines_quantity_positive;",
      },
      {
        engines: ['mysql'],
        setup: 'CREATE TABLE order_lines (id INT PRIMARY KEY, quantity INT NOT NULL);',
        bad: 'ALTER TABLE order_lines ADD CONSTRAINT order_lines_quantity_positive CHECK (quantity > 0);',
        safe: '-- schemaguard:ignore check-added no order line has quantity <= 0 in production, checked 2024-05-02\nALTER TABLE order_lines ADD CONSTRAINT order_lines_quantity_positive CHECK (quantity > 0);',
      },
      {
        engines: ['sqlite'],
        setup: 'CREATE TABLE order_lines (id INTEGER PRIMARY KEY, quantity INTEGER NOT NULL);',
        bad: 'CREATE TABLE order_lines_new (id INTEGER PRIMARY KEY, quantity INTEGER NOT NULL CHECK (quantity > 0));\nINSERT INTO order_lines_new SELECT id, quantity FROM order_lines;\nDROP TABLE order_lines;\nALTER TABLE order_lines_new RENAME TO order_lines;',
        safe: '-- schemaguard:ignore check-added no order line has quantity <= 0 in production, checked 2024-05-02\nCREATE TABLE order_lines_new (id INTEGER PRIMARY KEY, quantity INTEGER NOT NULL CHECK (quantity > 0));\nINSERT INTO order_lines_new SELECT id, quantity FROM order_lines;\nDROP TABLE order_lines;\nALTER TABLE order_lines_new RENAME TO order_lines;',
      },
    ],
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
    examples: [
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);",
        alsoReports: ['pg-add-foreign-key-not-valid', 'write-blocking-lock'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n-- next migration: ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;",
      },
      {
        engines: ['mysql'],
        setup: 'CREATE TABLE customers (id INT PRIMARY KEY);\nCREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL);',
        bad: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);',
        safe: '-- schemaguard:ignore foreign-key-added no order without its customer in production, checked 2024-05-02\nALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);',
      },
      {
        engines: ['sqlite'],
        setup: 'CREATE TABLE customers (id INTEGER PRIMARY KEY);\nCREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL);\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);',
        bad: 'CREATE TABLE orders_new (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id));\nINSERT INTO orders_new SELECT id, customer_id FROM orders;\nDROP TABLE orders;\nALTER TABLE orders_new RENAME TO orders;\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);',
        safe: '-- schemaguard:ignore foreign-key-added no order without its customer in production, checked 2024-05-02\nCREATE TABLE orders_new (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id));\nINSERT INTO orders_new SELECT id, customer_id FROM orders;\nDROP TABLE orders;\nALTER TABLE orders_new RENAME TO orders;\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);',
      },
    ],
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
    examples: [
      {
        engines: ['sqlite', 'mysql'],
        setup: 'CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(100));',
        bad: 'ALTER TABLE customers RENAME TO clients;',
        safe: '-- the new name as a view; rename once no deployed code uses customers\nCREATE VIEW clients AS SELECT id, name FROM customers;',
      },
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE customers (id bigint PRIMARY KEY, name text);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE customers RENAME TO clients;",
        alsoReports: ['access-exclusive-lock'],
        safe: '-- the new name as a view; rename once no deployed code uses customers\nCREATE VIEW clients AS SELECT id, name FROM customers;',
      },
    ],
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
    examples: [
      {
        engines: ['sqlite', 'mysql'],
        setup: 'CREATE TABLE users (id INTEGER PRIMARY KEY, nickname VARCHAR(100));',
        bad: 'ALTER TABLE users RENAME COLUMN nickname TO display_name;',
        safe: 'ALTER TABLE users ADD COLUMN display_name VARCHAR(100);\nUPDATE users SET display_name = nickname;\n-- write both until every release reads display_name; drop nickname later',
      },
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE users (id bigint PRIMARY KEY, nickname text);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE users RENAME COLUMN nickname TO display_name;",
        alsoReports: ['access-exclusive-lock'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE users ADD COLUMN display_name text;\nUPDATE users SET display_name = nickname;\n-- write both until every release reads display_name; drop nickname later",
      },
    ],
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
    examples: [
      {
        engines: ['postgres'],
        setup: "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'new');",
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending';",
        alsoReports: ['access-exclusive-lock'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\n-- schemaguard:ignore default-changed both deployed releases set status explicitly; 'pending' only affects manual inserts\nALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending';",
      },
      {
        engines: ['mysql'],
        setup: "CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(20) NOT NULL DEFAULT 'new');",
        bad: "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending';",
        safe: "-- schemaguard:ignore default-changed both deployed releases set status explicitly; 'pending' only affects manual inserts\nALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending';",
      },
      {
        engines: ['sqlite'],
        setup: "CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT NOT NULL DEFAULT 'new');",
        bad: "CREATE TABLE orders_new (id INTEGER PRIMARY KEY, status TEXT NOT NULL DEFAULT 'pending');\nINSERT INTO orders_new SELECT id, status FROM orders;\nDROP TABLE orders;\nALTER TABLE orders_new RENAME TO orders;",
        safe: "-- schemaguard:ignore default-changed both deployed releases set status explicitly; 'pending' only affects manual inserts\nCREATE TABLE orders_new (id INTEGER PRIMARY KEY, status TEXT NOT NULL DEFAULT 'pending');\nINSERT INTO orders_new SELECT id, status FROM orders;\nDROP TABLE orders;\nALTER TABLE orders_new RENAME TO orders;",
      },
    ],
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
    examples: [
      {
        engines: ['postgres'],
        setup: "CREATE TYPE order_status AS ENUM ('pending', 'paid', 'cancelled');\nCREATE TABLE orders (id bigint PRIMARY KEY, status order_status NOT NULL);",
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TYPE order_status RENAME TO order_status_old;\nCREATE TYPE order_status AS ENUM ('pending', 'paid');\nALTER TABLE orders ALTER COLUMN status TYPE order_status USING status::text::order_status;\nDROP TYPE order_status_old;",
        alsoReports: ['access-exclusive-lock', 'table-rewritten'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\n-- schemaguard:ignore enum-value-removed no order has been 'cancelled' since release 57 moved them to refunds\nALTER TYPE order_status RENAME TO order_status_old;\nCREATE TYPE order_status AS ENUM ('pending', 'paid');\nALTER TABLE orders ALTER COLUMN status TYPE order_status USING status::text::order_status;\nDROP TYPE order_status_old;",
      },
      {
        engines: ['mysql'],
        setup: "CREATE TABLE orders (id INT PRIMARY KEY, status ENUM('pending', 'paid', 'cancelled') NOT NULL);",
        bad: "ALTER TABLE orders MODIFY status ENUM('pending', 'paid') NOT NULL;",
        alsoReports: ['mysql-enum-set-changed'],
        safe: "-- schemaguard:ignore enum-value-removed no order has been 'cancelled' since release 57 moved them to refunds\nALTER TABLE orders MODIFY status ENUM('pending', 'paid') NOT NULL;",
      },
    ],
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
    examples: [
      {
        engines: ['postgres'],
        setup: "CREATE TYPE order_status AS ENUM ('pending', 'paid', 'cancelled');\nCREATE TABLE orders (id bigint PRIMARY KEY, status order_status NOT NULL);",
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TYPE order_status RENAME TO order_status_old;\nCREATE TYPE order_status AS ENUM ('pending', 'cancelled', 'paid');\nALTER TABLE orders ALTER COLUMN status TYPE order_status USING status::text::order_status;\nDROP TYPE order_status_old;",
        alsoReports: ['access-exclusive-lock', 'table-rewritten'],
        safe: "ALTER TYPE order_status ADD VALUE 'refunded';",
      },
      {
        engines: ['mysql'],
        setup: "CREATE TABLE orders (id INT PRIMARY KEY, status ENUM('pending', 'paid', 'cancelled') NOT NULL);",
        bad: "ALTER TABLE orders MODIFY status ENUM('pending', 'cancelled', 'paid') NOT NULL;",
        alsoReports: ['mysql-enum-set-changed'],
        safe: "ALTER TABLE orders MODIFY status ENUM('pending', 'paid', 'cancelled', 'refunded') NOT NULL;",
      },
    ],
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
    examples: [
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE order_items (order_id bigint NOT NULL, product_id bigint NOT NULL, quantity integer NOT NULL);\nCREATE UNIQUE INDEX order_items_order_product_key ON order_items (order_id, product_id);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE order_items ADD PRIMARY KEY (order_id, product_id);",
        alsoReports: ['access-exclusive-lock', 'pg-add-primary-key-without-index'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\n-- schemaguard:ignore primary-key-changed the unique index it uses was built CONCURRENTLY in 0052\nALTER TABLE order_items ADD CONSTRAINT order_items_pkey PRIMARY KEY USING INDEX order_items_order_product_key;",
      },
      {
        engines: ['mysql'],
        setup: 'CREATE TABLE order_items (order_id INT NOT NULL, product_id INT NOT NULL, quantity INT NOT NULL);',
        bad: 'ALTER TABLE order_items ADD PRIMARY KEY (order_id, product_id);',
        safe: '-- schemaguard:ignore primary-key-changed order_items has no duplicate (order_id, product_id), checked 2024-05-02\nALTER TABLE order_items ADD PRIMARY KEY (order_id, product_id);',
      },
      {
        engines: ['sqlite'],
        setup: 'CREATE TABLE order_items (order_id INTEGER NOT NULL, product_id INTEGER NOT NULL, quantity INTEGER NOT NULL);',
        bad: 'CREATE TABLE order_items_new (order_id INTEGER NOT NULL, product_id INTEGER NOT NULL, quantity INTEGER NOT NULL, PRIMARY KEY (order_id, product_id));\nINSERT INTO order_items_new SELECT order_id, product_id, quantity FROM order_items;\nDROP TABLE order_items;\nALTER TABLE order_items_new RENAME TO order_items;',
        safe: '-- schemaguard:ignore primary-key-changed order_items has no duplicate (order_id, product_id), checked 2024-05-02\nCREATE TABLE order_items_new (order_id INTEGER NOT NULL, product_id INTEGER NOT NULL, quantity INTEGER NOT NULL, PRIMARY KEY (order_id, product_id));\nINSERT INTO order_items_new SELECT order_id, product_id, quantity FROM order_items;\nDROP TABLE order_items;\nALTER TABLE order_items_new RENAME TO order_items;',
      },
    ],
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
    examples: [
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), created_at timestamptz);\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nDROP INDEX orders_customer_id_idx;",
        alsoReports: ['access-exclusive-lock', 'pg-drop-index-not-concurrently'],
        safe: "SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY orders_customer_id_created_at_idx ON orders (customer_id, created_at);\nDROP INDEX CONCURRENTLY orders_customer_id_idx;",
        transactional: false,
      },
      {
        engines: ['sqlite'],
        setup: 'CREATE TABLE customers (id INTEGER PRIMARY KEY);\nCREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), created_at TEXT);\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);',
        bad: 'DROP INDEX orders_customer_id_idx;',
        safe: 'CREATE INDEX orders_customer_id_created_at_idx ON orders (customer_id, created_at);\nDROP INDEX orders_customer_id_idx;',
      },
    ],
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
    examples: [
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nCREATE TABLE shipments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  order_id bigint NOT NULL REFERENCES orders (id)\n);",
        alsoReports: ['write-blocking-lock'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nCREATE TABLE shipments (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  order_id bigint NOT NULL REFERENCES orders (id)\n);\nCREATE INDEX shipments_order_id_idx ON shipments (order_id);",
      },
      {
        engines: ['sqlite'],
        setup: 'CREATE TABLE orders (id INTEGER PRIMARY KEY);',
        bad: 'CREATE TABLE shipments (\n  id INTEGER PRIMARY KEY,\n  order_id INTEGER NOT NULL REFERENCES orders (id)\n);',
        safe: 'CREATE TABLE shipments (\n  id INTEGER PRIMARY KEY,\n  order_id INTEGER NOT NULL REFERENCES orders (id)\n);\nCREATE INDEX shipments_order_id_idx ON shipments (order_id);',
      },
    ],
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
    examples: [
      {
        engines: ['sqlite'],
        setup: "CREATE TABLE orders (id INTEGER PRIMARY KEY, total NUMERIC, updated_at TEXT);\nCREATE TRIGGER orders_touch AFTER UPDATE OF total ON orders BEGIN UPDATE orders SET updated_at = datetime('now') WHERE id = NEW.id; END;",
        bad: 'DROP TRIGGER orders_touch;',
        safe: '-- schemaguard:ignore trigger-dropped the application sets updated_at itself since release 50\nDROP TRIGGER orders_touch;',
      },
      {
        engines: ['mysql'],
        setup: 'CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2), updated_at DATETIME);\nCREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW SET NEW.updated_at = NOW();',
        bad: 'DROP TRIGGER orders_touch;',
        safe: '-- schemaguard:ignore trigger-dropped the application sets updated_at itself since release 50\nDROP TRIGGER orders_touch;',
      },
      {
        engines: ['postgres'],
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(10,2), updated_at timestamptz);\nCREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;\nCREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nDROP TRIGGER orders_touch ON orders;",
        alsoReports: ['access-exclusive-lock'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\n-- schemaguard:ignore trigger-dropped the application sets updated_at itself since release 50\nDROP TRIGGER orders_touch ON orders;",
      },
    ],
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
    examples: [
      {
        setup: 'CREATE SEQUENCE invoice_number_seq;',
        bad: 'DROP SEQUENCE invoice_number_seq;',
        safe: '-- schemaguard:ignore sequence-dropped invoice numbers come from the billing service since release 44\nDROP SEQUENCE invoice_number_seq;',
      },
    ],
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
    examples: [
      {
        setup: "CREATE TYPE shipping_speed AS ENUM ('standard', 'express');",
        bad: 'DROP TYPE shipping_speed;',
        safe: '-- schemaguard:ignore type-dropped no column or function has used shipping_speed since release 38\nDROP TYPE shipping_speed;',
      },
    ],
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
    examples: [
      {
        setup: 'CREATE EXTENSION pg_trgm;',
        bad: 'DROP EXTENSION pg_trgm;',
        safe: '-- schemaguard:ignore extension-dropped the trigram search indexes went in release 58\nDROP EXTENSION pg_trgm;',
      },
    ],
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
