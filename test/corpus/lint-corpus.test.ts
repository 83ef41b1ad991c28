import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runLint, type LintResult } from '../../src/checks/lint/run-lint.js';
import { DEFAULT_LARGE_TABLE } from '../../src/checks/lint/table-sizes.js';
import { firstCheckedIndex } from '../../src/checks/migrations/select-migrations.js';
import type { MigrationSet } from '../../src/migrations/migration.js';
import { readMigrationSet } from '../../src/migrations/read-migrations.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';
import { kratosFolders, type CorpusMigrationFolder } from '../support/corpus-migration-folders.js';
import { mysqlServer, postgresServer } from '../support/servers.js';

/**
 * `migrate lint` through real migration folders. What lint finds in upstream migrations is
 * not a failure here: the test pins, per folder, how many migrations were linted and how many
 * findings each rule and each severity gave, in test/corpus/lint-expectations/, so a rule
 * that starts or stops firing on real SQL is seen. A missing file is written on a local run
 * (never in CI); SCHEMAGUARD_UPDATE_EXPECTATIONS=1 rewrites them.
 *
 * Temporal's schema/<engine>/…/versioned folders are not here: a folder per version with a
 * manifest.json is no format schemaguard reads (test/migrations/corpus-migrations.test.ts).
 */
const pg = await postgresServer();
const my = await mysqlServer();
const EXPECTATIONS = fileURLToPath(new URL('lint-expectations', import.meta.url));

interface CorpusFolder extends CorpusMigrationFolder {
  /** SQL run (not linted) before the folder's first migration, as the project's installer does. */
  readonly prelude?: string;
}

const FOLDERS: CorpusFolder[] = [
  ...kratosFolders(pg, my),
  // Supabase creates the auth schema before it runs its migrations; all 70 are linted.
  {
    id: 'supabase-auth-postgres',
    folder: corpusPath('supabase-auth', 'migrations'),
    engine: 'postgres',
    scratch: { kind: 'server', url: pg.url },
    available: pg.available,
    variables: { Namespace: 'auth' },
    prelude: 'CREATE SCHEMA auth;\n',
  },
];

/** The migrations linted and the notes, over all the runs of one folder. */
type LintedFolder = Pick<LintResult, 'migrations' | 'notes'>;

/** What the expectation file pins: counts, not messages, so rewording a rule changes nothing. */
interface LintCounts {
  readonly migrations: number;
  readonly findings: number;
  readonly bySeverity: Record<string, number>;
  readonly byRule: Record<string, number>;
  readonly suppressed: number;
  readonly notes: number;
}

function countsOf(result: LintedFolder): LintCounts {
  const bySeverity: Record<string, number> = { error: 0, warning: 0, info: 0 };
  const byRule: Record<string, number> = {};
  let findings = 0;
  for (const lint of result.migrations) {
    for (const finding of lint.findings) {
      findings += 1;
      bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1;
      byRule[finding.rule] = (byRule[finding.rule] ?? 0) + 1;
    }
  }
  const sorted = Object.fromEntries(Object.entries(byRule).sort(([a], [b]) => a.localeCompare(b)));
  const suppressed = result.migrations.reduce((sum, lint) => sum + lint.suppressed.length, 0);
  return { migrations: result.migrations.length, findings, bySeverity, byRule: sorted, suppressed, notes: result.notes.length };
}

/** The folder's migrations, after the prelude (as a migration of its own) and before `before`. */
async function migrationSet(corpus: CorpusFolder, scratchDir: string): Promise<MigrationSet> {
  const full = await readMigrationSet(corpus.folder, { dialect: corpus.engine, variables: corpus.variables ?? {} });
  const end = corpus.before === undefined ? full.migrations.length : firstCheckedIndex(full.migrations, { kind: 'from', version: corpus.before });
  const migrations = full.migrations.slice(0, end);
  if (corpus.prelude === undefined) return { ...full, migrations };
  writeFileSync(join(scratchDir, '0_prelude.up.sql'), corpus.prelude);
  const prelude = await readMigrationSet(scratchDir, { dialect: corpus.engine, format: 'golang-migrate' });
  return { ...full, migrations: [...prelude.migrations, ...migrations] };
}

/**
 * Lints `set` from `firstChecked` to its end. A migration that does not apply on tables that
 * hold rows ends a lint run (it reports `fails-with-rows`; later migrations build on it): here
 * the run starts again after it, so that every migration of the folder is linted all the same.
 */
async function lintThrough(set: MigrationSet, scratch: ScratchTarget, firstChecked: number): Promise<{ result: LintedFolder; stops: string[] }> {
  const migrations: LintResult['migrations'][number][] = [];
  const notes: string[] = [];
  const stops: string[] = [];
  let next = firstChecked;
  while (next < set.migrations.length) {
    const part = await runLint(
      {
        set,
        scratch,
        statementTimeoutMs: 60_000,
        firstChecked: next,
        severities: { overrides: {}, tableSizes: null, largeTable: DEFAULT_LARGE_TABLE },
        data: null,
        diff: {},
      },
      { step: () => {} },
    );
    migrations.push(...part.migrations);
    notes.push(...part.notes);
    next += part.migrations.length;
    if (next < set.migrations.length) {
      const last = part.migrations.at(-1)!;
      // A stop is always explained by a finding on the migration that did not apply.
      expect(last.findings.map((f) => f.rule)).toContain('fails-with-rows');
      stops.push(last.migration.version.text);
    }
  }
  return { result: { migrations, notes }, stops };
}

describe.skipIf(!corpusAvailable)('migrate lint on real migration folders', () => {
  it.each(FOLDERS)('$id: lint goes through every migration and finds what it found before', { timeout: 600_000 }, async (corpus) => {
    if (!corpus.available) return;
    const scratchDir = mkdtempSync(join(tmpdir(), 'schemaguard-lint-corpus-'));
    try {
      const set = await migrationSet(corpus, scratchDir);
      const prelude = corpus.prelude === undefined ? 0 : 1;
      const firstChecked = corpus.from === undefined ? prelude : firstCheckedIndex(set.migrations, { kind: 'from', version: corpus.from });
      const started = performance.now();
      const { result, stops } = await lintThrough(set, corpus.scratch, firstChecked);
      const counts = { ...countsOf(result), stoppedAt: stops };
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `${corpus.id}: ${counts.migrations} migrations linted (${firstChecked} applied first), ${counts.findings} findings ` +
          `(${counts.bySeverity.error} error, ${counts.bySeverity.warning} warning, ${counts.bySeverity.info} info) in ${seconds}s` +
          (stops.length === 0 ? '' : `; resumed after ${stops.join(', ')}`),
      );
      for (const note of result.notes) console.log(`  note: ${note.split(corpusPath()).join('<corpus>')}`);

      expect(counts.migrations).toBe(set.migrations.length - firstChecked);
      const path = join(EXPECTATIONS, `${corpus.id}.json`);
      if (process.env.SCHEMAGUARD_UPDATE_EXPECTATIONS === '1' || (!existsSync(path) && process.env.CI !== 'true')) {
        mkdirSync(EXPECTATIONS, { recursive: true });
        writeFileSync(path, `${JSON.stringify(counts, null, 2)}\n`);
      }
      expect(existsSync(path), `${path} is missing: run the test once outside CI to write it`).toBe(true);
      expect(counts).toEqual(JSON.parse(readFileSync(path, 'utf8')));
    } finally {
      rmSync(scratchDir, { recursive: true, force: true });
    }
  });
});
