import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLint } from '../../src/checks/lint/run-lint.js';
import { readMigrationSet } from '../../src/migrations/read-migrations.js';
import { lintSql, ruleIds } from '../support/lint.js';

describe('lint engine on SQLite', () => {
  it('reports a dropped column at the statement line, and a suppression with a reason accepts it', async () => {
    const setup = 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, nickname TEXT);';
    const bad = await lintSql({ engine: 'sqlite', scratch: { kind: 'sqlite' }, setup, migration: '\nALTER TABLE users DROP COLUMN nickname;\n' });
    expect(bad.findings).toEqual([expect.objectContaining({ rule: 'column-dropped', severity: 'error', object: 'users.nickname', line: 2 })]);
    const accepted = await lintSql({
      engine: 'sqlite',
      scratch: { kind: 'sqlite' },
      setup,
      migration: '-- schemaguard:ignore column-dropped unused since release 41\nALTER TABLE users DROP COLUMN nickname;\n',
    });
    expect(accepted.findings).toEqual([]);
    expect(accepted.suppressed).toEqual([{ rule: 'column-dropped', reason: 'unused since release 41' }]);
  });

  it('a suppression without a reason does not count', async () => {
    const result = await lintSql({
      engine: 'sqlite',
      scratch: { kind: 'sqlite' },
      setup: 'CREATE TABLE users (id INTEGER PRIMARY KEY, nickname TEXT);',
      migration: 'ALTER TABLE users DROP COLUMN nickname; -- schemaguard:ignore column-dropped\n',
    });
    expect(ruleIds(result)).toEqual(['column-dropped']);
    expect(result.findings[0]!.message).toMatch(/gives no reason/);
  });

  it('a rule set to off in the config reports nothing, and a severity override applies', async () => {
    const options = { engine: 'sqlite', scratch: { kind: 'sqlite' }, setup: 'CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);', migration: 'DROP TABLE t;' } as const;
    expect(ruleIds(await lintSql({ ...options, overrides: { 'table-dropped': 'off' } }))).toEqual([]);
    expect((await lintSql({ ...options, overrides: { 'table-dropped': 'warning' } })).findings.map((f) => f.severity)).toEqual(['warning']);
  });

  it('a migration that fails once the table holds a row is reported by fails-with-rows', async () => {
    const result = await lintSql({
      engine: 'sqlite',
      scratch: { kind: 'sqlite' },
      setup: 'CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);',
      migration: 'SELECT 1;\nCREATE UNIQUE INDEX t_one ON t ((1));\nINSERT INTO t (a) VALUES (\'x\');\n',
    });
    expect(ruleIds(result)).toContain('fails-with-rows');
    expect(result.findings.find((f) => f.rule === 'fails-with-rows')!.line).toBe(3);
  });

  it('places a finding of a table rebuild on the CREATE TABLE of the new table', async () => {
    const result = await lintSql({
      engine: 'sqlite',
      scratch: { kind: 'sqlite' },
      setup: 'CREATE TABLE users (id INTEGER PRIMARY KEY, locale TEXT);',
      migration:
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, locale TEXT NOT NULL);\nINSERT INTO users_new SELECT id, coalesce(locale, 'en') FROM users;\nDROP TABLE users;\nALTER TABLE users_new RENAME TO users;\n",
    });
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'not-null-added', object: 'users.locale', line: 1 })]);
  });
});

describe('lint engine on PGlite', () => {
  it('gets past a migration that fails on the rows, and the next one runs on rows again', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schemaguard-lint-'));
    try {
      writeFileSync(join(dir, '0001_users.up.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);');
      // Fails once users holds a row: a NOT NULL column without a default.
      writeFileSync(join(dir, '0002_locale.up.sql'), "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE users ADD COLUMN locale text NOT NULL;");
      writeFileSync(join(dir, '0003_nickname.up.sql'), "SET lock_timeout = '5s';\nSET statement_timeout = '30s';\nALTER TABLE users ADD COLUMN nickname text;");
      const set = await readMigrationSet(dir, { dialect: 'postgres', format: 'golang-migrate' });
      const result = await runLint(
        { set, scratch: { kind: 'pglite' }, statementTimeoutMs: 60_000, firstChecked: 1, severities: { overrides: {}, tableSizes: null, largeTable: 100_000 }, data: null, diff: {} },
        { step: () => {} },
      );
      const rules = result.migrations.map((m) => [...new Set(m.findings.map((f) => f.rule))].sort());
      expect(rules[0]).toContain('aborted-transaction');
      // users was emptied to apply 0002; it holds a row again when 0003 runs.
      expect(rules[1]).toEqual(['access-exclusive-lock']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
