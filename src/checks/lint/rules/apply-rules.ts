import { ENGINES } from '../../../dialects/engine.js';
import type { ApplyRule } from '../lint-rule.js';

/**
 * Apply rules: what the lint engine saw when a migration did not apply to a throwaway database
 * whose tables hold rows. On PostgreSQL a SQL migration runs under the lock trace, where
 * `aborted-transaction` reports the same failure with the statements after it; this rule
 * covers the others (MySQL, SQLite, Kysely modules).
 */
export const failsWithRows: ApplyRule = {
  kind: 'apply',
  id: 'fails-with-rows',
  severity: 'error',
  engines: ENGINES,
  docs: {
    summary: 'The migration fails once the tables it changes hold rows.',
    why: 'It applied on an empty development database, but production has data: a NOT NULL column without a default, a unique index over duplicate values, a CHECK or a cast that a stored value breaks. On MySQL the statements before the failing one stay applied (DDL commits on its own), so the database is left half migrated.',
    instead: 'Make the migration work on the data production holds: a default for the new column, a backfill before the constraint, a conversion that every stored value survives. Load realistic rows with --seed to see it fail before production does.',
    examples: [
      {
        engines: ['sqlite'],
        setup: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\nINSERT INTO users (id, email) VALUES (101, 'ann@example.com'), (102, 'ann@example.com');",
        bad: 'CREATE UNIQUE INDEX users_email_key ON users (email);',
        safe: 'DELETE FROM users WHERE id NOT IN (SELECT min(id) FROM users GROUP BY email);\nCREATE UNIQUE INDEX users_email_key ON users (email);',
      },
      {
        engines: ['mysql'],
        setup: "CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(255));\nINSERT INTO users (id, email) VALUES (101, 'ann@example.com'), (102, 'ann@example.com');",
        bad: 'CREATE UNIQUE INDEX users_email_key ON users (email) ALGORITHM=INPLACE LOCK=NONE;',
        safe: 'DELETE duplicate FROM users duplicate JOIN users kept ON kept.email = duplicate.email AND kept.id < duplicate.id;\nCREATE UNIQUE INDEX users_email_key ON users (email) ALGORITHM=INPLACE LOCK=NONE;',
      },
    ],
  },
  check: (_step, failure) => [{ object: null, message: `fails on a database whose tables hold rows: ${failure.message}`, statement: failure.statement, table: null, onNewObject: false }],
};

export const APPLY_RULES: readonly ApplyRule[] = [failsWithRows];
