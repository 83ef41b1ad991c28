import type { Engine } from '../dialects/engine.js';
import type { SqlStatement } from './migration.js';
import { SqlLexer, type Token } from './sql-lexer.js';

/**
 * Whether a script runs its own transaction statements (BEGIN, START TRANSACTION, COMMIT,
 * END, ROLLBACK): such a script is run as written, never inside a transaction of ours (a
 * BEGIN inside one is an error on SQLite and a COMMIT would end ours early on PostgreSQL).
 */
export function controlsItsTransaction(statements: readonly SqlStatement[], dialect: Engine): boolean {
  return statements.some((statement) => isTransactionControl(statement.text, dialect));
}

/** BEGIN modifiers: `BEGIN NOT ATOMIC` (MariaDB) or `BEGIN ATOMIC` is a block, not a transaction. */
const BEGIN_FOLLOWERS = new Set(['', 'TRANSACTION', 'WORK', 'ISOLATION', 'READ', 'DEFERRED', 'IMMEDIATE', 'EXCLUSIVE']);

export function isTransactionControl(text: string, dialect: Engine): boolean {
  const lexer = new SqlLexer(text, dialect);
  const words: string[] = [];
  for (let token: Token | null = lexer.next(false); token !== null && words.length < 3; token = lexer.next(false)) {
    words.push(token.kind === 'word' ? token.text.toUpperCase() : token.text);
  }
  const [first = '', second = ''] = words;
  switch (first) {
    case 'BEGIN':
      return BEGIN_FOLLOWERS.has(second);
    case 'START':
      return second === 'TRANSACTION';
    case 'COMMIT':
      return true;
    case 'END':
      return second === '' || second === 'TRANSACTION' || second === 'WORK';
    case 'ROLLBACK':
      // ROLLBACK TO [SAVEPOINT] stays inside the transaction.
      return second !== 'TO';
    default:
      return false;
  }
}
