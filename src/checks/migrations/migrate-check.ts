import { checkBaseline, type BaselineOutcome } from '../../baseline/baseline.js';
import { messageOf } from '../../core/errors.js';
import type { ScratchConnection } from '../../dialects/dialect.js';
import type { Change } from '../../diff/change.js';
import { compareSnapshots, type DiffOptions } from '../../diff/diff-snapshots.js';
import { renderChangeLines, renderTextDiff } from '../../diff/render-text.js';
import { applyMigrationScript } from '../../migrations/apply-migration.js';
import type { Migration, MigrationScript, MigrationSet } from '../../migrations/migration.js';
import { checkCase, type CheckCase, type CheckRun, type CheckSuite } from '../../report/check-report.js';
import { createScratchDatabase, type ScratchDatabase } from '../../scratch/scratch-database.js';
import type { ScratchTarget } from '../../scratch/scratch-target.js';
import type { SchemaSnapshot } from '../../snapshot/model.js';

/**
 * `migrate check`: on a throwaway database, each migration in order is applied, reverted and
 * applied again, and the schema is compared at every step — a down must give back exactly the
 * schema before its up, and the second up exactly the schema of the first. The final schema
 * is compared with the committed baseline.
 */
export interface MigrateCheckPlan {
  readonly set: MigrationSet;
  readonly scratch: ScratchTarget;
  readonly statementTimeoutMs: number;
  /** Migrations before this index are applied up only, to reach the base schema. */
  readonly firstChecked: number;
  readonly baseline: { readonly path: string; readonly update: boolean; readonly ci: boolean } | null;
  readonly diff: DiffOptions;
  /** Seed data and row fingerprints, when a dataset guards the data. */
  readonly data: DataGuard | null;
}

/**
 * Seed data whose rows must survive each round trip. The seed is loaded before the first
 * checked migration at which every table it names exists.
 */
export interface DataGuard {
  readonly describe: string;
  /** Whether the schema has every table the seed fills. */
  readyIn(schema: SchemaSnapshot): boolean;
  seed(connection: ScratchConnection): Promise<void>;
  /** Row count and content fingerprint per table (`schema.table`). */
  fingerprint(connection: ScratchConnection): Promise<Map<string, { rows: number; fingerprint: string }>>;
  /** Tables a migration declares it transforms (their rows may change). */
  transformedBy(migration: Migration): readonly string[];
}

export interface ProgressSink {
  step(message: string): void;
}

const now = () => performance.now();

export function migrationLabel(migration: Migration): string {
  // Kysely names are their own version: say it once.
  return migration.name === '' || migration.name === migration.version.text ? migration.version.text : `${migration.version.text} ${migration.name}`;
}

const location = (script: MigrationScript | null) => (script === null ? null : { file: script.file.display, line: null });

const isEmpty = (script: MigrationScript | null) => script !== null && script.kind === 'sql' && script.statements.length === 0;

export async function runMigrateCheck(plan: MigrateCheckPlan, progress: ProgressSink): Promise<CheckRun> {
  const started = now();
  const cases: CheckCase[] = [];
  const notes: string[] = plan.set.notes.map((n) => `${n.file.display}${n.line === null ? '' : `:${n.line}`}: ${n.message}`);
  let baselineCase: CheckCase | null = null;
  const migrations = plan.set.migrations;
  /**
   * A fresh database with every migration before `end` applied up (and the seed loaded where
   * the checks start): the start, and the way back to a known state after a failed down.
   */
  /** Index of the migration before which the seed was loaded; null while it is not. */
  let seededAt: number | null = null;
  const prepare = async (end: number) => {
    const database = await createScratchDatabase(plan.scratch, { statementTimeoutMs: plan.statementTimeoutMs });
    try {
      for (const [index, migration] of migrations.slice(0, end).entries()) {
        if (index === seededAt && plan.data !== null) await plan.data.seed(database.connection);
        progress.step(`applying ${migrationLabel(migration)}…`);
        await applyMigrationScript(database.connection, migration.up);
      }
      return database;
    } catch (error) {
      await database.dispose();
      throw error;
    }
  };
  progress.step(`creating a throwaway database…`);
  let scratch = await prepare(plan.firstChecked);
  // Where the engine can copy a database, a second one follows the ups alone: after a failed
  // down it is copied, instead of replaying every migration into a new database.
  let shadow: ScratchDatabase | null = null;
  try {
    shadow = scratch.copy === null ? null : await scratch.copy();
    let current = await scratch.connection.captureSchema({ schemas: [] });
    let aborted: string | null = null;
    for (const [offset, migration] of migrations.slice(plan.firstChecked).entries()) {
      const label = migrationLabel(migration);
      if (aborted !== null) {
        cases.push(checkCase({ name: `${label}: up`, status: 'skipped', message: aborted, location: location(migration.up) }));
        continue;
      }
      const index = plan.firstChecked + offset;
      if (plan.data !== null && seededAt === null && plan.data.readyIn(current)) {
        progress.step(`loading seed data ${plan.data.describe}…`);
        await plan.data.seed(scratch.connection);
        if (shadow !== null) await plan.data.seed(shadow.connection);
        seededAt = index;
      }
      progress.step(`checking ${label}…`);
      const outcome = await roundTrip(scratch.connection, migration, current, seededAt === null ? { ...plan, data: null } : plan);
      cases.push(...outcome.cases);
      if (outcome.forward === null) {
        aborted = `not run: ${label} does not apply, and the migrations after it build on it`;
        continue;
      }
      if (shadow !== null) await applyMigrationScript(shadow.connection, migration.up);
      if (!outcome.clean) {
        // The round trip did not come back to the forward schema: carry on from a database where
        // only the ups ran, so the migrations after this one are checked as they would really run.
        progress.step(`rebuilding the database after ${label}…`);
        await scratch.dispose();
        scratch = shadow?.copy != null ? await shadow.copy() : await prepare(plan.firstChecked + offset + 1);
      }
      current = outcome.forward;
    }
    if (plan.data !== null && seededAt === null) {
      notes.push(`seed ${plan.data.describe} was not loaded: the tables it fills never all exist before a checked migration`);
    }
    if (plan.baseline !== null) {
      baselineCase = aborted === null ? await baselineCheck(current, plan.baseline, plan.diff) : checkCase({ name: `baseline ${plan.baseline.path}`, status: 'skipped', message: 'not compared: a migration failed' });
      if (baselineCase.status === 'passed' && baselineCase.message !== null) notes.push(baselineCase.message);
    }
  } finally {
    await Promise.all([scratch.dispose(), shadow?.dispose()]);
  }
  const suites: CheckSuite[] = [{ name: 'migrations', cases }];
  if (baselineCase !== null) suites.push({ name: 'baseline', cases: [baselineCase] });
  return { command: 'migrate check', suites, durationMs: now() - started, notes };
}

