/**
 * schemaguard as a library, for use inside vitest or jest:
 *
 * ```ts
 * import { openScratchDatabase, takeSnapshot, expectSchemasEqual } from 'schemaguard';
 *
 * const db = await openScratchDatabase('pglite:');
 * await db.connection.executeScript(readFileSync('schema.sql', 'utf8'));
 * expectSchemasEqual(await takeSnapshot(db), await takeSnapshot('schemaguard/schema.json'));
 * await db.dispose();
 * ```
 *
 * Everything here is typed; errors a caller can cause are SchemaguardError values with a
 * one-line message and a hint.
 */
import { DEFAULT_STATEMENT_TIMEOUT_MS, type ReadOnlyConnection } from './dialects/dialect.js';
import { parseDatabaseUrl } from './dialects/database-url.js';
import { parseEngineName, type Engine } from './dialects/engine.js';
import { compareSnapshots, type DiffOptions } from './diff/diff-snapshots.js';
import { renderTextDiff } from './diff/render-text.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch/scratch-database.js';
import { defaultScratchTarget, scratchTargetFromUrl, type ScratchTarget } from './scratch/scratch-target.js';
import { captureSource, parseSnapshotSource } from './snapshot/source.js';
import type { SchemaSnapshot } from './snapshot/model.js';
import { checkBaseline } from './baseline/baseline.js';
import { applyMigrationScript } from './migrations/apply-migration.js';
import { readMigrationSet, type ReadMigrationsOptions } from './migrations/read-migrations.js';
import type { MigrationSet } from './migrations/migration.js';
import { loadDataset as loadDatasetInto, readDataset, type LoadOptions, type LoadResult } from './datasets/index.js';
import type { Dataset } from './datasets/model.js';

export { SchemaguardError, isSchemaguardError } from './core/errors.js';
export type { Engine, ServerInfo } from './dialects/engine.js';
export type { DatabaseUrl } from './dialects/database-url.js';
export { parseDatabaseUrl, describeDatabaseUrl } from './dialects/database-url.js';
export type { ReadOnlyConnection, ScratchConnection } from './dialects/dialect.js';
export { openDatabase } from './dialects/connect.js';
export type { ScratchDatabase } from './scratch/scratch-database.js';
export type { ScratchTarget } from './scratch/scratch-target.js';
export { withScratchDatabase } from './scratch/scratch-database.js';
export * from './snapshot/model.js';
export { serializeSnapshot, parseSnapshot, canonicalizeSnapshot } from './snapshot/canonical.js';
export type { Change, DiffObjectKind, ObjectPath } from './diff/change.js';
export { compareSnapshots, diffSnapshots, type DiffOptions, type DiffResult } from './diff/diff-snapshots.js';
export { renderTextDiff } from './diff/render-text.js';
export { renderJsonDiff } from './diff/render-json.js';
export { renderMarkdownDiff } from './diff/render-markdown.js';
export { renderMigrationScript, type MigrationStatement } from './diff/migration-script.js';
export { migrationGeneratorFor } from './dialects/migration-generator.js';

/**
 * A fresh throwaway database: `'pglite:'`, `'sqlite::memory:'` (a temp file), a server URL
 * (a uniquely named database is created there and dropped by `dispose()`), `'docker:postgres:16'`,
 * or just an engine name (`'postgres'`, `'sqlite'`) for its embedded default.
 */
export async function openScratchDatabase(target: string | ScratchTarget | Engine, options: { statementTimeoutMs?: number } = {}): Promise<ScratchDatabase> {
  return createScratchDatabase(resolveScratchTarget(target), options);
}

function resolveScratchTarget(target: string | ScratchTarget | Engine): ScratchTarget {
  if (typeof target !== 'string') return target;
  const engine = parseEngineName(target);
  if (engine !== undefined && !target.includes(':')) return defaultScratchTarget(engine);
  return scratchTargetFromUrl(parseDatabaseUrl(target));
}

export interface SnapshotOptions {
  /** Namespaces to read (PostgreSQL); empty: all. */
  readonly schemas?: readonly string[];
  /** Globs of objects to leave out. */
  readonly exclude?: readonly string[];
  /** Engine of a `.sql` source. */
  readonly dialect?: Engine;
  readonly statementTimeoutMs?: number;
}

/**
 * The schema snapshot of a database URL, a snapshot file, a `.sql` file (loaded into a
 * throwaway database), an open connection or a scratch database.
 */
export async function takeSnapshot(source: string | ReadOnlyConnection | ScratchDatabase, options: SnapshotOptions = {}): Promise<SchemaSnapshot> {
  if (typeof source !== 'string') {
    const connection = 'connection' in source ? source.connection : source;
    return connection.captureSchema({ schemas: options.schemas ?? [] });
  }
  return captureSource(parseSnapshotSource(source), {
    schemas: options.schemas ?? [],
    exclude: options.exclude ?? [],
    statementTimeoutMs: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    dialect: options.dialect ?? null,
    scratch: null,
  });
}

export type { MigrationSet, Migration, MigrationScript, MigrationFormat } from './migrations/migration.js';
export { readMigrationSet } from './migrations/read-migrations.js';
export type { Dataset } from './datasets/model.js';
export { readDataset } from './datasets/index.js';

type ScratchLike = ScratchDatabase | { readonly connection: ScratchDatabase['connection'] };

/** Reads a migration folder (any supported format) and applies every up, in order. */
export async function applyMigrations(db: ScratchLike, folder: string, options: ReadMigrationsOptions): Promise<MigrationSet> {
  const set = await readMigrationSet(folder, options);
  for (const migration of set.migrations) await applyMigrationScript(db.connection, migration.up);
  return set;
}

/** Loads a dataset file (YAML, JSON, CSV) or a dataset already read into the database. */
export async function loadDataset(db: ScratchLike, dataset: string | Dataset, options: LoadOptions = {}): Promise<LoadResult> {
  return loadDatasetInto(db.connection, typeof dataset === 'string' ? await readDataset(dataset) : dataset, options);
}

/** Thrown by the expect-style helpers; the message is the diff. */
export class SchemaMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaMismatchError';
  }
}

/** Fails (throws) with the text diff as the message when the two schemas differ. */
export function expectSchemasEqual(actual: SchemaSnapshot, expected: SchemaSnapshot, options: DiffOptions = {}): void {
  const { changes } = compareSnapshots(expected, actual, options);
  if (changes.length > 0) throw new SchemaMismatchError(`schemas differ (expected → actual):\n${renderTextDiff(changes)}`);
}

/**
 * Compares the database's schema with a baseline file, like a Jest snapshot: a missing file is
 * written (and passes) unless CI=true; a difference fails with the diff; `update: true` rewrites.
 */
export async function expectSchemaToMatchBaseline(
  source: ScratchLike | SchemaSnapshot,
  baselinePath: string,
  options: { update?: boolean; ci?: boolean; diff?: DiffOptions } = {},
): Promise<void> {
  const actual = 'connection' in source ? await source.connection.captureSchema({ schemas: [] }) : source;
  const outcome = await checkBaseline(actual, baselinePath, {
    update: options.update ?? false,
    ci: options.ci ?? process.env.CI === 'true',
    diff: options.diff,
  });
  if (outcome.status === 'missing') throw new SchemaMismatchError(`no baseline at ${baselinePath} (CI never writes one): create it locally and commit it`);
  if (outcome.status === 'mismatched') {
    throw new SchemaMismatchError(`schema differs from ${baselinePath} (baseline → actual):\n${renderTextDiff(outcome.changes)}`);
  }
}
