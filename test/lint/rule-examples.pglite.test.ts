import { describeRuleExamples } from './rule-examples.js';

/**
 * Every PostgreSQL example runs on the server (rule-examples.postgres.test.ts). On PGlite, whose
 * instances take seconds each to start, the examples of the lock trace (pg_locks and
 * relfilenode read inside PGlite's single session) and one of each other kind of rule.
 */
const ON_PGLITE = new Set(['table-dropped', 'not-null-added', 'pg-create-index-not-concurrently', 'pg-concurrently-in-transaction', 'pg-add-column-volatile-default']);

describeRuleExamples('postgres', 'PGlite', { kind: 'pglite' }, '', (rule) => rule.kind === 'trace' || ON_PGLITE.has(rule.id));
