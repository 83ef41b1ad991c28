import { describe, expect, it } from 'vitest';
import { TableSizes } from '../../src/checks/lint/table-sizes.js';
import { lintSql, type LintSqlOptions } from '../support/lint.js';

/**
 * How a finding's severity follows its context: an object the migration itself created has
 * nothing to lock or rewrite (one level down), and `--table-sizes` weighs a finding by the
 * production size of its table (large: the rule's level or its largeTableSeverity; small: one
 * level down). The diff rules never report on a table created in the same migration, so the
 * downgrade and the raise to largeTableSeverity are shown with the lock trace, on PGlite.
 */

const sqlite = (options: Omit<LintSqlOptions, 'engine' | 'scratch'>) => lintSql({ engine: 'sqlite', scratch: { kind: 'sqlite' }, ...options });
const pglite = (options: Omit<LintSqlOptions, 'engine' | 'scratch'>) => lintSql({ engine: 'postgres', scratch: { kind: 'pglite' }, ...options });

const severityOf = (result: Awaited<ReturnType<typeof lintSql>>, rule: string) => result.findings.filter((f) => f.rule === rule).map((f) => `${f.object}: ${f.severity}`);

describe('finding severity on SQLite, with table sizes', () => {
  const setup = 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, nickname TEXT);';
  const migration = 'ALTER TABLE users DROP COLUMN nickname;';

  it('keeps the rule severity without table sizes', async () => {
    expect(severityOf(await sqlite({ setup, migration }), 'column-dropped')).toEqual(['users.nickname: error']);
  });

  it('keeps a finding on a large table at the rule level', async () => {
    const result = await sqlite({ setup, migration, tableSizes: new TableSizes('test', [['users', 5_000_000]]) });
    expect(severityOf(result, 'column-dropped')).toEqual(['users.nickname: error']);
  });

  it('lowers a finding on a small table one level', async () => {
    const result = await sqlite({ setup, migration, tableSizes: new TableSizes('test', [['users', 80]]) });
    expect(severityOf(result, 'column-dropped')).toEqual(['users.nickname: warning']);
  });

  it('counts a table as large from --large-table rows on', async () => {
    const sizes = new TableSizes('test', [['users', 5_000_000]]);
    expect(severityOf(await sqlite({ setup, migration, tableSizes: sizes, largeTable: 10_000_000 }), 'column-dropped')).toEqual(['users.nickname: warning']);
    expect(severityOf(await sqlite({ setup, migration, tableSizes: sizes, largeTable: 5_000_000 }), 'column-dropped')).toEqual(['users.nickname: error']);
  });

  it('leaves a finding alone when the sizes do not name its table', async () => {
    const result = await sqlite({ setup, migration, tableSizes: new TableSizes('test', [['orders', 5_000_000]]) });
    expect(severityOf(result, 'column-dropped')).toEqual(['users.nickname: error']);
  });
});

describe('finding severity on PGlite: new objects and largeTableSeverity', () => {
  const timeouts = "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\n";

  it('downgrades a finding on a table created in the same migration one level', async () => {
    const setup = 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(10,2));';
    const existing = await pglite({ setup, migration: `${timeouts}CREATE INDEX orders_total_idx ON orders (total);` });
    expect(severityOf(existing, 'write-blocking-lock')).toEqual(['public.orders: warning']);
    const created = await pglite({ setup, migration: `${timeouts}CREATE TABLE refunds (id bigint PRIMARY KEY, amount numeric(10,2));\nCREATE INDEX refunds_amount_idx ON refunds (amount);` });
    expect(severityOf(created, 'write-blocking-lock')).toEqual(['public.refunds: info']);
  });

  it('raises a rewrite of a large table to the rule largeTableSeverity, and lowers one of a small table', async () => {
    const setup = 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(10,2));';
    const migration = `${timeouts}ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();`;
    expect(severityOf(await pglite({ setup, migration }), 'table-rewritten')).toEqual(['public.orders: warning']);
    expect(severityOf(await pglite({ setup, migration, tableSizes: new TableSizes('test', [['public.orders', 5_000_000]]) }), 'table-rewritten')).toEqual(['public.orders: error']);
    expect(severityOf(await pglite({ setup, migration, tableSizes: new TableSizes('test', [['orders', 80]]) }), 'table-rewritten')).toEqual(['public.orders: info']);
  });
});