interface RoundTripOutcome {
  readonly cases: CheckCase[];
  /**
   * The schema the first up left (what the next migration expects), or null when the up
   * failed and nothing after it can run.
   */
  readonly forward: SchemaSnapshot | null;
  /**
   * True when the database holds the forward schema after the round trip. False when the
   * down or the second up failed or left something else: the next migration must start from a
   * database where only the ups ran.
   */
  readonly clean: boolean;
}

/** First line of the first change, for a one-line failure message. */
function firstDifference(changes: readonly Change[]): string {
  const first = changes[0];
  if (first === undefined) return '';
  const more = changes.length > 1 ? ` (and ${changes.length - 1} more)` : '';
  return `${renderChangeLines(first)[0]}${more}`;
}

async function roundTrip(connection: ScratchConnection, migration: Migration, before: SchemaSnapshot, plan: MigrateCheckPlan): Promise<RoundTripOutcome> {
  const label = migrationLabel(migration);
  const cases: CheckCase[] = [];
  const capture = () => connection.captureSchema({ schemas: [] });
  const compare = (a: SchemaSnapshot, b: SchemaSnapshot) => compareSnapshots(a, b, plan.diff).changes;
  // Rows are compared where the schemas must be equal: before up with after down, after the
  // first up with after the second. A column the migration adds does not count as a change.
  const rows = plan.data === null ? null : { guard: plan.data, beforeUp: await plan.data.fingerprint(connection), afterUp: new Map(), afterDown: new Map() };

  // up
  const upStarted = now();
  try {
    await applyMigrationScript(connection, migration.up);
  } catch (error) {
    cases.push(checkCase({ name: `${label}: up`, status: 'error', durationMs: now() - upStarted, message: messageOf(error), location: location(migration.up) }));
    return { cases, forward: null, clean: false };
  }
  const upMs = now() - upStarted;
  const afterUp = isEmpty(migration.up) ? before : await capture();
  if (rows !== null) rows.afterUp = await rows.guard.fingerprint(connection);
  cases.push(checkCase({ name: `${label}: up`, status: 'passed', durationMs: upMs, location: location(migration.up), message: isEmpty(migration.up) ? 'empty: nothing to apply' : null }));

  if (migration.down === null) {
    cases.push(checkCase({ name: `${label}: down restores the schema`, status: 'skipped', message: 'no down migration', location: location(migration.up), severity: 'warning' }));
    return { cases, forward: afterUp, clean: true };
  }

  // down
  const downStarted = now();
  try {
    await applyMigrationScript(connection, migration.down);
  } catch (error) {
    cases.push(checkCase({ name: `${label}: down restores the schema`, status: 'error', durationMs: now() - downStarted, message: messageOf(error), location: location(migration.down) }));
    return { cases, forward: afterUp, clean: false };
  }
  const downMs = now() - downStarted;
  const afterDown = isEmpty(migration.down) && isEmpty(migration.up) ? before : await capture();
  if (rows !== null) rows.afterDown = await rows.guard.fingerprint(connection);
  const notRestored = compare(before, afterDown);
  cases.push(
    notRestored.length === 0
      ? checkCase({ name: `${label}: down restores the schema`, status: 'passed', durationMs: downMs, location: location(migration.down) })
      : checkCase({
          name: `${label}: down restores the schema`,
          status: 'failed',
          durationMs: downMs,
          message: `down does not restore the schema before up: ${firstDifference(notRestored)}`,
          details: renderTextDiff(notRestored).trimEnd(),
          location: location(migration.down),
        }),
  );

  // up again
  const againStarted = now();
  try {
    await applyMigrationScript(connection, migration.up);
  } catch (error) {
    cases.push(
      checkCase({
        name: `${label}: up again after down`,
        status: 'failed',
        durationMs: now() - againStarted,
        message: `up cannot be applied again after down: ${messageOf(error)}`,
        location: location(migration.up),
      }),
    );
    return { cases, forward: afterUp, clean: false };
  }
  const againMs = now() - againStarted;
  const afterAgain = isEmpty(migration.up) && isEmpty(migration.down) ? afterUp : await capture();
  const notRepeatable = compare(afterUp, afterAgain);
  cases.push(
    notRepeatable.length === 0
      ? checkCase({ name: `${label}: up again after down`, status: 'passed', durationMs: againMs, location: location(migration.up) })
      : checkCase({
          name: `${label}: up again after down`,
          status: 'failed',
          durationMs: againMs,
          message: `the second up gives another schema than the first: ${firstDifference(notRepeatable)}`,
          details: renderTextDiff(notRepeatable).trimEnd(),
          location: location(migration.up),
        }),
  );

  if (rows !== null) {
    const afterAgainRows = await rows.guard.fingerprint(connection);
    cases.push(dataSurvives(migration, rows.guard, [
      { when: 'after down', before: rows.beforeUp, after: rows.afterDown },
      { when: 'after up again', before: rows.afterUp, after: afterAgainRows },
    ]));
  }
  return { cases, forward: afterUp, clean: notRestored.length === 0 && notRepeatable.length === 0 };
}

