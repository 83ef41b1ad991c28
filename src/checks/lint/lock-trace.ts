import { redact } from '../../core/secret.js';
import { messageOf } from '../../core/errors.js';
import type { ScratchConnection } from '../../dialects/dialect.js';
import { readRelations, readSessionLocks, type PostgresRelation } from '../../dialects/postgres/postgres-lock-trace.js';
import type { SqlMigrationScript, SqlStatement } from '../../migrations/migration.js';
import { controlsItsTransaction } from '../../migrations/transaction-control.js';
import type { StatementTrace } from './lint-rule.js';

/**
 * The lock trace (PostgreSQL and PGlite): a migration applied statement by statement on a
 * database that holds rows, reading after each statement which table locks the session holds
 * and which tables got a new storage file (were rewritten).
 *
 * A transactional script runs inside one transaction, as migration tools run it: its locks
 * pile up until COMMIT, so "held after the statement" is what the rest of the migration holds
 * too. After a failing statement every later one fails as well (the transaction is aborted);
 * they are run anyway and recorded, so the report can name the first failure as the cause.
 * A non-transactional script runs each statement in a transaction of its own where PostgreSQL
 * allows one (to see its locks before they are released), else on its own (CREATE INDEX
 * CONCURRENTLY, VACUUM); it stops at its first failure, as the tools do. A script that runs its
 * own BEGIN and COMMIT runs as written.
 */

export interface ScriptTrace {
  readonly traces: readonly StatementTrace[];
  /** How the script ran. */
  readonly mode: 'wrapped' | 'script' | 'none';
  /**
   * The first failure, or null when the script applied. A wrapped script that failed was
   * rolled back; one of the other modes may have left part of its work behind.
   */
  readonly failure: { readonly statement: SqlStatement | null; readonly message: string } | null;
}

/** SQLSTATE 25001: the statement cannot run inside a transaction block. */
const IN_TRANSACTION_BLOCK = '25001';

export async function traceScript(connection: ScratchConnection, script: SqlMigrationScript, rowCounts: ReadonlyMap<string, number>): Promise<ScriptTrace> {
  const mode = controlsItsTransaction(script.statements, 'postgres') ? 'script' : script.transactional ? 'wrapped' : 'none';
  const db = connection.db;
  const run = (text: string) => connection.executeScript(text);
  /** Names as the migration began, by oid: a table renamed later is reported by the name production knows. */
  const names = new Map<string, string>();
  const remember = (relations: readonly PostgresRelation[]) => {
    for (const r of relations) if (!names.has(r.oid)) names.set(r.oid, `${r.schema}.${r.name}`);
  };
  let relations = await readRelations(db);
  remember(relations);
  const traces: StatementTrace[] = [];
  let failure: ScriptTrace['failure'] = null;

  /** Locks and rewrites after a statement that succeeded, from the session's own view. */
  const observe = async (statement: SqlStatement): Promise<StatementTrace> => {
    const [locks, now] = await Promise.all([readSessionLocks(db), readRelations(db)]);
    remember(now);
    const before = new Map(relations.map((r) => [r.oid, r.filenode]));
    const current = new Set(now.map((r) => r.oid));
    const rewritten = now.filter((r) => before.has(r.oid) && before.get(r.oid) !== r.filenode && r.filenode !== '0').map((r) => names.get(r.oid)!);
    relations = now;
    return {
      statement,
      // Locks on tables that still exist: the lock a DROP takes is the drop's own business.
      locks: locks.filter((l) => current.has(l.oid)).map((l) => ({ table: names.get(l.oid)!, mode: l.mode })),
      rewritten,
      rowCounts,
      error: null,
    };
  };
  const failed = (statement: SqlStatement, error: unknown): StatementTrace => ({ statement, locks: [], rewritten: [], rowCounts, error: redact(messageOf(error)).split('\n')[0]! });

  if (mode === 'wrapped') await run('BEGIN');
  for (const statement of script.statements) {
    if (mode === 'none') {
      const trace = await ownTransaction(connection, statement, observe, failed);
      traces.push(trace);
      if (trace.error !== null) {
        failure = { statement, message: trace.error };
        break;
      }
      continue;
    }
    try {
      await run(statement.text);
    } catch (error) {
      traces.push(failed(statement, error));
      failure ??= { statement, message: traces.at(-1)!.error! };
      continue;
    }
    // In a script's own transaction that failed, the trace queries fail too: nothing to read.
    traces.push(await observe(statement).catch((error: unknown) => failed(statement, error)));
  }
  if (mode === 'wrapped') {
    if (failure !== null) await run('ROLLBACK');
    else {
      try {
        await run('COMMIT');
      } catch (error) {
        await run('ROLLBACK').catch(() => {});
        failure = { statement: null, message: `the migration's transaction failed to commit: ${redact(messageOf(error)).split('\n')[0]}` };
      }
    }
  } else if (mode === 'script' && failure !== null) {
    await run('ROLLBACK').catch(() => {});
  }
  return { traces, mode, failure };
}

/** One statement of a non-transactional script: in a transaction of its own when PostgreSQL allows it. */
async function ownTransaction(
  connection: ScratchConnection,
  statement: SqlStatement,
  observe: (statement: SqlStatement) => Promise<StatementTrace>,
  failed: (statement: SqlStatement, error: unknown) => StatementTrace,
): Promise<StatementTrace> {
  await connection.executeScript('BEGIN');
  try {
    await connection.executeScript(statement.text);
  } catch (error) {
    await connection.executeScript('ROLLBACK');
    if (String((error as { code?: unknown }).code) !== IN_TRANSACTION_BLOCK) return failed(statement, error);
    try {
      await connection.executeScript(statement.text);
    } catch (bare) {
      return failed(statement, bare);
    }
    // Its locks are gone already; a rewrite still shows.
    return observe(statement);
  }
  const trace = await observe(statement);
  await connection.executeScript('COMMIT');
  return trace;
}
