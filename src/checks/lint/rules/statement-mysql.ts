import type { StatementRule } from '../lint-rule.js';

/** MySQL and MariaDB statement rules (node-sql-parser): being written. */
export const MYSQL_STATEMENT_RULES: readonly StatementRule[] = [];
