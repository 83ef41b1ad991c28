import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openServerAdmin } from '../../src/dialects/server-admin.js';
import { openDatabase } from '../../src/dialects/connect.js';
import type { ServerUrl } from '../../src/dialects/database-url.js';
import { createScratchDatabase, withScratchDatabase } from '../../src/scratch/scratch-database.js';
import { newScratchName, scratchCreatedAt, SCRATCH_PREFIX } from '../../src/scratch/scratch-name.js';
import { defaultScratchTarget, scratchTargetFromUrl } from '../../src/scratch/scratch-target.js';
import { parseDatabaseUrl } from '../../src/dialects/database-url.js';
import { PROJECT_ROOT, runCli } from '../support/cli.js';
import { mysqlServer, postgresServer } from '../support/servers.js';

const pg = await postgresServer();
const my = await mysqlServer();

async function databaseExists(url: ServerUrl, name: string): Promise<boolean> {
  const admin = await openServerAdmin(url);
  try {
    return (await admin.listDatabases(name)).includes(name);
  } finally {
    await admin.close();
  }
}

describe('scratch names', () => {
  it('carry their creation time, so gc can tell old from new', () => {
    const now = new Date('2026-11-25T13:54:08.123Z');
    const name = newScratchName(now);
    expect(name).toMatch(/^schemaguard_20261125t135408_[0-9a-f]{6}$/);
    expect(scratchCreatedAt(name)?.toISOString()).toBe('2026-11-25T13:54:08.000Z');
    expect(scratchCreatedAt('schemaguard_notatime')).toBeNull();
    expect(scratchCreatedAt('app_production')).toBeNull();
  });

  it('are unique even within one second', () => {
    const now = new Date();
    expect(new Set(Array.from({ length: 50 }, () => newScratchName(now))).size).toBe(50);
  });
});

describe('scratch targets', () => {
  it('accept server URLs, pglite: and sqlite::memory:, and refuse a user database file', () => {
    expect(scratchTargetFromUrl(parseDatabaseUrl('pglite:'))).toEqual({ kind: 'pglite' });
    expect(scratchTargetFromUrl(parseDatabaseUrl('sqlite::memory:'))).toEqual({ kind: 'sqlite' });
    expect(scratchTargetFromUrl(parseDatabaseUrl('postgres://u@h/db')).kind).toBe('server');
    expect(() => scratchTargetFromUrl(parseDatabaseUrl('sqlite:app.db'))).toThrow(/is a SQLite file, not a scratch target/);
    expect(() => scratchTargetFromUrl(parseDatabaseUrl('pglite:/var/data'))).toThrow(/not a scratch target/);
  });

  it('default to PGlite and SQLite, and explain that MySQL needs a server', () => {
    expect(defaultScratchTarget('postgres')).toEqual({ kind: 'pglite' });
    expect(defaultScratchTarget('sqlite')).toEqual({ kind: 'sqlite' });
    expect(() => defaultScratchTarget('mysql')).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/no embedded/), hint: expect.stringMatching(/--scratch mysql:\/\//) }),
    );
  });
});

describe('embedded scratch databases', () => {
  it('SQLite lives in a temp file that is gone after dispose', async () => {
    const scratch = await createScratchDatabase({ kind: 'sqlite' });
    const path = scratch.url.kind === 'sqlite' ? scratch.url.path : '';
    expect(existsSync(path)).toBe(true);
    await scratch.connection.executeScript('CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);');
    await scratch.dispose();
    expect(existsSync(path)).toBe(false);
  });

  it('PGlite runs DDL and is closed after dispose', async () => {
    const tables = await withScratchDatabase({ kind: 'pglite' }, async (scratch) => {
      await scratch.connection.executeScript('CREATE TABLE t (id int PRIMARY KEY); CREATE EXTENSION IF NOT EXISTS "uuid-ossp";');
      return (await scratch.connection.captureSchema({ schemas: [] })).tables.map((t) => t.name);
    });
    expect(tables).toEqual(['t']);
  });
});

describe.each([
  ['PostgreSQL', pg],
  ['MariaDB', my],
])('scratch databases on a %s server', (_name, server) => {
  it.skipIf(!server.available)('are created with a schemaguard_ name and dropped after use', async () => {
    const scratch = await createScratchDatabase({ kind: 'server', url: server.url });
    const name = scratch.url.kind === 'server' ? scratch.url.database! : '';
    expect(name.startsWith(SCRATCH_PREFIX)).toBe(true);
    expect(await databaseExists(server.url, name)).toBe(true);
    await scratch.connection.executeScript('CREATE TABLE t (id int PRIMARY KEY)');
    await scratch.dispose();
    expect(await databaseExists(server.url, name)).toBe(false);
  });

  it.skipIf(!server.available)('are dropped when the work fails', async () => {
    let name = '';
    await expect(
      withScratchDatabase({ kind: 'server', url: server.url }, async (scratch) => {
        name = scratch.url.kind === 'server' ? scratch.url.database! : '';
        await scratch.connection.executeScript('CREATE TABLE broken (');
      }),
    ).rejects.toThrow();
    expect(name).not.toBe('');
    expect(await databaseExists(server.url, name)).toBe(false);
  });

  it.skipIf(!server.available)('are dropped when the process is interrupted (SIGINT)', async () => {
    const script = `
      const { createScratchDatabase } = await import('./dist/scratch/scratch-database.js');
      const { parseDatabaseUrl } = await import('./dist/dialects/database-url.js');
      const scratch = await createScratchDatabase({ kind: 'server', url: parseDatabaseUrl(${JSON.stringify(server.text)}) });
      console.log(scratch.url.database);
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const name = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    expect(await databaseExists(server.url, name)).toBe(true);
    const exitCode = await new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGINT');
    });
    expect(exitCode).toBe(130);
    expect(await databaseExists(server.url, name)).toBe(false);
  });

  it.skipIf(!server.available)('left behind are dropped by `scratch gc` once older than the cut-off', async () => {
    const old = newScratchName(new Date(Date.now() - 2 * 3_600_000));
    const young = newScratchName(new Date());
    const admin = await openServerAdmin(server.url);
    await admin.createDatabase(old);
    await admin.createDatabase(young);
    try {
      const dry = await runCli(['scratch', 'gc', server.text, '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain(`would drop ${old}`);
      expect(await databaseExists(server.url, old)).toBe(true);

      const result = await runCli(['scratch', 'gc', server.text]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`dropped ${old}`);
      expect(result.stdout).not.toContain(young);
      expect(await databaseExists(server.url, old)).toBe(false);
      expect(await databaseExists(server.url, young)).toBe(true);
    } finally {
      await admin.dropDatabase(old);
      await admin.dropDatabase(young);
      await admin.close();
    }
  });

  it.skipIf(!server.available)('are the only databases a check writes to: a plain URL opens read-only', async () => {
    const connection = await openDatabase(server.url, 'read-only', { statementTimeoutMs: 5000 });
    try {
      await expect(sql.raw('CREATE TABLE schemaguard_must_not_exist (id int)').execute(connection.db)).rejects.toThrow(/read-only|READ ONLY/i);
    } finally {
      await connection.close();
    }
  });
});
