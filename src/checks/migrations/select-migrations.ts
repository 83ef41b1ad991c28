import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { SchemaguardError, messageOf } from '../../core/errors.js';
import type { Migration } from '../../migrations/migration.js';
import { compareVersions, parseNumericVersion, nameVersion } from '../../migrations/version.js';

/**
 * Which migrations a check looks at. Everything before the first checked one is applied up
 * only, to start from the schema the base branch leaves.
 */
export type MigrationSelection =
  | { readonly kind: 'all' }
  | { readonly kind: 'from'; readonly version: string }
  /** The last `count` migrations of the folder. */
  | { readonly kind: 'latest'; readonly count: number }
  | { readonly kind: 'git-base'; readonly ref: string; readonly folder: string };

/** The index of the first migration to check (migrations.length when there is none). */
export function firstCheckedIndex(migrations: readonly Migration[], selection: MigrationSelection): number {
  switch (selection.kind) {
    case 'all':
      return 0;
    case 'from': {
      const version = parseNumericVersion(selection.version, ['.', '_', '-']) ?? nameVersion(selection.version);
      const index = migrations.findIndex((m) => compareVersions(m.version, version) >= 0);
      return index < 0 ? migrations.length : index;
    }
    case 'latest':
      return Math.max(0, migrations.length - selection.count);
    case 'git-base': {
      const added = filesAddedSince(selection.ref, selection.folder);
      const index = migrations.findIndex((m) => [m.up.file.path, m.down?.file.path].some((path) => path !== undefined && added.has(resolve(path))));
      return index < 0 ? migrations.length : index;
    }
  }
}

/** Files under `folder` that the branch adds compared with `ref` (committed or not). */
function filesAddedSince(ref: string, folder: string): Set<string> {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? messageOf(error);
      throw new SchemaguardError(`git ${args.join(' ')} failed: ${stderr.split('\n')[0]}`, {
        hint: `is this a git checkout, and does ${ref} exist? (in CI, fetch the base branch first: git fetch origin ${ref})`,
      });
    }
  };
  const root = git(['rev-parse', '--show-toplevel']).trim();
  const base = git(['merge-base', ref, 'HEAD']).trim();
  const committed = git(['diff', '--name-only', '--diff-filter=A', base, 'HEAD', '--', folder]);
  const untracked = git(['ls-files', '--others', '--exclude-standard', '--', folder]);
  const cwd = process.cwd();
  return new Set([
    ...committed.split('\n').filter(Boolean).map((path) => resolve(root, path)),
    ...untracked.split('\n').filter(Boolean).map((path) => resolve(cwd, path)),
  ]);
}