type RowFingerprints = Map<string, { rows: number; fingerprint: string }>;

/**
 * Every table the migration does not declare transformed keeps its rows: the rows after down
 * are the rows before up, and the rows after the second up are the rows after the first.
 */
function dataSurvives(migration: Migration, guard: DataGuard, comparisons: readonly { when: string; before: RowFingerprints; after: RowFingerprints }[]): CheckCase {
  const label = migrationLabel(migration);
  const transformed = new Set(guard.transformedBy(migration));
  const problems: string[] = [];
  for (const { when, before, after } of comparisons) {
    for (const [table, previous] of before) {
      if (transformed.has(table) || transformed.has(table.replace(/^[^.]*\./, ''))) continue;
      const next = after.get(table);
      if (next === undefined) problems.push(`${table}: table gone ${when}, with its ${previous.rows} rows`);
      else if (next.rows !== previous.rows) {
        const difference = previous.rows - next.rows;
        problems.push(`${table}: ${previous.rows} rows, ${next.rows} ${when} (${difference > 0 ? `${difference} lost` : `${-difference} added`})`);
      } else if (next.fingerprint !== previous.fingerprint) problems.push(`${table}: the same ${next.rows} rows ${when}, but their content changed`);
    }
  }
  return problems.length === 0
    ? checkCase({ name: `${label}: data survives up, down and up`, status: 'passed' })
    : checkCase({
        name: `${label}: data survives up, down and up`,
        status: 'failed',
        message: `rows lost or changed: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
        details: [...problems, 'declare deliberate changes with `-- schemaguard:transforms TABLE` in the up file'].join('\n'),
        location: location(migration.down),
      });
}

async function baselineCheck(actual: SchemaSnapshot, baseline: NonNullable<MigrateCheckPlan['baseline']>, diff: DiffOptions): Promise<CheckCase> {
  const outcome: BaselineOutcome = await checkBaseline(actual, baseline.path, { update: baseline.update, ci: baseline.ci, diff });
  const name = `schema matches the baseline ${baseline.path}`;
  switch (outcome.status) {
    case 'matched':
      return checkCase({ name, status: 'passed' });
    case 'written':
      return checkCase({ name, status: 'passed', message: `wrote the new baseline ${baseline.path}: review and commit it` });
    case 'updated':
      return checkCase({ name, status: 'passed', message: `updated ${baseline.path} (${outcome.changes.length} change${outcome.changes.length === 1 ? '' : 's'}): review and commit it` });
    case 'missing':
      return checkCase({
        name,
        status: 'failed',
        message: `no baseline at ${baseline.path}, and CI never writes one: run schemaguard migrate check -u locally and commit the file`,
        location: { file: baseline.path, line: null },
      });
    case 'mismatched':
      return checkCase({
        name,
        status: 'failed',
        message: `the migrations leave a schema that differs from ${baseline.path}: ${firstDifference(outcome.changes)} — if intended, run with -u and commit`,
        details: renderTextDiff(outcome.changes).trimEnd(),
        location: { file: baseline.path, line: null },
      });
  }
}
