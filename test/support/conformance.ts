import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareSnapshots } from '../../src/diff/diff-snapshots.js';
import { renderMigrationScript } from '../../src/diff/migration-script.js';
import { migrationGeneratorFor } from '../../src/dialects/migration-generator.js';
import type { Engine } from '../../src/dialects/engine.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { serializeSnapshot } from '../../src/snapshot/canonical.js';
import { versionAtLeast } from '../../src/core/version.js';
import type { SqldefCase } from './sqldef.js';

/**
 * Runs sqldef cases against schemaguard: verdict (equal or not) and generated SQL. Outcomes
 * are kept in test/corpus/sqldef-expectations/<engine>.json: a case that passed must keep
 * passing (the test fails otherwise); failures and skips are recorded with their reason, and
 * the pass rate goes to docs/benchmarks.md. SCHEMAGUARD_UPDATE_EXPECTATIONS=1 rewrites the file.
 */
export type CaseOutcome =
  | { readonly status: 'pass' }
  | { readonly status: 'fail'; readonly reason: string }
  | { readonly status: 'skip'; readonly reason: string };

export interface ConformanceTarget {
  readonly engine: Engine;
  /** `postgres`, `mysql`, `mariadb` or `sqlite`: what sqldef's `flavor` is matched against. */
  readonly flavor: string;
  readonly version: string;
  newScratch(): Promise<ScratchDatabase>;
  /** Applies SQL as a user would (psql / mariadb client / sqlite3 semantics). */
  apply(scratch: ScratchDatabase, sql: string): Promise<void>;
  /**
   * Loads a case's `current`/`desired` schema faster than `apply` where it can (through the
   * open connection); on failure the runner falls back to `apply` on a fresh database.
   */
  load?(scratch: ScratchDatabase, sql: string): Promise<void>;
  /**
   * Empties a used scratch database so the next case can reuse it (creating two databases a
   * case dominates the run on a server). A database whose snapshot after reset differs from a
   * fresh one's is thrown away, so reuse can never leak one case into the next.
   */
  reset?(scratch: ScratchDatabase): Promise<void>;
}

interface Pool {
  idle: ScratchDatabase[];
  pristine: string | null;
}

const pools = new Map<ConformanceTarget, Pool>();

async function obtain(target: ConformanceTarget): Promise<ScratchDatabase> {
  const pool = pools.get(target) ?? { idle: [], pristine: null };
  pools.set(target, pool);
  const reused = pool.idle.pop();
  if (reused !== undefined) return reused;
  const scratch = await target.newScratch();
  if (pool.pristine === null && target.reset !== undefined) {
    pool.pristine = serializeSnapshot(await scratch.connection.captureSchema({ schemas: [] }));
  }
  return scratch;
}

async function release(target: ConformanceTarget, scratch: ScratchDatabase): Promise<void> {
  const pool = pools.get(target);
  if (target.reset !== undefined && pool !== undefined && pool.pristine !== null && pool.idle.length < 8) {
    try {
      await target.reset(scratch);
      if (serializeSnapshot(await scratch.connection.captureSchema({ schemas: [] })) === pool.pristine) {
        pool.idle.push(scratch);
        return;
      }
    } catch {
      // fall through: a database that does not reset cleanly is replaced
    }
  }
  await scratch.dispose();
}

/** Disposes the databases kept for reuse. */
export async function disposeConformancePool(target: ConformanceTarget | undefined): Promise<void> {
  if (target === undefined) return;
  const pool = pools.get(target);
  pools.delete(target);
  await Promise.all((pool?.idle ?? []).map((s) => s.dispose()));
}

/** Why a case cannot be judged on this target, or null when it can. */
export function skipReason(target: ConformanceTarget, testCase: SqldefCase): string | null {
  if (testCase.error !== null) return 'the case expects sqldef to refuse the schema';
  if (testCase.sqldefOptions.length > 0) return `the case exercises sqldef options (${testCase.sqldefOptions.join(', ')})`;
  if (testCase.flavor !== null) {
    const negated = testCase.flavor.startsWith('!');
    const flavor = testCase.flavor.replace(/^!/, '');
    if (negated ? flavor === target.flavor : flavor !== target.flavor) return `flavor ${testCase.flavor} (this is ${target.flavor})`;
  }
  if (testCase.minVersion !== null && !versionAtLeast(target.version, testCase.minVersion)) return `needs version ${testCase.minVersion}+`;
  if (testCase.maxVersion !== null && versionAtLeast(target.version, testCase.maxVersion) && target.version !== testCase.maxVersion) {
    return `needs version ≤ ${testCase.maxVersion}`;
  }
  return null;
}

