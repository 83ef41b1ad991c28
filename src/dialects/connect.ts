import { SchemaguardError } from '../core/errors.js';
import type { DatabaseUrl, PgliteUrl, ServerUrl, SqliteUrl } from './database-url.js';
import { describeDatabaseUrl } from './database-url.js';
import type { AccessMode, ConnectOptions, ReadOnlyConnection, ScratchConnection } from './dialect.js';

/** URLs that name an existing database (docker URLs only ever name a scratch container). */
export type ConnectableUrl = ServerUrl | SqliteUrl | PgliteUrl;

export function isConnectable(url: DatabaseUrl): url is ConnectableUrl {
  return url.kind !== 'docker';
}

export async function openDatabase(url: DatabaseUrl, mode: 'read-only', options: ConnectOptions): Promise<ReadOnlyConnection>;
export async function openDatabase(url: DatabaseUrl, mode: 'scratch', options: ConnectOptions): Promise<ScratchConnection>;
export async function openDatabase(
  url: DatabaseUrl,
  mode: AccessMode,
  options: ConnectOptions,
): Promise<ReadOnlyConnection | ScratchConnection> {
  if (!isConnectable(url)) {
    throw new SchemaguardError(`${describeDatabaseUrl(url)} starts an empty throwaway container; it cannot be read as an existing database`, {
      hint: 'use docker: URLs as --scratch targets, and a postgres:// or mysql:// URL for a database that exists',
    });
  }
  // Engine modules load on demand: a SQLite user never loads pg, and the reverse.
  if (url.engine === 'postgres') {
    const { openPostgres } = await import('./postgres/postgres-connection.js');
    return mode === 'read-only' ? openPostgres(url as ServerUrl | PgliteUrl, mode, options) : openPostgres(url as ServerUrl | PgliteUrl, mode, options);
  }
  if (url.engine === 'mysql') {
    const { openMysql } = await import('./mysql/mysql-connection.js');
    return mode === 'read-only' ? openMysql(url as ServerUrl, mode, options) : openMysql(url as ServerUrl, mode, options);
  }
  const { openSqlite } = await import('./sqlite/sqlite-connection.js');
  return mode === 'read-only' ? openSqlite(url as SqliteUrl, mode, options) : openSqlite(url as SqliteUrl, mode, options);
}
