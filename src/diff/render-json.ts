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

/** The documented machine-readable diff (docs/diff-format.md). Keys sorted, like snapshots. */
export function renderJsonDiff(changes: readonly Change[], from: DiffSide, to: DiffSide, warnings: readonly string[] = []): string {
  const count = (action: Change['action']) => changes.filter((c) => c.action === action).length;
  return stableStringify({
    format: DIFF_FORMAT,
    formatVersion: DIFF_FORMAT_VERSION,
    from,
    to,
    equal: changes.length === 0,
    summary: { added: count('added'), removed: count('removed'), renamed: count('renamed'), changed: count('changed') },
    changes,
    warnings,
  });
}
