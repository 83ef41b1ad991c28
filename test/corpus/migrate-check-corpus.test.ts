import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMigrateCheck } from '../../src/checks/migrations/migrate-check.js';
import { firstCheckedIndex } from '../../src/checks/migrations/select-migrations.js';
import { readMigrationSet } from '../../src/migrations/read-migrations.js';
import type { CheckRun } from '../../src/report/check-report.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';
import { kratosFolders, type CorpusMigrationFolder } from '../support/corpus-migration-folders.js';
import { mysqlServer, postgresServer } from '../support/servers.js';

/**
 * Real migration folders through `migrate check`. Which of their migrations do not round-trip
 * is a finding about upstream, not a failure here: the test pins the tool's report (every
 * check that did not pass, and why) in test/corpus/migrate-expectations/, so any change in
 * what the tool reports is seen. SCHEMAGUARD_UPDATE_EXPECTATIONS=1 rewrites the files.
 */
const pg = await postgresServer();
const my = await mysqlServer();
const EXPECTATIONS = fileURLToPath(new URL('migrate-expectations', import.meta.url));

const FOLDERS: CorpusMigrationFolder[] = [
  ...kratosFolders(pg, my),
  { id: 'gotrue-mariadb', folder: corpusPath('netlify-gotrue', 'migrations'), engine: 'mysql', scratch: { kind: 'server', url: my.url }, available: my.available, variables: { Namespace: '' } },
];

function reportOf(run: CheckRun): string[] {
  const dir = (text: string) => text.split(corpusPath()).join('<corpus>');
  return run.suites
    .filter((s) => s.name === 'migrations')
    .flatMap((s) => s.cases)
    .filter((c) => c.status !== 'passed')
    .map((c) => dir(`${c.status} ${c.name}: ${c.message ?? ''}`).slice(0, 300));
}

describe.skipIf(!corpusAvailable)('migrate check on real migration folders', () => {
  it.each(FOLDERS)('$id: the report is the recorded one', { timeout: 600_000 }, async (corpus) => {
    if (!corpus.available) return;
    const full = await readMigrationSet(corpus.folder, { dialect: corpus.engine, variables: corpus.variables ?? {} });
    const set =
      corpus.before === undefined
        ? full
        : { ...full, migrations: full.migrations.slice(0, firstCheckedIndex(full.migrations, { kind: 'from', version: corpus.before })) };
    const run = await runMigrateCheck(
      {
        set,
        scratch: corpus.scratch,
        statementTimeoutMs: 60_000,
        firstChecked: corpus.from === undefined ? 0 : firstCheckedIndex(set.migrations, { kind: 'from', version: corpus.from }),
        baseline: { path: join(mkdtempSync(join(tmpdir(), 'schemaguard-corpus-')), 'schema.json'), update: false, ci: false },
        diff: {},
        data: null,
      },
      { step: () => {} },
    );
    const report = reportOf(run);
    const checked = run.suites[0]!.cases.length;
    console.log(`${corpus.id}: ${checked} checks, ${report.length} not passed`);
    const path = join(EXPECTATIONS, `${corpus.id}.json`);
    if (process.env.SCHEMAGUARD_UPDATE_EXPECTATIONS === '1' || (!existsSync(path) && process.env.CI !== 'true')) {
      mkdirSync(EXPECTATIONS, { recursive: true });
      writeFileSync(path, `${JSON.stringify({ checks: checked, notPassed: report }, null, 2)}\n`);
    }
    expect({ checks: checked, notPassed: report }).toEqual(JSON.parse(readFileSync(path, 'utf8')));
  });
});
