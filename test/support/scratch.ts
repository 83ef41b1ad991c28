import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase, type ScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import type { SchemaSnapshot } from '../../src/snapshot/model.js';

export function fixture(path: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)), 'utf8');
}

/** A fresh throwaway database with `sql` applied (through schemaguard's own scratch layer). */
export async function scratchWith(target: ScratchTarget, sql?: string): Promise<ScratchDatabase> {
  const scratch = await createScratchDatabase(target);
  try {
    if (sql !== undefined && sql.trim() !== '') await scratch.connection.executeScript(sql);
    return scratch;
  } catch (error) {
    await scratch.dispose();
    throw error;
  }
}

export async function snapshotOf(scratch: ScratchDatabase): Promise<SchemaSnapshot> {
  return scratch.connection.captureSchema({ schemas: [] });
}
