import { messageOf } from '../core/errors.js';
import { redact } from '../core/secret.js';
import type { ScratchConnection } from '../dialects/dialect.js';
import type { Engine } from '../dialects/engine.js';
import { errorAt } from './migration-errors.js';
import type { MigrationScript, ModuleMigrationScript, SqlMigrationScript } from './migration.js';
import { statementFailure } from './statement-failure.js';
import { controlsItsTransaction } from './transaction-control.js';

/**
 * Runs one migration script on a scratch database, statement by statement.
 *
 * A transactional script runs inside one transaction where the engine's DDL is transactional
 * (PostgreSQL, SQLite), so a failing migration leaves nothing behind; MySQL and MariaDB commit
 * each DDL statement implicitly, so there it runs statement by statement. A script that runs
 * its own BEGIN/COMMIT runs as written. Kysely modules get `up(db)`/`down(db)` inside a
 * transaction on the same engines, as Kysely's own migrator does.
 *
 * A failure is a SchemaguardError naming the file and line: `migrations/0042_add_index.up.sql:7:
 * syntax error at or near "INDX"`. Statements run through ScratchConnection.executeScript; a
 * scratch connection is one session (pools of one connection), which is what lets BEGIN and
 * COMMIT be statements of their own.
 */

export interface ApplyOptions {
  /** The statement timeout the connection was opened with, named when a statement reaches it. */
  readonly statementTimeoutMs?: number;
}

export interface AppliedScript {
  readonly statements: number;
  /** In one transaction of ours, in the script's own transaction statements, or none. */
  readonly transaction: 'wrapped' | 'script' | 'none';
}

/** Engines whose DDL takes part in transactions (MySQL commits before and after each DDL statement). */
const TRANSACTIONAL_DDL: Readonly<Record<Engine, boolean>> = { postgres: true, sqlite: true, mysql: false };

export async function applyMigrationScript(connection: ScratchConnection, script: MigrationScript, options: ApplyOptions = {}): Promise<AppliedScript> {
  return script.kind === 'sql' ? applySql(connection, script, options) : applyModule(connection, script);
}

async function applySql(connection: ScratchConnection, script: SqlMigrationScript, options: ApplyOptions): Promise<AppliedScript> {
  const transaction = controlsItsTransaction(script.statements, connection.engine)
    ? 'script'
    : script.transactional && TRANSACTIONAL_DDL[connection.engine]
      ? 'wrapped'
      : 'none';
  const context = { server: connection.server, statementTimeoutMs: options.statementTimeoutMs };
  if (transaction === 'wrapped') await connection.executeScript('BEGIN');
  for (const statement of script.statements) {
    try {
      await connection.executeScript(statement.text);
    } catch (error) {
      // Leave no half-applied migration (and no aborted transaction) behind.
      if (transaction !== 'none') await connection.executeScript('ROLLBACK').catch(() => {});
      throw statementFailure(script.file, statement, error, context);
    }
  }
  if (transaction === 'wrapped') {
    try {
      await connection.executeScript('COMMIT');
    } catch (error) {
      await connection.executeScript('ROLLBACK').catch(() => {});
      throw errorAt(script.file, null, `the migration's transaction failed to commit: ${redact(messageOf(error))}`, 'a deferred constraint may fail at commit: check the data the migration leaves', error);
    }
  }
  return { statements: script.statements.length, transaction };
}

async function applyModule(connection: ScratchConnection, script: ModuleMigrationScript): Promise<AppliedScript> {
  const wrapped = TRANSACTIONAL_DDL[connection.engine];
  try {
    if (wrapped) await connection.db.transaction().execute((trx) => script.run(trx));
    else await script.run(connection.db);
  } catch (error) {
    const message = redact(messageOf(error)).split('\n')[0]!;
    throw errorAt(script.file, lineInStack(error, script.file.path), `${script.exportName}() failed: ${message}`, 'fix the migration module (its stack trace shows with --debug)', error);
  }
  return { statements: 0, transaction: wrapped ? 'wrapped' : 'none' };
}

/** The line of `path` in the error's stack (tsx maps TypeScript lines back), or null. */
function lineInStack(error: unknown, path: string): number | null {
  const stack = (error as { stack?: unknown }).stack;
  if (typeof stack !== 'string') return null;
  const at = stack.indexOf(`${path}:`);
  if (at < 0) return null;
  let digits = '';
  for (const ch of stack.slice(at + path.length + 1)) {
    if (ch < '0' || ch > '9') break;
    digits += ch;
  }
  return digits === '' ? null : Number(digits);
}
