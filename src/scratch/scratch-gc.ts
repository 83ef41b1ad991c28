import type { ServerUrl } from '../dialects/database-url.js';
import { openServerAdmin } from '../dialects/server-admin.js';
import { SCRATCH_PREFIX, scratchCreatedAt } from './scratch-name.js';

export interface GcResult {
  readonly dropped: string[];
  /** Scratch databases younger than the cut-off: probably a run still going. */
  readonly kept: string[];
}

/** Drops the throwaway databases a killed run left on a server, older than `olderThanMs`. */
export async function collectScratchGarbage(url: ServerUrl, olderThanMs: number, now: Date = new Date(), dryRun = false): Promise<GcResult> {
  const admin = await openServerAdmin(url);
  try {
    const dropped: string[] = [];
    const kept: string[] = [];
    for (const name of await admin.listDatabases(SCRATCH_PREFIX)) {
      const createdAt = scratchCreatedAt(name);
      if (createdAt === null) continue;
      if (now.getTime() - createdAt.getTime() < olderThanMs) {
        kept.push(name);
        continue;
      }
      if (!dryRun) await admin.dropDatabase(name);
      dropped.push(name);
    }
    return { dropped, kept };
  } finally {
    await admin.close();
  }
}
