import { execFileSync, spawnSync } from 'node:child_process';
import type { DatabaseUrl } from '../../src/dialects/database-url.js';

/**
 * psql and pg_dump, the independent witnesses: tests load corpus files and count catalog
 * objects with them, never through schemaguard's own code.
 */
export function libpqConnectionString(url: DatabaseUrl): string {
  if (url.kind !== 'server') throw new Error('psql needs a server URL');
  const password = url.password === null ? '' : `:${encodeURIComponent(url.password.reveal())}`;
  return `postgresql://${encodeURIComponent(url.user)}${password}@${url.host}:${url.port}/${encodeURIComponent(url.database ?? 'postgres')}`;
}

export interface PsqlLoadResult {
  /** `ERROR:` lines psql printed (the load goes on after each, as psql does by default). */
  readonly errors: string[];
}

/** Runs a SQL file through psql, continuing after errors, and returns the errors it printed. */
export function psqlLoad(url: DatabaseUrl, sql: string): PsqlLoadResult {
  const result = spawnSync('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=0', '-d', libpqConnectionString(url), '-f', '-'], {
    input: sql,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PGOPTIONS: '-c client_min_messages=error' },
  });
  return { errors: (result.stderr ?? '').split('\n').filter((line) => line.includes('ERROR:')) };
}

/** One number from a query, through psql. */
export function psqlCount(url: DatabaseUrl, query: string): number {
  const out = execFileSync('psql', ['-X', '-At', '-d', libpqConnectionString(url), '-c', query], { encoding: 'utf8' });
  return Number(out.trim());
}

export function pgDumpSchema(url: DatabaseUrl): string {
  return execFileSync('pg_dump', ['--schema-only', '-d', libpqConnectionString(url)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs SQL through psql as a user would, stopping at the first error (which it throws). */
export function psqlApply(url: DatabaseUrl, sql: string): void {
  const result = spawnSync('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', libpqConnectionString(url), '-f', '-'], {
    input: sql,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PGOPTIONS: '-c client_min_messages=error' },
  });
  if (result.status !== 0) {
    const error = (result.stderr ?? '').split('\n').find((line) => line.includes('ERROR:')) ?? result.stderr;
    throw new Error(error.replace(/^psql:<stdin>:\d+: /, '').trim());
  }
}
