import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScratchConnection } from '../../src/dialects/dialect.js';
import type { Engine } from '../../src/dialects/engine.js';
import { splitScript } from '../../src/dialects/sqlite/sqlite-script.js';
import { applyMigrationScript } from '../../src/migrations/apply-migration.js';
import type { MigrationSet } from '../../src/migrations/migration.js';
import { readMigrationSet } from '../../src/migrations/read-migrations.js';
import { splitStatements } from '../../src/migrations/split-statements.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';
import { readFileSync } from 'node:fs';
import { psqlCount, psqlLoad } from '../support/postgres-cli.js';
import { mysqlServer, postgresServer } from '../support/servers.js';

/**
 * Migration folders of real projects (../shared/corpus): read and split every file, check the
 * counts against what the file names say (counted here, independently of the readers), and
 * apply them up and down on real databases.
 */

const pg = await postgresServer();
const mysql = await mysqlServer();
const KRATOS = corpusPath('ory-kratos/persistence/sql/migrations/sql');

const scratches: ScratchDatabase[] = [];
afterAll(async () => {
  await Promise.all(scratches.map((scratch) => scratch.dispose()));
});
async function scratch(target: ScratchTarget): Promise<ScratchConnection> {
  const database = await createScratchDatabase(target, { statementTimeoutMs: 60_000 });
  scratches.push(database);
  return database.connection;
}

async function userTables(connection: ScratchConnection, schema = 'public'): Promise<string[]> {
  const query: Record<Engine, string> = {
    postgres: `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = '${schema}'`,
    mysql: 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
    sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
  };
  const { rows } = await sql.raw<{ name: string }>(query[connection.engine]).execute(connection.db);
  return rows.map((row) => row.name).sort();
}

async function upThenDown(connection: ScratchConnection, set: MigrationSet, until?: string): Promise<{ afterUp: string[]; afterDown: string[] }> {
  const migrations = until === undefined ? set.migrations : set.migrations.filter((m) => m.version.text < until);
  for (const migration of migrations) await applyMigrationScript(connection, migration.up);
  const afterUp = await userTables(connection);
  for (const migration of [...migrations].reverse()) if (migration.down !== null) await applyMigrationScript(connection, migration.down);
  return { afterUp, afterDown: await userTables(connection) };
}

/** Versions having an up file for the dialect (its own or a neutral one), from the file names alone. */
function kratosVersions(suffixes: readonly string[]): Set<string> {
  const others = ['postgres', 'mysql', 'sqlite3', 'sqlite', 'cockroach'].filter((d) => !suffixes.includes(d));
  return new Set(
    readdirSync(KRATOS)
      .filter((name) => name.endsWith('.up.sql') && !others.some((d) => name.includes(`.${d}.`)))
      .map((name) => name.slice(0, name.indexOf('_'))),
  );
}

describe.skipIf(!corpusAvailable)('ory kratos (popx layout: dialect files, .autocommit, empty no-ops)', () => {
  it('holds the files the corpus README counts', () => {
    const files = readdirSync(KRATOS);
    expect(files.filter((f) => f.endsWith('.up.sql'))).toHaveLength(1310);
    expect(files.filter((f) => f.endsWith('.down.sql'))).toHaveLength(1304);
  });

  it.each([
    ['postgres', ['postgres'], 346, 10],
    ['mysql', ['mysql'], 352, 2],
    ['sqlite', ['sqlite3', 'sqlite'], 694, 8],
  ] as const)('reads one migration per version for %s, every one with a down', async (dialect, suffixes, count, outsideTransaction) => {
    const set = await readMigrationSet(KRATOS, { dialect });
    expect(set.format).toBe('golang-migrate');
    const versions = kratosVersions(suffixes);
    expect(versions.size).toBe(count);
    expect(set.migrations.map((m) => m.version.text)).toEqual([...versions].sort());
    expect(set.migrations.filter((m) => m.down === null)).toEqual([]);
    // A dialect file wins over a neutral .autocommit one (popx drops "all" when a specific file exists).
    expect(set.migrations.filter((m) => m.up.kind === 'sql' && !m.up.transactional)).toHaveLength(outsideTransaction);
    expect(set.notes).toEqual([]);
  });

  it('applies every SQLite migration up and down', async () => {
    const set = await readMigrationSet(KRATOS, { dialect: 'sqlite' });
    const { afterUp, afterDown } = await upThenDown(await scratch({ kind: 'sqlite' }), set);
    expect(afterUp).toContain('identities');
    expect(afterUp).toContain('courier_messages');
    expect(afterDown).toEqual([]);
  });

  it.skipIf(!pg.available)('applies every PostgreSQL migration up and down on the server', async () => {
    const set = await readMigrationSet(KRATOS, { dialect: 'postgres' });
    const { afterUp, afterDown } = await upThenDown(await scratch({ kind: 'server', url: pg.url }), set);
    expect(afterUp).toContain('identities');
    expect(afterDown).toEqual([]);
  });

  it.skipIf(!mysql.available)('applies the MySQL migrations MariaDB accepts up and down', async () => {
    const set = await readMigrationSet(KRATOS, { dialect: 'mysql' });
    const connection = await scratch({ kind: 'server', url: mysql.url });
    // kratos' MySQL migrations insert rows without their NOT NULL DATETIME columns: they were
    // written for a non-strict sql_mode. From 20260408 on they use functional generated
    // columns that only MySQL 8 takes.
    await connection.executeScript("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'");
    const { afterUp, afterDown } = await upThenDown(connection, set, '20260408000000000000');
    expect(afterUp).toContain('identities');
    expect(afterDown).toEqual([]);
  });
});

