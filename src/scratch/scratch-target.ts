import { SchemaguardError } from '../core/errors.js';
import { describeDatabaseUrl, type DatabaseUrl, type DockerUrl, type ServerUrl } from '../dialects/database-url.js';
import type { Engine } from '../dialects/engine.js';

/**
 * Where a throwaway database comes from. Each kind is created fresh and removed afterwards;
 * none of them is ever a database the user already has.
 */
export type ScratchTarget =
  | { readonly kind: 'pglite' }
  | { readonly kind: 'sqlite' }
  | { readonly kind: 'server'; readonly url: ServerUrl }
  | { readonly kind: 'docker'; readonly url: DockerUrl };

export function scratchEngine(target: ScratchTarget): Engine {
  switch (target.kind) {
    case 'pglite':
      return 'postgres';
    case 'sqlite':
      return 'sqlite';
    case 'server':
    case 'docker':
      return target.url.engine;
  }
}

export function describeScratchTarget(target: ScratchTarget): string {
  switch (target.kind) {
    case 'pglite':
      return 'PGlite (in memory)';
    case 'sqlite':
      return 'SQLite (temporary file)';
    case 'server':
    case 'docker':
      return describeDatabaseUrl(target.url);
  }
}

/**
 * The target a `--scratch URL` names. A server URL means "create a database on this server";
 * `pglite:` and `sqlite:` (without a path) mean the embedded engines.
 */
export function scratchTargetFromUrl(url: DatabaseUrl): ScratchTarget {
  switch (url.kind) {
    case 'server':
      return { kind: 'server', url };
    case 'docker':
      return { kind: 'docker', url };
    case 'pglite':
      if (url.dataDir !== null) {
        throw new SchemaguardError(`${describeDatabaseUrl(url)} is a PGlite data directory, not a scratch target`, {
          hint: 'use --scratch pglite: for an in-memory throwaway database',
        });
      }
      return { kind: 'pglite' };
    case 'sqlite':
      if (url.path !== ':memory:') {
        throw new SchemaguardError(`${describeDatabaseUrl(url)} is a SQLite file, not a scratch target`, {
          hint: 'use --scratch sqlite::memory: (schemaguard then uses a temporary file it deletes afterwards)',
        });
      }
      return { kind: 'sqlite' };
  }
}

/** The embedded default for an engine; MySQL has none. */
export function defaultScratchTarget(engine: Engine): ScratchTarget {
  switch (engine) {
    case 'postgres':
      return { kind: 'pglite' };
    case 'sqlite':
      return { kind: 'sqlite' };
    case 'mysql':
      throw new SchemaguardError('MySQL/MariaDB has no embedded throwaway database', {
        hint: 'pass --scratch mysql://USER@HOST:PORT (a server where schemaguard may create databases) or --scratch docker:mysql:8',
      });
  }
}
