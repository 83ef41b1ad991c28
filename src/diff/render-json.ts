import { stableStringify } from '../snapshot/canonical.js';
import type { Engine } from '../dialects/engine.js';
import type { Change } from './change.js';

export const DIFF_FORMAT = 'schemaguard-diff';
export const DIFF_FORMAT_VERSION = 1;

export interface DiffSide {
  /** The source as given (URL with the password masked, or a file path). */
  readonly source: string;
  readonly engine: Engine;
}

/** A further comparison reported beside the schema changes (`data` for `diff --data`), under its own key. */
export interface JsonDiffSection {
  readonly equal: boolean;
}

/**
 * The documented machine-readable diff (docs/diff-format.md). Keys sorted, like snapshots.
 * `equal` is true only when there are no changes and every section is equal.
 */
export function renderJsonDiff(
  changes: readonly Change[],
  from: DiffSide,
  to: DiffSide,
  warnings: readonly string[] = [],
  sections: Readonly<Record<string, JsonDiffSection>> = {},
): string {
  const count = (action: Change['action']) => changes.filter((c) => c.action === action).length;
  return stableStringify({
    ...sections,
    format: DIFF_FORMAT,
    formatVersion: DIFF_FORMAT_VERSION,
    from,
    to,
    equal: changes.length === 0 && Object.values(sections).every((section) => section.equal),
    summary: { added: count('added'), removed: count('removed'), renamed: count('renamed'), changed: count('changed') },
    changes,
    warnings,
  });
}
