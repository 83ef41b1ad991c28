import { SchemaguardError } from '../core/errors.js';
import type { MigrationFile } from './migration.js';
import type { MigrationVersion } from './version.js';

/**
 * The errors a migration folder can cause, each one line naming the file (and line) with a
 * hint saying what to change.
 */

/** `migrations/0042_add_index.up.sql:7: message` */
export function errorAt(file: MigrationFile, line: number | null, message: string, hint: string, cause?: unknown): SchemaguardError {
  const where = line === null ? file.display : `${file.display}:${line}`;
  return new SchemaguardError(`${where}: ${message}`, cause === undefined ? { hint } : { hint, cause });
}

export function duplicateVersion(version: MigrationVersion, first: MigrationFile, second: MigrationFile): SchemaguardError {
  const [a, b] = [first.display, second.display].sort();
  return new SchemaguardError(`two migrations have version ${version.text}: ${a} and ${b}`, {
    hint: 'give each migration its own version (rename one of the files)',
  });
}

export function versionGap(before: { version: MigrationVersion; file: MigrationFile }, after: { version: MigrationVersion; file: MigrationFile }): SchemaguardError {
  return new SchemaguardError(
    `migration versions jump from ${before.version.text} (${before.file.display}) to ${after.version.text} (${after.file.display}): a migration is missing`,
    { hint: 'add or renumber the missing migration, or set allowVersionGaps when the gap is intended' },
  );
}

export function downWithoutUp(down: MigrationFile, expected: string): SchemaguardError {
  return new SchemaguardError(`${down.display} has no migration to undo: ${expected} is missing`, {
    hint: 'add the up migration, or remove the down file',
  });
}
