import type { FindingDraft, StatementTrace, TraceRule } from '../lint-rule.js';

/**
 * Trace rules: what applying the migration did on a throwaway PostgreSQL database that holds
 * rows (src/checks/lint/lock-trace.ts). Tables are named as they were when the migration
 * began; a table the migration creates is not in `rowCounts`, and findings on it are
 * downgraded.
 */

/** Lock modes that block INSERT, UPDATE and DELETE (and are weaker than ACCESS EXCLUSIVE). */
const WRITE_BLOCKING = new Set(['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock']);
const ACCESS_EXCLUSIVE = 'AccessExclusiveLock';

interface FirstLock {
  readonly table: string;
  readonly mode: string;
  readonly trace: StatementTrace;
  /** Every table the same statement locked for the first time (this one included). */
  readonly alongside: readonly string[];
}

/** Where each (table, mode) lock was first held, in statement order. */
function firstLocks(traces: readonly StatementTrace[]): FirstLock[] {
  const seen = new Set<string>();
  const first: FirstLock[] = [];
  for (const trace of traces) {
    const taken = trace.locks.filter((lock) => !seen.has(`${lock.table}\u0000${lock.mode}`));
    for (const lock of taken) seen.add(`${lock.table}\u0000${lock.mode}`);
    const alongside = [...new Set(taken.map((lock) => lock.table))];
    first.push(...taken.map((lock) => ({ ...lock, trace, alongside })));
  }
  return first;
}

const rowsIn = (trace: StatementTrace, table: string) => trace.rowCounts.get(table) ?? 0;
const existed = (trace: StatementTrace, table: string) => trace.rowCounts.has(table);
const rows = (count: number) => `${count.toLocaleString('en-US')} row${count === 1 ? '' : 's'}`;

/** Tables an ACCESS EXCLUSIVE finding is reported for: tables that existed, with rows. */
function accessExclusive(traces: readonly StatementTrace[]) {
  return firstLocks(traces).filter((l) => l.mode === ACCESS_EXCLUSIVE && existed(l.trace, l.table) && rowsIn(l.trace, l.table) > 0);
}

export const accessExclusiveLock: TraceRule = {
  kind: 'trace',
  id: 'access-exclusive-lock',
  severity: 'error',
  engines: ['postgres'],
  docs: {
    summary: 'A statement takes an ACCESS EXCLUSIVE lock on a table that holds rows, and the migration holds it until it commits.',
    why: 'Nothing can read or write the table while the lock is held — and while the statement waits for it behind a long-running query, every query that comes after queues behind the statement. In a transactional migration the lock lasts until COMMIT, through every statement that follows.',
    instead: 'Use the forms that take weaker locks (CREATE INDEX CONCURRENTLY, ADD CONSTRAINT … NOT VALID then VALIDATE, a new column without a volatile default), set lock_timeout so the statement gives up instead of queueing everyone, and put each locking statement in a migration of its own.',
    examples: [
      {
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz);\nCREATE INDEX orders_created_at_idx ON orders (created_at);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nDROP INDEX orders_created_at_idx;",
        alsoReports: ['pg-drop-index-not-concurrently'],
        safe: "SET lock_timeout = '5s';\nDROP INDEX CONCURRENTLY orders_created_at_idx;",
        transactional: false,
      },
    ],
  },
  check: (_step, traces) =>
    accessExclusive(traces).map(
      (l): FindingDraft => ({
        object: l.table,
        message: `ACCESS EXCLUSIVE lock on ${l.table} (${rows(rowsIn(l.trace, l.table))} in the trace) until the migration commits: no reads or writes meanwhile`,
        statement: l.trace.statement,
        table: l.table,
        onNewObject: false,
      }),
    ),
};

export const tableRewritten: TraceRule = {
  kind: 'trace',
  id: 'table-rewritten',
  severity: 'warning',
  largeTableSeverity: 'error',
  engines: ['postgres'],
  docs: {
    summary: 'A statement rewrites a whole table (PostgreSQL gives it a new storage file).',
    why: 'Every row is copied while the table is locked against reads and writes; it takes time proportional to the table\'s size and needs that much free disk again. Seen in the trace, not guessed: changing a column type, adding a column with a volatile default (random(), clock_timestamp()), SET LOGGED, VACUUM FULL, CLUSTER.',
    instead: 'Add a new column (without a volatile default), backfill it in batches, and switch over; give new columns constant defaults (PostgreSQL 11+ stores those without a rewrite).',
    examples: [
      {
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(10,2));',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();",
        alsoReports: ['access-exclusive-lock', 'pg-add-column-volatile-default'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN public_id uuid;\n-- then: backfill in batches, SET DEFAULT gen_random_uuid(), and SET NOT NULL behind a validated CHECK",
      },
    ],
  },
  check: (step, traces) => {
    const seen = new Set<string>();
    const findings: FindingDraft[] = [];
    for (const trace of traces) {
      for (const table of trace.rewritten) {
        if (seen.has(table)) continue;
        seen.add(table);
        const isNew = !existed(trace, table) || step.createdHere.has(table);
        findings.push({
          object: table,
          message: isNew ? `table ${table} is rewritten (it is new: nothing to copy yet)` : `table ${table} is rewritten: every row is copied while the table is locked`,
          statement: trace.statement,
          table,
          onNewObject: isNew,
        });
      }
    }
    return findings;
  },
};

