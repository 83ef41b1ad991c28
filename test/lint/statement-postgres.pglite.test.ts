import { describe, expect, it } from 'vitest';
import { lintSql, ruleIds } from '../support/lint.js';

/**
 * PostgreSQL statement rules where the safe case looks like the hazard: each migration runs on
 * PGlite with one generated row per table, as `migrate lint` runs it.
 */
const TIMEOUTS = "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\n";
const lint = (setup: string, migration: string) => lintSql({ engine: 'postgres', scratch: { kind: 'pglite' }, setup, migration });

describe('PostgreSQL statement rules on PGlite', () => {
  it('a foreign key on a new column without a default is not validated, so it is not reported', { timeout: 60_000 }, async () => {
    const setup = 'CREATE TABLE coupons (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY);';
    const plain = await lint(setup, `${TIMEOUTS}ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);`);
    expect(ruleIds(plain)).not.toContain('pg-add-foreign-key-not-valid');
    // With a default every row holds a value, and PostgreSQL checks each one.
    const defaulted = await lint(setup, `${TIMEOUTS}ALTER TABLE orders ADD COLUMN coupon_id bigint DEFAULT NULL REFERENCES coupons (id);`);
    expect(ruleIds(defaulted)).toContain('pg-add-foreign-key-not-valid');
  });

  it('a column type finding keeps its severity on a table the migration creates', { timeout: 60_000 }, async () => {
    const result = await lint('', 'CREATE TABLE sessions (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, expires_at timestamp NOT NULL);');
    expect(result.findings.filter((f) => f.rule === 'pg-prefer-timestamptz')).toEqual([expect.objectContaining({ severity: 'warning', object: 'public.sessions.expires_at', line: 1 })]);
  });

  it('ALTER TABLE … DROP COLUMN … CASCADE is reported, and the view it drops is placed on that statement', { timeout: 60_000 }, async () => {
    const setup = 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);\nCREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 1000;';
    const result = await lint(setup, `${TIMEOUTS}ALTER TABLE orders DROP COLUMN total CASCADE;`);
    expect(result.findings.filter((f) => f.rule === 'pg-drop-cascade' || f.rule === 'view-dropped').map((f) => [f.rule, f.object, f.line])).toEqual([
      ['view-dropped', 'public.big_orders', 3],
      ['pg-drop-cascade', 'public.orders.total', 3],
    ]);
  });

  it('DROP INDEX IF EXISTS of an index that is not there, and VALIDATE CONSTRAINT alone, report nothing', { timeout: 60_000 }, async () => {
    const setup = 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);\nALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;';
    const result = await lint(setup, 'DROP INDEX IF EXISTS orders_legacy_idx;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;');
    expect(ruleIds(result)).toEqual([]);
  });
});
