import type { Migration } from '../migration.js';
import type { ReadContext } from '../read-context.js';

/** A name in the migration folder. */
export interface FolderEntry {
  readonly name: string;
  readonly directory: boolean;
}

/** A migration as a reader makes it; the folder's format is added when the set is built. */
export type MigrationDraft = Omit<Migration, 'format'>;

/** Reads the migrations of one format out of a folder listing. */
export type MigrationReader = (context: ReadContext, entries: readonly FolderEntry[]) => Promise<MigrationDraft[]>;
