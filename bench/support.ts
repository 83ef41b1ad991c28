import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DatabaseUrl } from '../src/dialects/database-url.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = fileURLToPath(new URL('../bin/schemaguard', import.meta.url));
export const PG_URL = process.env.SCHEMAGUARD_BENCH_PG_URL ?? process.env.SCHEMAGUARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.SCHEMAGUARD_BENCH_MYSQL_URL ?? process.env.SCHEMAGUARD_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** Median of `runs` wall-clock timings of `work`, in milliseconds. */
export async function medianMs(runs: number, work: () => unknown | Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Runs a command to completion, throwing with its stderr when it fails. */
export function run(command: string, args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const result = spawnSync(command, args, {
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, ...options.env },
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.error?.message}`);
  return result.stdout;
}

export function libpqUrl(url: DatabaseUrl): string {
  if (url.kind !== 'server') throw new Error('server URL expected');
  const password = url.password === null ? '' : `:${encodeURIComponent(url.password.reveal())}`;
  return `postgresql://${url.user}${password}@${url.host}:${url.port}/${url.database}`;
}

export function mysqlArgs(url: DatabaseUrl): string[] {
  if (url.kind !== 'server') throw new Error('server URL expected');
  return ['-h', url.host, '-P', String(url.port), '-u', url.user, ...(url.password === null ? [] : [`-p${url.password.reveal()}`])];
}

export function urlText(url: DatabaseUrl): string {
  switch (url.kind) {
    case 'server': {
      const password = url.password === null ? '' : `:${encodeURIComponent(url.password.reveal())}`;
      return `${url.scheme}://${url.user}${password}@${url.host}:${url.port}/${url.database}`;
    }
    case 'sqlite':
      return `sqlite:${url.path}`;
    default:
      throw new Error(`no text form for ${url.kind}`);
  }
}

export const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

/** Replaces the text between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` in docs/benchmarks.md. */
export function writeSection(name: string, markdown: string): void {
  const path = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const text = readFileSync(path, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`docs/benchmarks.md has no ${start} … ${end} markers`);
  writeFileSync(path, `${text.slice(0, from + start.length)}\n${markdown.trim()}\n${text.slice(to)}`);
}

export function machineLine(): string {
  const cpus = run('nproc', []).trim();
  return `Node ${process.version}, ${cpus} cores, ${new Date().toISOString().slice(0, 10)}`;
}
