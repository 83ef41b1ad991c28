import type { Engine } from './engine.js';
import { mysqlEquivalence } from './mysql/mysql-equivalence.js';
import { postgresEquivalence } from './postgres/postgres-equivalence.js';
import { sqliteEquivalence } from './sqlite/sqlite-equivalence.js';

/**
 * The engine hooks of the diff: spellings an engine treats as the same thing, which the
 * generic diff must not report. Everything else is compared exactly.
 */
export interface Equivalence {
  /** Two spellings of one column type (`int(11)` and `int` on MySQL 8). */
  sameType(a: string, b: string): boolean;
  /** Two spellings of one default expression (`current_timestamp()` and `CURRENT_TIMESTAMP`). */
  sameDefault(a: string | null, b: string | null): boolean;
  /**
   * What pairs an object with its counterpart, from the identity the diff gives it (a name,
   * `schema.name`…), where the engine compares names loosely: SQLite folds ASCII case, so
   * `Users` and `USERS` are one table whose name is spelled differently. Exact when absent.
   */
  identityKey?(identity: string): string;
}

const EQUIVALENCES: Record<Engine, Equivalence> = {
  postgres: postgresEquivalence,
  mysql: mysqlEquivalence,
  sqlite: sqliteEquivalence,
};

export function equivalenceFor(engine: Engine): Equivalence {
  return EQUIVALENCES[engine];
}