export const writeBlockingLock: TraceRule = {
  kind: 'trace',
  id: 'write-blocking-lock',
  severity: 'warning',
  engines: ['postgres'],
  docs: {
    summary: 'A statement takes a lock that blocks writes to a table (SHARE, SHARE ROW EXCLUSIVE or EXCLUSIVE) and holds it until the migration commits.',
    why: 'Reads go on, but every INSERT, UPDATE and DELETE on the table waits: CREATE INDEX holds SHARE for the whole index build, adding a foreign key or a trigger holds SHARE ROW EXCLUSIVE on both tables while existing rows are checked.',
    instead: 'CREATE INDEX CONCURRENTLY in a non-transactional migration; ADD CONSTRAINT … NOT VALID and VALIDATE CONSTRAINT later (SHARE UPDATE EXCLUSIVE, which lets writes through).',
    examples: [
      {
        setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(10,2));',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nCREATE INDEX orders_total_idx ON orders (total);",
        alsoReports: ['pg-create-index-not-concurrently'],
        safe: "SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY orders_total_idx ON orders (total);",
        transactional: false,
      },
    ],
  },
  check: (step, traces) => {
    const exclusive = new Set(accessExclusive(traces).map((l) => l.table));
    const seen = new Set<string>();
    const findings: FindingDraft[] = [];
    for (const lock of firstLocks(traces)) {
      if (!WRITE_BLOCKING.has(lock.mode) || exclusive.has(lock.table) || seen.has(lock.table)) continue;
      seen.add(lock.table);
      // A lock taken while creating or changing a table of this migration (its foreign key,
      // its trigger) is held only as long as the new, empty table takes: downgraded.
      const isNew = !existed(lock.trace, lock.table) || lock.alongside.some((other) => !existed(lock.trace, other) && step.createdHere.has(other));
      findings.push({
        object: lock.table,
        message: `${lock.mode.replace('Lock', '')} lock on ${lock.table}${existed(lock.trace, lock.table) ? ` (${rows(rowsIn(lock.trace, lock.table))} in the trace)` : ''} until the migration commits: writes wait`,
        statement: lock.trace.statement,
        table: lock.table,
        onNewObject: isNew,
      });
    }
    return findings;
  },
};

export const abortedTransaction: TraceRule = {
  kind: 'trace',
  id: 'aborted-transaction',
  severity: 'error',
  engines: ['postgres'],
  docs: {
    summary: 'A statement fails once the tables hold rows, and every statement after it runs in an aborted transaction.',
    why: 'The migration passed on an empty development database but fails in production, where the data is: a NOT NULL column without a default, a unique index over duplicates, a cast that a stored value does not survive. PostgreSQL then refuses every later statement of the transaction ("current transaction is aborted"), so only the first failure says what went wrong.',
    instead: 'Make the statement work on the data production holds: a default for the new column, a backfill before the constraint, a USING clause that converts every value. Load realistic rows with --seed to see it fail before production does.',
    examples: [
      {
        setup: 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text);',
        bad: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE accounts ADD COLUMN plan text NOT NULL;",
        alsoReports: ['column-added-not-null-without-default'],
        safe: "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free';",
      },
    ],
  },
  check: (_step, traces) => {
    const index = traces.findIndex((t) => t.error !== null);
    if (index < 0) return [];
    const cause = traces[index]!;
    const after = traces.slice(index + 1).filter((t) => t.error !== null).length;
    const tail = after === 0 ? '' : `; the ${after} statement${after === 1 ? '' : 's'} after it ran in the aborted transaction and failed too`;
    return [{ object: null, message: `fails on a database with rows: ${cause.error}${tail}`, statement: cause.statement, table: null, onNewObject: false }];
  },
};

export const TRACE_RULES: readonly TraceRule[] = [accessExclusiveLock, tableRewritten, writeBlockingLock, abortedTransaction];
