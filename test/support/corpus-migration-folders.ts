import { parseDatabaseUrl, type ServerUrl } from '../../src/dialects/database-url.js';
import type { Engine } from '../../src/dialects/engine.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import { corpusPath } from './corpus.js';
import type { ServerAvailability } from './servers.js';

/** A real migration folder of ../shared/corpus, on one engine, as the corpus tests run it. */
export interface CorpusMigrationFolder {
  readonly id: string;
  readonly folder: string;
  readonly engine: Engine;
  readonly scratch: ScratchTarget;
  readonly available: boolean;
  readonly variables?: Record<string, string>;
  /** Check or lint from this version on (earlier migrations only build the schema), to bound the run time. */
  readonly from?: string;
  /** Migrations from this version on are left out (they need another server). */
  readonly before?: string;
}

/**
 * ory-kratos on each engine: the whole folder on SQLite; on the servers every statement is a
 * round trip, so the recent years only (PostgreSQL from 2022, MariaDB from 2023 — MariaDB
 * cannot copy a database, so a failed round trip replays the folder; its 2026-04 migrations
 * use MySQL 8 generated columns, and its older ones need sql_mode without strict tables).
 */
export function kratosFolders(pg: ServerAvailability, my: ServerAvailability): CorpusMigrationFolder[] {
  const folder = corpusPath('ory-kratos', 'persistence', 'sql', 'migrations', 'sql');
  const laxMariadb = my.available ? (parseDatabaseUrl(`${my.text}?sql_mode=NO_ENGINE_SUBSTITUTION`) as ServerUrl) : my.url;
  return [
    { id: 'kratos-sqlite', folder, engine: 'sqlite', scratch: { kind: 'sqlite' }, available: true },
    { id: 'kratos-postgres', folder, engine: 'postgres', scratch: { kind: 'server', url: pg.url }, available: pg.available, from: '20220101000000000000' },
    {
      id: 'kratos-mariadb',
      folder,
      engine: 'mysql',
      scratch: { kind: 'server', url: laxMariadb },
      available: my.available,
      from: '20230101000000000000',
      before: '20260408000000000000',
    },
  ];
}
