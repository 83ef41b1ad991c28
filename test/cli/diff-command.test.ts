import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { runCli } from '../support/cli.js';
import { libpqConnectionString } from '../support/postgres-cli.js';
import { postgresServer } from '../support/servers.js';

const work = mkdtempSync(join(tmpdir(), 'schemaguard-diff-cli-'));
const file = (name: string, text: string) => {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
};

// Two versions of a small SQLite schema: the .sql sides are loaded into throwaway databases.
const BEFORE = file(
  'before.sql',
  `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
   CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), total INTEGER NOT NULL);
   CREATE INDEX orders_user_idx ON orders (user_id);
   CREATE TABLE audit (id INTEGER PRIMARY KEY, note TEXT);`,
);
const AFTER = file(
  'after.sql',
  `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, created_at TEXT);
   CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), total INTEGER NOT NULL, status TEXT DEFAULT 'new');
   CREATE UNIQUE INDEX users_email_idx ON users (email);`,
);

describe('schemaguard diff', () => {
  it('exits 0 and says so when the schemas are equal', async () => {
    const result = await runCli(['diff', BEFORE, BEFORE, '--dialect', 'sqlite']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('no differences\n');
  });

  it('prints one line per difference, grouped by object, and exits 1', async () => {
    const result = await runCli(['diff', BEFORE, AFTER, '--dialect', 'sqlite']);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      'audit: table removed',
      'orders:',
      '  orders.status: column added',
      '  orders.orders_user_idx: index removed',
      'users:',
      '  users.created_at: column added',
      '  users.users_email_idx: index added',
      '5 differences (3 added, 2 removed)',
      '',
    ]);
  });

  it('writes the documented JSON change list', async () => {
    const result = await runCli(['diff', BEFORE, AFTER, '--dialect', 'sqlite', '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      format: 'schemaguard-diff',
      formatVersion: 1,
      equal: false,
      summary: { added: 3, removed: 2, renamed: 0, changed: 0 },
      from: { engine: 'sqlite' },
      to: { engine: 'sqlite' },
    });
    expect((report.changes as { action: string; kind: string; name: string; path: unknown }[])[1]).toMatchObject({
      action: 'added',
      kind: 'column',
      name: 'orders.status',
      path: { schema: 'main', table: 'orders', name: 'status' },
    });
  });

  it('writes Markdown with a Mermaid diagram of the changed tables and their neighbours', async () => {
    const result = await runCli(['diff', BEFORE, AFTER, '--dialect', 'sqlite', '--format', 'markdown']);
    expect(result.stdout).toContain('**5 differences**');
    expect(result.stdout).toContain('| ➕ | `users.created_at` | column | added |');
    expect(result.stdout).toContain('```mermaid\nerDiagram');
    expect(result.stdout).toContain('users ||--o{ orders');
  });

  it('writes SQL with destructive statements commented out, and runs them with --allow-destructive', async () => {
    const safe = await runCli(['diff', BEFORE, AFTER, '--dialect', 'sqlite', '--format', 'sql']);
    expect(safe.code).toBe(1);
    expect(safe.stdout).toMatch(/-- skipped \(destructive: .*audit.*\):\n-- DROP TABLE/);
    const all = await runCli(['diff', BEFORE, AFTER, '--dialect', 'sqlite', '--format', 'sql', '--allow-destructive']);
    expect(all.stdout).toMatch(/^DROP TABLE "?audit"?;$/m);
  });

  it('leaves out what --ignore and --ignore-kind name, and warns about a pattern that names nothing', async () => {
    const result = await runCli(['diff', BEFORE, AFTER, '--dialect', 'sqlite', '--ignore', 'audit', '--ignore-kind', 'indexes', '--ignore', 'no_such_*']);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('audit');
    expect(result.stdout).not.toContain('index');
    expect(result.stdout).toContain('2 differences (2 added)');
    expect(result.stderr).toContain('schemaguard: warning: --ignore "no_such_*" matched no object');
  });

  it('rejects an unknown --ignore-kind with the list of kinds', async () => {
    const result = await runCli(['diff', BEFORE, AFTER, '--dialect', 'sqlite', '--ignore-kind', 'colour']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown kind to ignore: "colour"/);
  });

  it('reads its ignore rules and format from schemaguard.yaml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schemaguard-config-'));
    writeFileSync(join(dir, 'schemaguard.yaml'), 'dialect: sqlite\ndiff:\n  format: json\n  ignore: [audit]\n  ignoreKinds: [indexes]\n');
    const result = await runCli(['diff', BEFORE, AFTER], { cwd: dir });
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as { summary: unknown }).summary).toEqual({ added: 2, removed: 0, renamed: 0, changed: 0 });
  });

  it('names the key and line of a bad config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schemaguard-config-'));
    writeFileSync(join(dir, 'schemaguard.yaml'), 'dialect: sqlite\ndiff:\n  format: text\n  ignoreKinds: [indexes, colour]\n');
    const result = await runCli(['diff', BEFORE, AFTER], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/schemaguard\.yaml:4: diff\.ignoreKinds\[1\]: /);
    const unknownKey = join(dir, 'other.yaml');
    writeFileSync(unknownKey, 'dialect: sqlite\ndif:\n  format: text\n');
    const second = await runCli(['--config', unknownKey, 'diff', BEFORE, AFTER]);
    expect(second.stderr).toMatch(/other\.yaml:\d*:? ?unknown key "dif"/);
  });

  it('writes the report to a file with -o, atomically', async () => {
    const out = join(work, 'report.json');
    const result = await runCli(['diff', BEFORE, AFTER, '--dialect', 'sqlite', '--format', 'json', '-o', out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ equal: false });
  });

  it('compares different engines on normalised types, reporting only real divergences', async () => {
    const postgres = file(
      'pg.sql',
      `CREATE TABLE users (id serial PRIMARY KEY, email varchar(200) NOT NULL UNIQUE, active boolean NOT NULL DEFAULT true);
       CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id integer NOT NULL REFERENCES users (id), total numeric(10,2));`,
    );
    const sqlite = file(
      'lite.sql',
      `CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL UNIQUE, active BOOLEAN NOT NULL DEFAULT 1);
       CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), total DECIMAL(10,3));`,
    );
    const pgSnapshot = join(work, 'pg.json');
    const liteSnapshot = join(work, 'lite.json');
    expect((await runCli(['snapshot', postgres, '--dialect', 'postgres', '-o', pgSnapshot])).code).toBe(0);
    expect((await runCli(['snapshot', sqlite, '--dialect', 'sqlite', '-o', liteSnapshot])).code).toBe(0);
    const result = await runCli(['diff', pgSnapshot, liteSnapshot]);
    expect(result.stderr).toContain('comparing postgres with sqlite on normalised types');
    expect(result.code).toBe(1);
    // orders.id is auto-numbered only on PostgreSQL (BIGINT PRIMARY KEY is no rowid alias), and total's scale differs.
    expect(result.stdout.split('\n').filter((line) => line.includes(':') && !line.endsWith(':'))).toEqual([
      '  orders.id: autoIncrement changed true → false',
      '  orders.total: type changed decimal(10,2) → decimal(10,3)',
    ]);
  });

  it('refuses SQL between engines, with a hint', async () => {
    const pgSnapshot = join(work, 'pg.json');
    const liteSnapshot = join(work, 'lite.json');
    const result = await runCli(['diff', pgSnapshot, liteSnapshot, '--format', 'sql']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--format sql needs two sides of the same engine/);
  });

  it('refuses a snapshot of another engine where one engine is expected', async () => {
    const liteSnapshot = join(work, 'lite.json');
    const result = await runCli(['snapshot', liteSnapshot, '--dialect', 'postgres']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is a sqlite schema, not postgres/);
  });
});

