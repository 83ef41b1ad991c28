import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errorAt } from '../migration-errors.js';
import { pairByVersion, type DirectedFile } from '../pair-by-version.js';
import type { ReadContext } from '../read-context.js';
import { parseNumericVersion, type MigrationVersion } from '../version.js';
import type { FolderEntry, MigrationDraft, MigrationReader } from './reader.js';

/**
 * Flyway: `V<version>__<description>.sql` migrations and `U<version>__<description>.sql`
 * undo migrations, in the folder and its subfolders (Flyway scans locations recursively).
 * Versions are dotted (`1.2.10`; `1_2_10` is the same), the description's underscores are
 * spaces. `R__<description>.sql` repeatable migrations are not supported: they are reported
 * in the notes and left out. A `<file>.sql.conf` with `executeInTransaction=false` runs the
 * script outside a transaction.
 */

export type FlywayName =
  | { readonly kind: 'versioned' | 'undo'; readonly version: MigrationVersion; readonly description: string }
  | { readonly kind: 'repeatable'; readonly description: string };

export function parseFlywayName(fileName: string): FlywayName | null {
  if (!fileName.endsWith('.sql')) return null;
  const stem = fileName.slice(0, -'.sql'.length);
  const separator = stem.indexOf('__');
  if (separator < 1) return null;
  const prefix = stem[0];
  const versionText = stem.slice(1, separator);
  const description = stem.slice(separator + 2).replaceAll('_', ' ');
  if (prefix === 'R' && versionText === '') return { kind: 'repeatable', description };
  if (prefix !== 'V' && prefix !== 'U') return null;
  const version = parseNumericVersion(versionText, ['.', '_']);
  if (version === null) return null;
  return { kind: prefix === 'V' ? 'versioned' : 'undo', version, description };
}

/** Every file under the folder, as paths relative to it. */
async function listRecursively(absolute: string, relative: string, entries: readonly FolderEntry[]): Promise<string[]> {
  const files: string[] = [];
  for (const entry of entries) {
    const path = relative === '' ? entry.name : join(relative, entry.name);
    if (!entry.directory) {
      files.push(path);
      continue;
    }
    const children = await readdir(join(absolute, path), { withFileTypes: true });
    files.push(...(await listRecursively(absolute, path, children.map((c) => ({ name: c.name, directory: c.isDirectory() })))));
  }
  return files;
}

export const readFlyway: MigrationReader = async (context: ReadContext, entries: readonly FolderEntry[]) => {
  const files: DirectedFile<FlywayName>[] = [];
  const paths = await listRecursively(context.absoluteFolder, '', entries);
  for (const path of paths) {
    const fileName = path.split(/[\\/]/).at(-1)!;
    const parsed = parseFlywayName(fileName);
    const file = context.file(path);
    if (parsed === null) {
      if (fileName.endsWith('.sql')) context.note(file, null, 'not a Flyway migration file name (V<version>__<description>.sql): left out');
      continue;
    }
    if (parsed.kind === 'repeatable') {
      context.note(file, null, 'repeatable migrations (R__) are not supported: left out');
      continue;
    }
    files.push({ version: parsed.version, name: parsed.description, direction: parsed.kind === 'versioned' ? 'up' : 'down', file, payload: parsed });
  }
  const drafts: MigrationDraft[] = [];
  for (const pair of pairByVersion(files)) {
    if (pair.up === null) {
      throw errorAt(pair.down!.file, null, `undoes version ${pair.version.text}, which has no versioned migration (V${pair.version.text}__<description>.sql)`, 'add the versioned migration, or remove the undo file');
    }
    const script = async (file: DirectedFile<FlywayName>) =>
      context.script(await context.readSql(file.file), await executeInTransaction(context, file));
    drafts.push({ version: pair.version, name: pair.up.name, up: await script(pair.up), down: pair.down === null ? null : await script(pair.down) });
  }
  return drafts;
};

/** `executeInTransaction=false` in the script's `.sql.conf` file. */
async function executeInTransaction(context: ReadContext, file: DirectedFile<FlywayName>): Promise<boolean> {
  const conf = { path: `${file.file.path}.conf`, display: `${file.file.display}.conf` };
  if (!existsSync(conf.path)) return true;
  const text = await context.readText(conf);
  for (const line of text.split('\n')) {
    const equals = line.indexOf('=');
    if (equals < 0) continue;
    if (line.slice(0, equals).trim() === 'executeInTransaction') return line.slice(equals + 1).trim().toLowerCase() !== 'false';
  }
  return true;
}
