import type { DatabaseUrl } from '../dialects/database-url.js';
import { SCRATCH_PREFIX } from '../scratch/scratch-name.js';

/**
 * Whether a URL names a database schemaguard may write to without being told twice:
 * - an in-memory database (`pglite:`, `sqlite::memory:`), which nobody else can see;
 * - a database whose name starts with `schemaguard_`: the throwaway ones schemaguard makes;
 * - the `scratch:` URL of the config file, which the user declared as scratch.
 * Anything else is the user's data, and needs `--i-know-this-writes`.
 */
export type ScratchUrlVerdict = { readonly scratch: true; readonly reason: string } | { readonly scratch: false };

export function isScratchUrl(url: DatabaseUrl, configScratch: DatabaseUrl | null): ScratchUrlVerdict {
  if (url.kind === 'pglite' && url.dataDir === null) return { scratch: true, reason: 'an in-memory PGlite database' };
  if (url.kind === 'sqlite' && url.path === ':memory:') return { scratch: true, reason: 'an in-memory SQLite database' };
  if (url.kind === 'server' && url.database !== null && url.database.toLowerCase().startsWith(SCRATCH_PREFIX)) {
    return { scratch: true, reason: `a ${SCRATCH_PREFIX}* throwaway database` };
  }
  if (configScratch !== null && sameDatabase(url, configScratch)) return { scratch: true, reason: 'the scratch URL of the config file' };
  return { scratch: false };
}

/** The same database, whoever connects to it (user and password do not matter). */
function sameDatabase(a: DatabaseUrl, b: DatabaseUrl): boolean {
  if (a.kind === 'server' && b.kind === 'server') {
    return (
      a.engine === b.engine &&
      a.host.toLowerCase() === b.host.toLowerCase() &&
      a.port === b.port &&
      a.socketPath === b.socketPath &&
      a.database !== null &&
      a.database === b.database
    );
  }
  if (a.kind === 'sqlite' && b.kind === 'sqlite') return a.path === b.path;
  if (a.kind === 'pglite' && b.kind === 'pglite') return a.dataDir === b.dataDir;
  return false;
}
