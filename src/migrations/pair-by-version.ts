import { duplicateVersion } from './migration-errors.js';
import type { MigrationFile } from './migration.js';
import type { MigrationVersion } from './version.js';

/** A file that holds one direction of one migration. */
export interface DirectedFile<T> {
  readonly version: MigrationVersion;
  readonly name: string;
  readonly direction: 'up' | 'down';
  readonly file: MigrationFile;
  readonly payload: T;
}

export interface VersionPair<T> {
  readonly version: MigrationVersion;
  readonly up: DirectedFile<T> | null;
  readonly down: DirectedFile<T> | null;
}

/** The key two spellings of one version share: `1`, `01` and `1.0` are one version. */
export function versionKey(version: MigrationVersion): string {
  if (version.kind === 'name') return `name:${version.text}`;
  const parts = [...version.parts];
  while (parts.length > 1 && parts.at(-1) === 0n) parts.pop();
  return `number:${parts.join('.')}`;
}

/** Groups files by version; two files for one version and direction are an error naming both. */
export function pairByVersion<T>(files: readonly DirectedFile<T>[]): VersionPair<T>[] {
  const pairs = new Map<string, { version: MigrationVersion; up: DirectedFile<T> | null; down: DirectedFile<T> | null }>();
  for (const file of files) {
    const key = versionKey(file.version);
    const pair = pairs.get(key) ?? { version: file.version, up: null, down: null };
    pairs.set(key, pair);
    const existing = pair[file.direction];
    if (existing !== null) throw duplicateVersion(file.version, existing.file, file.file);
    pair[file.direction] = file;
  }
  return [...pairs.values()];
}
