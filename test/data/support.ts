import { execFileSync, spawnSync } from 'node:child_process';
import { openDatabase } from '../../src/dialects/connect.js';
import type { DatabaseUrl } from '../../src/dialects/database-url.js';
import { diffData, type DataDiffResult } from '../../src/diff/data-diff.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { captureSnapshotWithData } from '../../src/snapshot/data-capture.js';
import type { TableData } from '../../src/snapshot/model.js';
import { libpqConnectionString } from '../support/postgres-cli.js';

/**
 * Witnesses for data tests: each engine's own dump and restore tools (pg_dump | psql,
 * mariadb-dump | mariadb, sqlite3 .dump | sqlite3), never schemaguard's code.
 */

/** Every table's data, rows stored up to `rowsLimit`. */
export async function dataOf(scratch: ScratchDatabase, rowsLimit = 1000): Promise<Map<string, TableData>> {
  const snapshot = await captureSnapshotWithData(scratch.connection, { tables: [], rowsLimit });
  return new Map((snapshot.data ?? []).map((d) => [d.table, d]));
}

function mariadbArgs(url: DatabaseUrl): { args: string[]; env: NodeJS.ProcessEnv; database: string } {
  if (url.kind !== 'server' || url.database === null) throw new Error('a server URL with a database is needed');
  const env = url.password === null ? process.env : { ...process.env, MYSQL_PWD: url.password.reveal() };
  return { args: ['--protocol=TCP', '-h', url.host, '-P', String(url.port), '-u', url.user, '--default-character-set=utf8mb4'], env, database: url.database };
}

/** `pg_dump a | psql b`. */
export function postgresDumpRestore(from: DatabaseUrl, to: DatabaseUrl): void {
  const dump = execFileSync('pg_dump', ['--no-owner', '-d', libpqConnectionString(from)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const result = spawnSync('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', libpqConnectionString(to), '-f', '-'], {
    input: dump,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, PGOPTIONS: '-c client_min_messages=error' },
  });
  if (result.status !== 0) throw new Error(`psql failed to restore the dump: ${result.stderr}`);
}

/** `mariadb-dump a | mariadb b`. */
export function mariadbDumpRestore(from: DatabaseUrl, to: DatabaseUrl): void {
  const source = mariadbArgs(from);
  const target = mariadbArgs(to);
  // Bytes, not text: the dump holds binary strings as they are.
  const dump = execFileSync('mariadb-dump', [...source.args, '--routines', '--triggers', source.database], { maxBuffer: 256 * 1024 * 1024, env: source.env });
  const result = spawnSync('mariadb', [...target.args, target.database], { input: dump, maxBuffer: 256 * 1024 * 1024, env: target.env });
  if (result.status !== 0) throw new Error(`mariadb failed to restore the dump: ${result.stderr.toString()}`);
}

/** Loads a script with the mariadb client (it understands DELIMITER, comments, and the rest of a dump). */
export function mariadbScript(url: DatabaseUrl, sql: string): void {
  const { args, env, database } = mariadbArgs(url);
  const result = spawnSync('mariadb', [...args, database], { input: sql, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env });
  if (result.status !== 0) throw new Error(`mariadb failed: ${result.stderr}`);
}

/** `sqlite3 a .dump | sqlite3 b`. */
export function sqliteDumpRestore(from: DatabaseUrl, to: DatabaseUrl): void {
  if (from.kind !== 'sqlite' || to.kind !== 'sqlite') throw new Error('SQLite URLs expected');
  const dump = execFileSync('sqlite3', [from.path, '.dump'], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('sqlite3', [to.path], { input: dump, maxBuffer: 256 * 1024 * 1024 });
}

/** Runs SQL with the sqlite3 shell (outside schemaguard's own connection). */
export function sqlite3(path: string, sql: string): string {
  return execFileSync('sqlite3', [path], { input: sql, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** `diff --data` of two live databases, in process: both read in their own consistent transaction. */
export async function diffLive(a: DatabaseUrl, b: DatabaseUrl, maxRows = 20): Promise<DataDiffResult> {
  const open = (url: DatabaseUrl) => openDatabase(url, 'read-only', { statementTimeoutMs: 30_000 });
  const [left, right] = await Promise.all([open(a), open(b)]);
  try {
    return await left.readConsistent((x) =>
      right.readConsistent(async (y) =>
        diffData(
          { source: { kind: 'database', url: a }, snapshot: await x.captureSchema({ schemas: [] }), read: x },
          { source: { kind: 'database', url: b }, snapshot: await y.captureSchema({ schemas: [] }), read: y },
          { tables: [], maxRows },
        ),
      ),
    );
  } finally {
    await Promise.all([left.close(), right.close()]);
  }
}