const server = await postgresServer();

describe.skipIf(!server.available)('schemaguard diff on live PostgreSQL databases', () => {
  let staging: ScratchDatabase;
  let production: ScratchDatabase;

  beforeAll(async () => {
    [staging, production] = await Promise.all([
      createScratchDatabase({ kind: 'server', url: server.url }),
      createScratchDatabase({ kind: 'server', url: server.url }),
    ]);
    const schema = 'CREATE TABLE film (id int PRIMARY KEY, title text NOT NULL); CREATE VIEW film_titles AS SELECT title FROM film;';
    await staging.connection.executeScript(`${schema} ALTER TABLE film ADD COLUMN rating text;`);
    await production.connection.executeScript(schema);
  });
  afterAll(async () => {
    await Promise.all([staging?.dispose(), production?.dispose()]);
  });

  const urlOf = (scratch: ScratchDatabase) => libpqConnectionString(scratch.url);

  it('names the drift between two live databases by qualified name', async () => {
    const result = await runCli(['diff', urlOf(production), urlOf(staging)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('public.film.rating: column added');
  });

  it('generates the SQL that reconciles them, which really does', async () => {
    const result = await runCli(['diff', urlOf(production), urlOf(staging), '--format', 'sql']);
    expect(result.stdout).toMatch(/^ALTER TABLE public\.film ADD COLUMN rating text;$/m);
    await production.connection.executeScript(result.stdout);
    expect((await runCli(['diff', urlOf(production), urlOf(staging)])).code).toBe(0);
  });

  it('stops a catalog read that takes longer than --timeout', async () => {
    // Another session holds the view exclusively: reading its definition must wait, and time out.
    const blocker = new pg.Client({ connectionString: urlOf(staging) });
    await blocker.connect();
    try {
      await blocker.query('BEGIN; LOCK TABLE film_titles IN ACCESS EXCLUSIVE MODE');
      const result = await runCli(['snapshot', urlOf(staging), '--timeout', '1']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/canceling statement due to statement timeout — raise --timeout/);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });
});