describe.skipIf(!corpusAvailable)('netlify gotrue (golang-migrate, MySQL, Namespace → empty)', () => {
  const folder = corpusPath('netlify-gotrue/migrations');

  it('reads 7 migrations with downs, and notes schema.sql as no migration', async () => {
    const set = await readMigrationSet(folder, { dialect: 'mysql', variables: { Namespace: '' } });
    expect(set.migrations).toHaveLength(readdirSync(folder).filter((f) => f.endsWith('.up.sql')).length);
    expect(set.migrations).toHaveLength(7);
    expect(set.migrations.every((m) => m.down !== null)).toBe(true);
    expect(set.notes.map((n) => relative(folder, n.file.path))).toEqual(['schema.sql']);
    const first = set.migrations[0]!.up;
    expect(first.kind === 'sql' && first.statements[0]!.text.startsWith('CREATE TABLE IF NOT EXISTS `users`')).toBe(true);
  });

  it.skipIf(!mysql.available)('applies up and down on MariaDB', async () => {
    const set = await readMigrationSet(folder, { dialect: 'mysql', variables: { Namespace: '' } });
    const { afterUp, afterDown } = await upThenDown(await scratch({ kind: 'server', url: mysql.url }), set);
    expect(afterUp).toEqual(['audit_log_entries', 'instances', 'refresh_tokens', 'users']);
    expect(afterDown).toEqual([]);
  });
});

describe.skipIf(!corpusAvailable)('supabase auth (golang-migrate, up only, Namespace → auth)', () => {
  const folder = corpusPath('supabase-auth/migrations');

  it('reads 70 up-only migrations, the .postgres.up.sql one included', async () => {
    const set = await readMigrationSet(folder, { dialect: 'postgres', variables: { Namespace: 'auth' } });
    expect(set.migrations).toHaveLength(readdirSync(folder).filter((f) => f.endsWith('.up.sql')).length);
    expect(set.migrations).toHaveLength(70);
    expect(set.migrations.filter((m) => m.down !== null)).toEqual([]);
    expect(set.migrations.map((m) => m.version.text).slice(0, 2)).toEqual(['00', '20210710035447']);
    expect(set.migrations.some((m) => m.up.file.path.endsWith('_add_ip_address_to_audit_log.postgres.up.sql'))).toBe(true);
    const statements = set.migrations.flatMap((m) => (m.up.kind === 'sql' ? m.up.statements : []));
    expect(statements.some((s) => s.text.includes('{{'))).toBe(false);
  });

  it('without variables, notes the placeholders and leaves them', async () => {
    const set = await readMigrationSet(folder, { dialect: 'postgres' });
    expect(set.notes.length).toBeGreaterThan(60);
    expect(set.notes[0]!.message).toMatch(/^\{\{ index \.Options "Namespace" \}\} looks like a Go template placeholder/);
  });

  it('applies every migration on PGlite (the auth schema made first, as supabase does)', async () => {
    const set = await readMigrationSet(folder, { dialect: 'postgres', variables: { Namespace: 'auth' } });
    const connection = await scratch({ kind: 'pglite' });
    await connection.executeScript('CREATE SCHEMA auth');
    for (const migration of set.migrations) await applyMigrationScript(connection, migration.up);
    const tables = await userTables(connection, 'auth');
    expect(tables).toContain('users');
    expect(tables).toContain('sessions');
    expect(tables).toContain('mfa_factors');
  });
});

/** Every .sql file under a folder, relative paths. */
function sqlFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.sql')) out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

describe.skipIf(!corpusAvailable)('temporal (versioned folders with manifest.json: a format of its own)', () => {
  const root = corpusPath('temporal/schema');
  const dialectOf = (path: string): Engine => (path.startsWith('mysql') ? 'mysql' : path.startsWith('postgresql') ? 'postgres' : 'sqlite');

  it('is no format schemaguard reads: a versioned folder is refused with the formats looked for', async () => {
    await expect(readMigrationSet(join(root, 'postgresql/v12/temporal/versioned/v1.1'), { dialect: 'postgres' })).rejects.toThrow(/^cannot tell the migration format of .*: no file looks like golang-migrate/);
  });

  it('splits every file without failing', () => {
    const files = sqlFiles(root);
    expect(files).toHaveLength(108);
    for (const file of files) {
      const split = splitStatements(readFileSync(join(root, file), 'utf8'), dialectOf(file));
      expect(split.statements.length, file).toBeGreaterThan(0);
    }
  });

  it("cuts the SQLite files into as many statements as schemaguard's SQLite script reader", () => {
    for (const file of sqlFiles(root).filter((f) => dialectOf(f) === 'sqlite')) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(splitStatements(text, 'sqlite').statements.map((s) => s.line), file).toEqual(splitScript(text).map((s) => s.line));
    }
  });

  it.skipIf(!pg.available)('applies the PostgreSQL schemas statement by statement to the same tables psql makes of the whole file', async () => {
    for (const file of ['postgresql/v12/temporal/schema.sql', 'postgresql/v12/visibility/schema.sql']) {
      const text = readFileSync(join(root, file), 'utf8');
      const ours = await createScratchDatabase({ kind: 'server', url: pg.url });
      const theirs = await createScratchDatabase({ kind: 'server', url: pg.url });
      scratches.push(ours, theirs);
      for (const statement of splitStatements(text, 'postgres').statements) await ours.connection.executeScript(statement.text);
      expect(psqlLoad(theirs.url, text).errors, file).toEqual([]);
      const count = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'";
      expect(psqlCount(ours.url, count), file).toBe(psqlCount(theirs.url, count));
      expect(psqlCount(ours.url, count), file).toBeGreaterThan(0);
    }
  });
});
