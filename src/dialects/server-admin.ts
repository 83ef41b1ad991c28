import type { ServerUrl } from './database-url.js';

/**
 * Server-level operations for throwaway databases: the only statements schemaguard runs
 * outside a database, and only on servers the user handed over as scratch.
 */
export interface ServerAdmin {
  createDatabase(name: string): Promise<void>;
  /**
   * A new database as a copy of `template` (nobody may be connected to it meanwhile), or
   * `null` when the engine has no such copy (MySQL).
   */
  readonly copyDatabase: ((name: string, template: string) => Promise<void>) | null;
  /** Drops the database, disconnecting anyone still in it. Missing is fine. */
  dropDatabase(name: string): Promise<void>;
  /** Database names starting with `prefix`. */
  listDatabases(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function openServerAdmin(url: ServerUrl): Promise<ServerAdmin> {
  if (url.engine === 'postgres') {
    const { openPostgresAdmin } = await import('./postgres/postgres-admin.js');
    return openPostgresAdmin(url);
  }
  const { openMysqlAdmin } = await import('./mysql/mysql-admin.js');
  return openMysqlAdmin(url);
}