const DIFF_OPTIONS = { kinds: ['owners'] as const };

export async function runCase(target: ConformanceTarget, testCase: SqldefCase): Promise<CaseOutcome> {
  const reason = skipReason(target, testCase);
  if (reason !== null) return { status: 'skip', reason };
  const current = await obtain(target);
  const desired = await obtain(target);
  try {
    try {
      await load(target, current, testCase.current);
      await load(target, desired, testCase.desired);
    } catch (error) {
      return { status: 'skip', reason: `${target.flavor} ${target.version} cannot create it: ${firstLine(error)}` };
    }
    const before = await current.connection.captureSchema({ schemas: [] });
    const after = await desired.connection.captureSchema({ schemas: [] });
    const changes = compareSnapshots(before, after, { kinds: [...DIFF_OPTIONS.kinds] }).changes;
    if (testCase.up !== null) {
      const expectsDdl = testCase.up !== '';
      if (expectsDdl !== changes.length > 0) {
        return {
          status: 'fail',
          reason: expectsDdl ? 'reported equal, sqldef generates DDL' : `reported ${changes.length} difference(s) where sqldef sees none: ${describeFirst(changes)}`,
        };
      }
    }
    if (changes.length === 0) return { status: 'pass' };
    const generate = await migrationGeneratorFor(target.engine);
    const script = renderMigrationScript(generate(before, after, changes), { allowDestructive: true, engine: target.engine });
    try {
      await target.apply(current, script);
    } catch (error) {
      return { status: 'fail', reason: `generated SQL fails: ${firstLine(error)}` };
    }
    const migrated = await current.connection.captureSchema({ schemas: [] });
    const left = compareSnapshots(migrated, after, { kinds: [...DIFF_OPTIONS.kinds] }).changes;
    if (left.length > 0) return { status: 'fail', reason: `after the generated SQL, ${left.length} difference(s) remain: ${describeFirst(left)}` };
    return { status: 'pass' };
  } finally {
    await Promise.all([release(target, current), release(target, desired)]);
  }
}

/** The fast path when the target has one; a failed fast load leaves nothing behind (one transaction). */
async function load(target: ConformanceTarget, scratch: ScratchDatabase, sql: string): Promise<void> {
  if (target.load !== undefined) {
    try {
      await target.load(scratch, sql);
      return;
    } catch {
      // e.g. CREATE INDEX CONCURRENTLY cannot run inside the implicit transaction: use the real client
    }
  }
  await target.apply(scratch, sql);
}

function describeFirst(changes: readonly { name: string; action: string; attribute?: string }[]): string {
  const first = changes[0];
  if (first === undefined) return '';
  return `${first.name} ${first.action}${first.attribute === undefined ? '' : ` ${first.attribute}`}`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
}

export function expectationsPath(engine: Engine): string {
  return fileURLToPath(new URL(`../corpus/sqldef-expectations/${engine}.json`, import.meta.url));
}

export type Expectations = Record<string, string>;

export function readExpectations(engine: Engine): Expectations {
  const path = expectationsPath(engine);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Expectations) : {};
}

export function outcomeText(outcome: CaseOutcome): string {
  return outcome.status === 'pass' ? 'pass' : `${outcome.status}: ${outcome.reason}`;
}

export function writeExpectations(engine: Engine, outcomes: Map<string, CaseOutcome>): void {
  const path = expectationsPath(engine);
  mkdirSync(dirname(path), { recursive: true });
  const sorted = Object.fromEntries([...outcomes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, o]) => [id, outcomeText(o)]));
  writeFileSync(path, `${JSON.stringify(sorted, null, 2)}\n`);
}
