import type { LintRule } from '../lint-rule.js';
import { APPLY_RULES } from './apply-rules.js';
import { DIFF_RULES } from './diff-rules.js';
import { MYSQL_STATEMENT_RULES } from './statement-mysql.js';
import { POSTGRES_STATEMENT_RULES } from './statement-postgres.js';
import { TRACE_RULES } from './trace-rules.js';

/** Every lint rule, in the order docs/lint.md lists them. Ids are unique (a test holds it). */
export const ALL_RULES: readonly LintRule[] = [...DIFF_RULES, ...TRACE_RULES, ...APPLY_RULES, ...POSTGRES_STATEMENT_RULES, ...MYSQL_STATEMENT_RULES];

const BY_ID = new Map(ALL_RULES.map((rule) => [rule.id, rule]));

export function ruleById(id: string): LintRule | undefined {
  return BY_ID.get(id);
}
