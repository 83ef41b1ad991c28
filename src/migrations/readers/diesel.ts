import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { downWithoutUp } from '../migration-errors.js';
import { pairByVersion } from '../pair-by-version.js';
import type { ReadContext } from '../read-context.js';
import { parseNumericVersion } from '../version.js';
import type { FolderEntry, MigrationDraft, MigrationReader } from './reader.js';

/**
 * diesel: one folder per migration, `<version>_<name>/up.sql` and `down.sql`, where the
 * version is diesel's timestamp (`2024-01-15-103000`) or digits (`00000000000000`). A
 * `metadata.toml` with `run_in_transaction = false` runs both outside a transaction.
 */

export function parseDieselFolderName(name: string): { version: string; name: string } | null {
  const underscore = name.indexOf('_');
  const version = underscore < 0 ? name : name.slice(0, underscore);
  if (parseNumericVersion(version, ['-']) === null) return null;
  return { version, name: underscore < 0 ? '' : name.slice(underscore + 1) };
}

export const readDiesel: MigrationReader = async (context: ReadContext, entries: readonly FolderEntry[]) => {
  const drafts: MigrationDraft[] = [];
  const folders = [];
  for (const entry of entries) {
    if (!entry.directory) continue;
    const parsed = parseDieselFolderName(entry.name);
    const version = parsed === null ? null : parseNumericVersion(parsed.version, ['-']);
    const hasUp = existsSync(join(context.absoluteFolder, entry.name, 'up.sql'));
    const hasDown = existsSync(join(context.absoluteFolder, entry.name, 'down.sql'));
    if (parsed === null || version === null) {
      if (hasUp || hasDown) context.note(context.file(entry.name), null, 'not a diesel migration folder name (<version>_<name>): left out');
      continue;
    }
    if (!hasUp) {
      if (hasDown) throw downWithoutUp(context.file(join(entry.name, 'down.sql')), context.file(join(entry.name, 'up.sql')).display);
      continue;
    }
    folders.push({ version, name: parsed.name, direction: 'up' as const, file: context.file(join(entry.name, 'up.sql')), payload: entry.name });
  }
  for (const { version, up } of pairByVersion(folders)) {
    const folder = up!.payload;
    const transactional = await runInTransaction(context, folder);
    const script = async (fileName: string) => context.script(await context.readSql(context.file(join(folder, fileName))), transactional);
    drafts.push({
      version,
      name: up!.name,
      up: await script('up.sql'),
      down: existsSync(join(context.absoluteFolder, folder, 'down.sql')) ? await script('down.sql') : null,
    });
  }
  return drafts;
};

/** `run_in_transaction = false` in the migration's metadata.toml. */
async function runInTransaction(context: ReadContext, folder: string): Promise<boolean> {
  const metadata = context.file(join(folder, 'metadata.toml'));
  if (!existsSync(metadata.path)) return true;
  for (const line of (await context.readText(metadata)).split('\n')) {
    const equals = line.indexOf('=');
    if (equals >= 0 && line.slice(0, equals).trim() === 'run_in_transaction') return line.slice(equals + 1).trim() !== 'false';
  }
  return true;
}
