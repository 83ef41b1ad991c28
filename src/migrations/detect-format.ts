import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SchemaguardError } from '../core/errors.js';
import type { MigrationFormat } from './migration.js';
import { parseDieselFolderName } from './readers/diesel.js';
import { parseFlywayName } from './readers/flyway.js';
import { parseGolangMigrateName } from './readers/golang-migrate.js';
import { isKyselyMigrationFile } from './readers/kysely.js';
import type { FolderEntry } from './readers/reader.js';
import { commentWords, sourceLines, splitVersionedName } from './readers/source-lines.js';

/** What each format looks like, for the message when none is found. */
export const FORMAT_SIGNS: Readonly<Record<MigrationFormat, string>> = {
  'golang-migrate': 'golang-migrate (0001_name.up.sql and .down.sql)',
  flyway: 'Flyway (V1__name.sql, U1__name.sql)',
  dbmate: 'dbmate (20240101120000_name.sql with -- migrate:up)',
  goose: 'goose (00001_name.sql with -- +goose Up)',
  diesel: 'diesel (2024-01-01-120000_name/up.sql)',
  kysely: 'Kysely (.ts/.js modules exporting up and down)',
};

/** The format of a migration folder, from its file names (and for goose and dbmate, their markers). */
export async function detectFormat(folder: string, absoluteFolder: string, entries: readonly FolderEntry[]): Promise<MigrationFormat> {
  const counts = new Map<MigrationFormat, number>();
  const count = (format: MigrationFormat) => counts.set(format, (counts.get(format) ?? 0) + 1);
  for (const entry of entries) {
    if (entry.directory) {
      if (parseDieselFolderName(entry.name) !== null && existsSync(join(absoluteFolder, entry.name, 'up.sql'))) count('diesel');
      continue;
    }
    if (parseGolangMigrateName(entry.name) !== null) count('golang-migrate');
    else if (parseFlywayName(entry.name) !== null) count('flyway');
    else if (isKyselyMigrationFile(entry.name)) count('kysely');
    else if (splitVersionedName(entry.name, '.sql') !== null) {
      const marker = await markerOf(join(absoluteFolder, entry.name));
      if (marker !== null) count(marker);
    }
  }
  const found = [...counts.keys()];
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    throw new SchemaguardError(`cannot tell the migration format of ${folder}: no file looks like ${Object.values(FORMAT_SIGNS).join(', ')}`, {
      hint: 'check the folder, or name the format (format: golang-migrate|flyway|dbmate|goose|diesel|kysely)',
    });
  }
  const described = found.map((format) => `${counts.get(format)} ${format}`).join(', ');
  throw new SchemaguardError(`${folder} mixes migration formats (${described} files)`, {
    hint: 'name the format to read (format: …), or keep one format per folder',
  });
}

/** goose or dbmate, from the marker lines of a `<version>_<name>.sql` file. */
async function markerOf(path: string): Promise<'goose' | 'dbmate' | null> {
  const text = await readFile(path, 'utf8').catch(() => '');
  for (const line of sourceLines(text)) {
    const first = commentWords(line)?.[0]?.toLowerCase();
    if (first === '+goose') return 'goose';
    if (first === 'migrate:up' || first === 'migrate:down') return 'dbmate';
  }
  return null;
}
