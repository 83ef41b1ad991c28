import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMigrateCheck } from '../../src/checks/migrations/migrate-check.js';
import type { Engine } from '../../src/dialects/engine.js';
import { readMigrationSet } from '../../src/migrations/read-migrations.js';
import type { MigrationFormat } from '../../src/migrations/migration.js';
import type { CheckRun } from '../../src/report/check-report.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import { runCli } from '../support/cli.js';
import { mysqlServer, postgresServer } from '../support/servers.js';

const pg = await postgresServer();
const my = await mysqlServer();
const FIXTURES = fileURLToPath(new URL('../fixtures/migrations', import.meta.url));
const quiet = { step: () => {} };

interface Target {
  readonly label: string;
  readonly engine: Engine;
  readonly scratch: ScratchTarget;
  readonly available: boolean;
}

const TARGETS: Target[] = [
  { label: 'PGlite', engine: 'postgres', scratch: { kind: 'pglite' }, available: true },
  { label: 'PostgreSQL server', engine: 'postgres', scratch: { kind: 'server', url: pg.url }, available: pg.available },
  { label: 'MariaDB', engine: 'mysql', scratch: { kind: 'server', url: my.url }, available: my.available },
  { label: 'SQLite', engine: 'sqlite', scratch: { kind: 'sqlite' }, available: true },
];

const folderFor = (format: MigrationFormat, engine: Engine) =>
  format === 'kysely' ? join(FIXTURES, 'kysely') : join(FIXTURES, format, engine);

async function check(folder: string, target: Target, baselinePath: string, options: { ci?: boolean } = {}): Promise<CheckRun> {
  const set = await readMigrationSet(folder, { dialect: target.engine });
  return runMigrateCheck(
    {
      set,
      scratch: target.scratch,
      statementTimeoutMs: 30_000,
      firstChecked: 0,
      baseline: { path: baselinePath, update: false, ci: options.ci ?? false },
      diff: {},
      data: null,
    },
    quiet,
  );
}

const statuses = (run: CheckRun) => run.suites.flatMap((s) => s.cases.map((c) => `${c.status} ${c.name}`));

describe.each(TARGETS)('migrate check on $label', (target) => {
  const formats: MigrationFormat[] = ['golang-migrate', 'flyway', 'dbmate', 'goose', 'diesel', ...(target.engine === 'postgres' ? (['kysely'] as const) : [])];
  it.skipIf(!target.available).each(formats)('a %s folder applies, reverts exactly and re-applies, and writes its baseline', async (format) => {
    const dir = mkdtempSync(join(tmpdir(), 'schemaguard-check-'));
    const baseline = join(dir, 'schema.json');
    const run = await check(folderFor(format, target.engine), target, baseline);
    // A migration without a down is reported as skipped, not failed.
    const failures = statuses(run).filter((s) => !s.startsWith('passed') && !s.startsWith('skipped'));
    expect(failures).toEqual([]);
    expect(statuses(run).filter((s) => s.includes(': up')).length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(readFileSync(baseline, 'utf8'))).toMatchObject({ format: 'schemaguard-snapshot', engine: target.engine });
    // A second run in CI mode matches the baseline it wrote.
    const again = await check(folderFor(format, target.engine), target, baseline, { ci: true });
    expect(statuses(again).at(-1)).toMatch(/^passed schema matches the baseline/);
  });
});

describe('migrate check on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'schemaguard-check-cli-'));

  it('fails (exit 1) on a migration with a syntax error, naming the file and line', async () => {
    const result = await runCli(['migrate', 'check', join(FIXTURES, 'failing', 'sqlite'), '--dialect', 'sqlite', '--baseline', join(dir, 'a.json'), '--reporter', 'github']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error file=.*failing\/sqlite\/0002_add_index\.up\.sql,.*::.*0002_add_index\.up\.sql:\d+: .*syntax error/m);
  });

  // PGlite runs in this process and cannot interrupt a statement: hangs are caught on a server.
  it.skipIf(!pg.available)('names the timeout when a migration hangs', async () => {
    const result = await runCli(['migrate', 'check', join(FIXTURES, 'slow', 'postgres'), '--dialect', 'postgres', '--scratch', pg.text, '--timeout', '1', '--ci', '--baseline', join(dir, 'b.json')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/0001_backfill\.up\.sql:3: .*statement timeout/);
  });

  it.each([
    ['a folder that does not exist', [join(dir, 'nope')], /migrations folder not found/],
    ['two migrations with the same version', [join(FIXTURES, 'broken', 'duplicate-version')], /two migrations have version/],
    ['a gap in the versions', [join(FIXTURES, 'broken', 'version-gap')], /gap|jump|missing/],
    ['a folder of no known format', [join(FIXTURES, 'broken', 'unknown-format')], /format/],
  ])('stops with one line and exit 2 on %s', async (_what, args, message) => {
    const result = await runCli(['migrate', 'check', ...args, '--dialect', 'sqlite', '--ci']);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('fails in CI when the baseline is missing, and tells how to create it', async () => {
    const result = await runCli(['migrate', 'check', join(FIXTURES, 'golang-migrate', 'sqlite'), '--dialect', 'sqlite', '--ci', '--baseline', join(dir, 'missing.json')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/no baseline at .*missing\.json, and CI never writes one: run schemaguard migrate check -u locally/);
  });

  it('writes JUnit with one testcase per migration step', async () => {
    const junit = join(dir, 'junit.xml');
    const result = await runCli(['migrate', 'check', join(FIXTURES, 'golang-migrate', 'sqlite'), '--dialect', 'sqlite', '--baseline', join(dir, 'c.json'), '--reporter', `junit:${junit}`, '--no-ci', '--no-lint']);
    expect(result.code).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(3 * 3 + 1);
    expect(xml).toContain('name="0001 create_users: down restores the schema"');
  });
});
