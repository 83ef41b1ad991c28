import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { SchemaguardError, messageOf } from '../core/errors.js';
import { compareSnapshots, type DiffOptions } from '../diff/diff-snapshots.js';
import type { Change } from '../diff/change.js';
import { parseSnapshot, serializeSnapshot } from '../snapshot/canonical.js';
import type { SchemaSnapshot } from '../snapshot/model.js';
import { writeFileAtomic } from './atomic-write.js';

/** The folder baselines live in by default, reviewed like code. */
export const DEFAULT_BASELINE_DIR = 'schemaguard';

export interface BaselineOptions {
  /** `-u`: write the baseline when it differs (never in CI mode). */
  readonly update: boolean;
  /** `--ci`: never write; a missing baseline fails. Default when CI=true. */
  readonly ci: boolean;
  readonly diff?: DiffOptions;
}

/**
 * Like a Jest snapshot: a missing baseline is written on a developer's machine and fails in
 * CI; a different one fails, showing the diff, unless -u rewrites it.
 */
export type BaselineOutcome =
  | { readonly status: 'matched'; readonly path: string }
  | { readonly status: 'written'; readonly path: string }
  | { readonly status: 'updated'; readonly path: string; readonly changes: Change[] }
  | { readonly status: 'missing'; readonly path: string }
  | { readonly status: 'mismatched'; readonly path: string; readonly changes: Change[] };

export async function readBaseline(path: string): Promise<SchemaSnapshot | null> {
  if (!existsSync(path)) return null;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SchemaguardError(`cannot read baseline ${path}: ${messageOf(error)}`, { hint: 'check the file permissions' });
  }
  try {
    return parseSnapshot(text, path);
  } catch (error) {
    if (error instanceof SchemaguardError) {
      throw new SchemaguardError(error.message.replace(/^corrupt snapshot file/, 'corrupt baseline'), {
        hint: `restore it from version control, or rewrite it with -u (${relative(process.cwd(), path) || path})`,
        cause: error,
      });
    }
    throw error;
  }
}

/** Baselines never record owners: the scratch database's owner is whoever ran the check. */
export function withoutOwners(snapshot: SchemaSnapshot): SchemaSnapshot {
  const strip = <T extends { owner?: string | null }>(item: T): T => ({ ...item, owner: null });
  return {
    ...snapshot,
    namespaces: snapshot.namespaces.map(strip),
    tables: snapshot.tables.map(strip),
    views: snapshot.views.map(strip),
    sequences: snapshot.sequences.map(strip),
    types: snapshot.types.map(strip),
    routines: snapshot.routines.map(strip),
    triggers: snapshot.triggers.map(strip),
    events: snapshot.events.map(strip),
  };
}

export async function checkBaseline(actual: SchemaSnapshot, path: string, options: BaselineOptions): Promise<BaselineOutcome> {
  const expected = await readBaseline(path);
  const normalised = withoutOwners(actual);
  if (expected === null) {
    if (options.ci) return { status: 'missing', path };
    await writeFileAtomic(path, serializeSnapshot(normalised));
    return { status: 'written', path };
  }
  const changes = compareSnapshots(withoutOwners(expected), normalised, options.diff).changes;
  if (changes.length === 0) return { status: 'matched', path };
  if (options.update && !options.ci) {
    await writeFileAtomic(path, serializeSnapshot(normalised));
    return { status: 'updated', path, changes };
  }
  return { status: 'mismatched', path, changes };
}

/** Baseline files in the folder that no check produced this run. */
export function obsoleteBaselines(directory: string, produced: readonly string[]): string[] {
  const dir = resolve(directory);
  if (!existsSync(dir)) return [];
  const used = new Set(produced.map((p) => resolve(p)));
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(dir, name))
    .filter((path) => !used.has(path))
    .sort();
}
