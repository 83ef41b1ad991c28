import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDatabaseUrl, type ServerUrl } from '../../src/dialects/database-url.js';
import { readMigrationSet } from '../../src/migrations/read-migrations.js';
import { createScratchDatabase } from '../../src/scratch/scratch-database.js';
import { BIN, PG_URL, fmt, libpqUrl, machineLine, medianMs, run } from '../support.js';

/**
 * Issue #5: `migrate check` of the ory-kratos PostgreSQL folder on PGlite and on the server,
 * against applying the same ups with psql in the same run. Target: ≤ 3× the bare apply.
 */
const PGLITE_FROM = '20220101000000000000';
const KRATOS = new URL('../../../shared/corpus/ory-kratos/persistence/sql/migrations/sql', import.meta.url).pathname;

export async function migrateSuite(runs: number): Promise<string> {
  const set = await readMigrationSet(KRATOS, { dialect: 'postgres' });
  const ups = set.migrations.map((m) => m.up).filter((s) => s.kind === 'sql');
  const dir = mkdtempSync(join(tmpdir(), 'schemaguard-bench-migrate-'));
  const script = join(dir, 'apply.sql');
  // psql runs every up file in order, each in its own transaction (as the migration tool would).
  writeFileSync(script, ups.map((s) => `\\echo ${s.file.path}\n\\i ${s.file.path}`).join('\n'));
  const server = parseDatabaseUrl(PG_URL) as ServerUrl;

  const bare = await medianMs(runs, async () => {
    const scratch = await createScratchDatabase({ kind: 'server', url: server });
    try {
      run('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', libpqUrl(scratch.url), '-f', script]);
    } finally {
      await scratch.dispose();
    }
  });
  const checkOn = (scratchUrl: string, extra: readonly string[] = []) =>
    medianMs(Math.max(1, Math.floor(runs / 2)), () => {
      try {
        run(process.execPath, [BIN, '--quiet', 'migrate', 'check', KRATOS, '--dialect', 'postgres', '--scratch', scratchUrl, '--no-lint', ...extra, '--baseline', join(dir, 'schema.json'), '--reporter', `json:${join(dir, 'report.json')}`]);
      } catch {
        // exit 1: kratos' downs do not all round-trip (test/corpus/migrate-expectations/)
      }
    });
  const onServer = await checkOn(PG_URL);
  // PGlite cannot copy a database, so after every down that does not round-trip the check
  // replays the folder: on the whole of kratos that is quadratic (over 10 minutes). Checked
  // from 2022 on, as the corpus test does; the earlier migrations are applied up only.
  const onPglite = await checkOn('pglite:', ['--from', PGLITE_FROM]);
  const row = (label: string, ms: number) => `| ${label} | ${fmt(ms)} | ${(ms / bare).toFixed(1)}× | ${ms / bare <= 3 ? '✓' : '✗'} |`;
  return [
    `ory-kratos, PostgreSQL folder: ${set.migrations.length} migrations (${ups.filter((s) => s.kind === 'sql' && s.statements.length > 0).length} with statements). Median of ${runs} runs (checks: ${Math.max(1, Math.floor(runs / 2))}); ${machineLine()}.`,
    '',
    '| measure | time | ratio to bare apply | target ≤ 3× |',
    '| --- | --- | --- | --- |',
    `| bare apply: psql runs every up on the server | ${fmt(bare)} | 1.0× | |`,
    row('`migrate check` on the PostgreSQL server', onServer),
    row(`\`migrate check --from ${PGLITE_FROM.slice(0, 8)}\` on PGlite (earlier migrations applied up only)`, onPglite),
    '',
    'The check applies every migration three times (up, down, up) and snapshots the schema after each step; kratos\' per-file downs mostly do not invert their ups (they are shifted by one), so most steps also rebuild the database from a copy of a database where only the ups ran. PGlite cannot copy a database, so it replays the folder instead: the whole folder on PGlite took over 10 minutes (quadratic), hence the shorter range there.',
  ].join('\n');
}
