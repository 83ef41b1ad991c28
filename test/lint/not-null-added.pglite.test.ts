import { describe, expect, it } from 'vitest';
import { lintSql, ruleIds } from '../support/lint.js';

/** The last step of the safe way to make a PostgreSQL column NOT NULL is not itself a hazard. */
describe('not-null-added on PGlite', () => {
  const timeouts = "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\n";
  const migration = `${timeouts}ALTER TABLE users ALTER COLUMN locale SET NOT NULL;`;
  const lint = (check: string) =>
    lintSql({
      engine: 'postgres',
      scratch: { kind: 'pglite' },
      setup: `CREATE TABLE users (id bigint PRIMARY KEY, locale text DEFAULT 'en');\nALTER TABLE users ADD CONSTRAINT users_locale_not_null CHECK (locale IS NOT NULL)${check};`,
      migration,
    });

  it('does not report SET NOT NULL behind a validated CHECK (column IS NOT NULL)', async () => {
    expect(ruleIds(await lint(''))).not.toContain('not-null-added');
  });

  it('reports SET NOT NULL while that CHECK is still NOT VALID', async () => {
    expect(ruleIds(await lint(' NOT VALID'))).toContain('not-null-added');
  });
});
