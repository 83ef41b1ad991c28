import type { Engine } from '../../dialects/engine.js';
import { downWithoutUp } from '../migration-errors.js';
import { pairByVersion, versionKey, type DirectedFile } from '../pair-by-version.js';
import type { ReadContext } from '../read-context.js';
import { parseNumericVersion, type MigrationVersion } from '../version.js';
import { dialectOfSuffix } from './dialect-suffix.js';
import type { FolderEntry, MigrationDraft, MigrationReader } from './reader.js';

/**
 * golang-migrate: `<version>_<name>.up.sql` and `<version>_<name>.down.sql`, one file per
 * direction, run in a transaction.
 *
 * Also the pop/popx layout of ory kratos and supabase auth:
 * `<version>_<name>[.<dialect>][.autocommit].{up,down}.sql`. For each version and direction,
 * a file for the target dialect wins over the dialect-neutral one; files for other dialects
 * (cockroach among them) are left out; `.autocommit` runs outside a transaction; an empty
 * file is a migration that does nothing.
 */

export interface GolangMigrateName {
  readonly version: MigrationVersion;
  readonly name: string;
  readonly direction: 'up' | 'down';
  /** null: for every dialect. */
  readonly dialect: Engine | 'cockroach' | null;
  readonly autocommit: boolean;
}

/** Reads a golang-migrate (or popx) file name; null when the name is not one. */
export function parseGolangMigrateName(fileName: string): GolangMigrateName | null {
  const direction = fileName.endsWith('.up.sql') ? 'up' : fileName.endsWith('.down.sql') ? 'down' : null;
  if (direction === null) return null;
  const stem = fileName.slice(0, -`.${direction}.sql`.length);
  const underscore = stem.indexOf('_');
  if (underscore <= 0) return null;
  const version = parseNumericVersion(stem.slice(0, underscore));
  if (version === null) return null;
  const parts = stem.slice(underscore + 1).split('.');
  let autocommit = false;
  let dialect: Engine | 'cockroach' | null = null;
  if (parts.length > 1 && parts.at(-1) === 'autocommit') {
    autocommit = true;
    parts.pop();
  }
  const suffix = parts.length > 1 ? dialectOfSuffix(parts.at(-1)!) : undefined;
  if (suffix !== undefined) {
    dialect = suffix;
    parts.pop();
  }
  // golang-migrate allows dots in names: a segment that is no dialect stays part of the name.
  return { version, name: parts.join('.'), direction, dialect, autocommit };
}

export const readGolangMigrate: MigrationReader = async (context: ReadContext, entries: readonly FolderEntry[]) => {
  const chosen = new Map<string, DirectedFile<GolangMigrateName>>();
  for (const entry of entries) {
    if (entry.directory) continue;
    const parsed = parseGolangMigrateName(entry.name);
    if (parsed === null) {
      if (entry.name.endsWith('.sql')) context.note(context.file(entry.name), null, 'not a migration file name (<version>_<name>.up.sql or .down.sql): left out');
      continue;
    }
    if (parsed.dialect !== null && parsed.dialect !== context.dialect) continue;
    const candidate: DirectedFile<GolangMigrateName> = {
      version: parsed.version,
      name: parsed.name,
      direction: parsed.direction,
      file: context.file(entry.name),
      payload: parsed,
    };
    const key = `${versionKey(parsed.version)} ${parsed.direction}`;
    const current = chosen.get(key);
    if (current === undefined || (current.payload.dialect === null && parsed.dialect !== null)) {
      chosen.set(key, candidate);
    } else if ((current.payload.dialect === null) === (parsed.dialect === null)) {
      // Two neutral files, or two for this dialect (`.sqlite.` and `.sqlite3.`): ambiguous.
      pairByVersion([current, candidate]);
    }
  }
  const drafts: MigrationDraft[] = [];
  for (const pair of pairByVersion([...chosen.values()])) {
    if (pair.up === null) throw downWithoutUp(pair.down!.file, `an up file for version ${pair.version.text} (${pair.version.text}_<name>.up.sql)`);
    const script = async (file: DirectedFile<GolangMigrateName>) =>
      context.script(await context.readSql(file.file), !file.payload.autocommit);
    drafts.push({
      version: pair.version,
      name: pair.up.name,
      up: await script(pair.up),
      down: pair.down === null ? null : await script(pair.down),
    });
  }
  return drafts;
};
