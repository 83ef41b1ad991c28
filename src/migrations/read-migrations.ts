import { readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SchemaguardError, messageOf } from '../core/errors.js';
import type { Engine } from '../dialects/engine.js';
import { detectFormat } from './detect-format.js';
import { duplicateVersion, versionGap } from './migration-errors.js';
import type { Migration, MigrationFormat, MigrationSet } from './migration.js';
import { versionKey } from './pair-by-version.js';
import { ReadContext } from './read-context.js';
import { readDbmate } from './readers/dbmate.js';
import { readDiesel } from './readers/diesel.js';
import { readFlyway } from './readers/flyway.js';
import { readGolangMigrate } from './readers/golang-migrate.js';
import { readGoose } from './readers/goose.js';
import { readKysely } from './readers/kysely.js';
import type { FolderEntry, MigrationDraft, MigrationReader } from './readers/reader.js';
import { compareVersions, isSequenceNumber } from './version.js';

export interface ReadMigrationsOptions {
  /** The engine the migrations are for: statements are split its way, its dialect files chosen. */
  readonly dialect: Engine;
  /** The folder's format; detected from its files when absent. */
  readonly format?: MigrationFormat;
  /**
   * Values for Go template placeholders (`{{ index .Options "Namespace" }}`, `{{ .Name }}`).
   * When there is at least one, every SQL file is read as a template (a placeholder without a
   * value is an error); without any, `{{` is left alone and placeholders are only noted.
   */
  readonly variables?: Readonly<Record<string, string>>;
  /** Accept 0001, 0003 without 0002 (a plain sequence is otherwise checked for holes). */
  readonly allowVersionGaps?: boolean;
}

const READERS: Readonly<Record<MigrationFormat, MigrationReader>> = {
  'golang-migrate': readGolangMigrate,
  flyway: readFlyway,
  dbmate: readDbmate,
  goose: readGoose,
  diesel: readDiesel,
  kysely: readKysely,
};

/** Reads a migration folder into its migrations, in the order they apply. */
export async function readMigrationSet(folder: string, options: ReadMigrationsOptions): Promise<MigrationSet> {
  const absolute = resolve(folder);
  const entries = await listFolder(folder, absolute);
  const format = options.format ?? (await detectFormat(folder, absolute, entries));
  const context = new ReadContext(folder, absolute, options.dialect, options.variables ?? null);
  const drafts = await READERS[format](context, entries);
  const migrations = orderMigrations(drafts, format, options.allowVersionGaps ?? false);
  return Object.freeze({ folder, format, dialect: options.dialect, migrations, notes: Object.freeze([...context.notes]) });
}

async function listFolder(folder: string, absolute: string): Promise<FolderEntry[]> {
  try {
    const info = await stat(absolute);
    if (!info.isDirectory()) throw new SchemaguardError(`${folder} is a file, not a migrations folder`, { hint: 'pass the folder that holds the migration files' });
    const dirents = await readdir(absolute, { withFileTypes: true });
    return dirents
      .map((dirent) => ({ name: dirent.name, directory: dirent.isDirectory() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    if (error instanceof SchemaguardError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new SchemaguardError(`migrations folder not found: ${folder}`, { hint: 'check the path (it is read relative to the current directory)', cause: error });
    if (code === 'EACCES' || code === 'EPERM') {
      throw new SchemaguardError(`cannot read migrations folder ${folder}: permission denied`, { hint: 'give the user running schemaguard read access to it', cause: error });
    }
    throw new SchemaguardError(`cannot read migrations folder ${folder}: ${messageOf(error)}`, { hint: 'check the path and its permissions', cause: error });
  }
}

/** Sorts by version; refuses two migrations of one version, and holes in a plain sequence. */
function orderMigrations(drafts: readonly MigrationDraft[], format: MigrationFormat, allowVersionGaps: boolean): Migration[] {
  const sorted = [...drafts].sort((a, b) => compareVersions(a.version, b.version));
  const seen = new Map<string, MigrationDraft>();
  for (const draft of sorted) {
    const earlier = seen.get(versionKey(draft.version));
    if (earlier !== undefined) throw duplicateVersion(draft.version, earlier.up.file, draft.up.file);
    seen.set(versionKey(draft.version), draft);
  }
  if (!allowVersionGaps && sorted.length > 1 && sorted.every((draft) => isSequenceNumber(draft.version))) {
    for (let at = 1; at < sorted.length; at += 1) {
      const before = sorted[at - 1]!;
      const after = sorted[at]!;
      const [low, high] = [before.version, after.version].map((v) => (v.kind === 'number' ? v.parts[0]! : 0n));
      if (high! - low! > 1n) throw versionGap({ version: before.version, file: before.up.file }, { version: after.version, file: after.up.file });
    }
  }
  return sorted.map((draft) => Object.freeze({ ...draft, format }));
}
