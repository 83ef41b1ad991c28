import { messageOf, type SchemaguardError } from '../core/errors.js';
import { redact } from '../core/secret.js';
import type { ServerInfo } from '../dialects/engine.js';
import { errorAt } from './migration-errors.js';
import type { MigrationFile, SqlStatement } from './migration.js';

/**
 * What the drivers say when a statement fails, turned into one line naming the file and the
 * line of the file: PostgreSQL (pg and PGlite) give a character position inside the statement,
 * MySQL and MariaDB say `at line N` of the statement, SQLite says neither (the statement's
 * first line is named). A statement stopped by the session's statement timeout says so.
 *
 * These are the engines' error conventions (SQLSTATE, errno names); they are read here, next
 * to the only code that needs them, and would move to src/dialects if anything else did.
 */

/** SQLSTATE 57014 (PostgreSQL), ER_STATEMENT_TIMEOUT (MariaDB max_statement_time), ER_QUERY_TIMEOUT (MySQL max_execution_time). */
const TIMEOUT_CODES = new Set(['57014', 'ER_STATEMENT_TIMEOUT', 'ER_QUERY_TIMEOUT']);
/** The same by number: mysql2 names no code for MariaDB's 1969. */
const TIMEOUT_ERRNOS = new Set([1969, 3024]);
/** SQLSTATE 25001: CREATE INDEX CONCURRENTLY and friends inside a transaction block. */
const IN_TRANSACTION_CODE = '25001';

const NO_TRANSACTION_HINT =
  'run this migration outside a transaction: a .autocommit file (popx), -- +goose NO TRANSACTION, dbmate transaction:false, Flyway executeInTransaction=false, diesel run_in_transaction = false';

export interface FailureContext {
  readonly server: ServerInfo;
  /** The session's statement timeout, for the message when a statement reaches it. */
  readonly statementTimeoutMs: number | undefined;
}

export function statementFailure(file: MigrationFile, statement: SqlStatement, error: unknown, context: FailureContext): SchemaguardError {
  const code = String((error as { code?: unknown }).code ?? '');
  const errno = Number((error as { errno?: unknown }).errno);
  let message = redact(messageOf(error)).trim();
  let line = statement.line;
  const position = Number((error as { position?: unknown }).position);
  const mysqlLine = trailingLineNumber(message);
  if (Number.isInteger(position) && position > 0) {
    line += countNewlines(statement.text.slice(0, position - 1));
  } else if (mysqlLine !== null) {
    line += mysqlLine.line - 1;
    message = mysqlLine.rest;
  } else {
    line += sqliteNearLine(message, statement.text);
  }
  // One line: MySQL quotes the statement from the error on, newlines included.
  message = message.split('\n').map((part) => part.trim()).join(' ');
  if (TIMEOUT_CODES.has(code) || TIMEOUT_ERRNOS.has(errno)) {
    const limit = context.statementTimeoutMs === undefined ? '' : ` (${formatDuration(context.statementTimeoutMs)})`;
    return errorAt(file, line, `statement timeout${limit} reached: ${message}`, 'make the statement faster, or raise the statement timeout (--timeout)', error);
  }
  if (code === IN_TRANSACTION_CODE) return errorAt(file, line, message, NO_TRANSACTION_HINT, error);
  if (context.server.product === 'PGlite' && /extension/i.test(message)) {
    return errorAt(file, line, message, 'PGlite lacks this extension: run the check on a PostgreSQL server (--scratch postgres://…)', error);
  }
  return errorAt(file, line, message, `fix the statement, or check that the migration is written for ${context.server.product}`, error);
}

/** MySQL's `… near 'x' at line 3`: the statement line, and the message without it. */
function trailingLineNumber(message: string): { line: number; rest: string } | null {
  const marker = ' at line ';
  const at = message.lastIndexOf(marker);
  if (at < 0) return null;
  const digits = message.slice(at + marker.length);
  if (digits === '' || [...digits].some((ch) => ch < '0' || ch > '9')) return null;
  return { line: Number(digits), rest: message.slice(0, at) };
}

/**
 * SQLite says `near "INDX": syntax error` without a position: when the quoted text occurs once
 * in the statement, its line (relative to the statement's first); 0 otherwise.
 */
function sqliteNearLine(message: string, text: string): number {
  const prefix = 'near "';
  if (!message.startsWith(prefix)) return 0;
  const close = message.indexOf('": ', prefix.length);
  if (close < 0) return 0;
  const near = message.slice(prefix.length, close);
  const at = text.indexOf(near);
  if (near === '' || at < 0 || text.indexOf(near, at + 1) >= 0) return 0;
  return countNewlines(text.slice(0, at));
}

function countNewlines(text: string): number {
  let count = 0;
  for (const ch of text) if (ch === '\n') count += 1;
  return count;
}

function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
