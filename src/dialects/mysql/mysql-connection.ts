import { Kysely, MysqlDialect, sql } from 'kysely';
import mysql from 'mysql2';
import { SchemaguardError } from '../../core/errors.js';
import type { SchemaSnapshot } from '../../snapshot/model.js';
import { describeDatabaseUrl, type ServerUrl, type SslMode } from '../database-url.js';
import type { AccessMode, CaptureOptions, ConnectOptions, ConsistentRead, ReadOnlyConnection, ScratchConnection } from '../dialect.js';
import type { ServerInfo } from '../engine.js';
import { mysqlConnectionError, mysqlQueryError } from './mysql-errors.js';
import { readMysqlCatalog } from './mysql-catalog.js';
import { mysqlTableScan } from './mysql-data.js';
import { mysqlFeatures } from './mysql-flavour.js';
import { captureMysqlSchema, foldMysqlCatalog } from './mysql-snapshot.js';

export async function openMysql(url: ServerUrl, mode: 'read-only', options: ConnectOptions): Promise<ReadOnlyConnection>;
export async function openMysql(url: ServerUrl, mode: 'scratch', options: ConnectOptions): Promise<ScratchConnection>;
export async function openMysql(
  url: ServerUrl,
  mode: AccessMode,
  options: ConnectOptions,
): Promise<ReadOnlyConnection | ScratchConnection> {
  const description = describeDatabaseUrl(url);
  const context = { target: description, engineName: url.scheme === 'mariadb' ? 'MariaDB' : 'MySQL' };
  if (url.database === null) {
    throw new SchemaguardError(`${description} names no database`, {
      hint: `add the database to the URL: ${url.scheme}://USER@HOST:PORT/DATABASE`,
    });
  }
  const pool = mysql.createPool({
    host: url.host,
    port: url.port,
    socketPath: url.socketPath ?? undefined,
    user: url.user,
    password: url.password?.reveal(),
    database: url.database,
    ssl: sslOption(url.sslMode),
    connectionLimit: 1,
    maxIdle: 1,
    idleTimeout: 0,
    connectTimeout: 10_000,
    charset: 'utf8mb4',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    multipleStatements: mode === 'scratch',
  });
  // Filled once the flavour is known; every connection the pool opens runs them first.
  const sessionSettings: string[] = [];
  pool.on('connection', (connection) => {
    for (const statement of sessionSettings) connection.query(statement, () => {});
  });
  let server: ServerInfo;
  try {
    server = await detectServer(pool);
    sessionSettings.push(...settingsFor(server, mode, options, url.params));
    await runOnPool(pool, sessionSettings);
  } catch (error) {
    await new Promise<void>((resolve) => pool.end(() => resolve()));
    throw mysqlConnectionError(error, context);
  }
  const db = new Kysely<any>({ dialect: new MysqlDialect({ pool }) });
  const base: ReadOnlyConnection = {
    engine: 'mysql',
    server,
    description,
    db,
    captureSchema: (captureOptions: CaptureOptions): Promise<SchemaSnapshot> =>
      captureMysqlSchema(db, server, captureOptions).catch((error: unknown) => {
        throw mysqlQueryError(error, `reading the catalog of ${description}`);
      }),
    readConsistent: <T>(work: (read: ConsistentRead) => Promise<T>): Promise<T> => readConsistent(pool, server, description, work),
    close: async () => {
      await db.destroy();
      // kysely ends the pool only if it used it; a connection only read through readConsistent did not.
      await new Promise<void>((resolve) => pool.end(() => resolve()));
    },
  };
  if (mode === 'read-only') return base;
  return {
    ...base,
    writable: true,
    executeScript: async (script: string) => {
      await sql.raw(script).execute(db);
    },
  };
}

function sslOption(mode: SslMode | null): mysql.PoolOptions['ssl'] {
  switch (mode) {
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      return undefined;
  }
}

async function detectServer(pool: mysql.Pool): Promise<ServerInfo> {
  const rows = await queryPool<{ version: string }[]>(pool, 'SELECT VERSION() AS version');
  const full = rows[0]?.version ?? '';
  const isMariadb = /mariadb/i.test(full);
  return { engine: 'mysql', product: isMariadb ? 'MariaDB' : 'MySQL', version: full.split('-')[0] ?? full };
}

/** Read-only sessions and a statement timeout, spelled the way each flavour wants. */
function settingsFor(server: ServerInfo, mode: AccessMode, options: ConnectOptions, params: Readonly<Record<string, string>>): string[] {
  const settings: string[] = [];
  // `?sql_mode=…` in the URL: migrations written for a laxer server (no STRICT_TRANS_TABLES) run as they would there.
  const sqlMode = params.sql_mode ?? params.sqlMode;
  if (sqlMode !== undefined) settings.push(`SET SESSION sql_mode = '${sqlMode.replaceAll("'", "''").replaceAll('\\', '\\\\')}'`);
  const timeoutMs = Math.max(0, Math.floor(options.statementTimeoutMs));
  if (server.product === 'MariaDB') settings.push(`SET SESSION max_statement_time = ${timeoutMs / 1000}`);
  else settings.push(`SET SESSION max_execution_time = ${timeoutMs}`);
  if (mode === 'read-only') settings.push('SET SESSION TRANSACTION READ ONLY');
  return settings;
}

function queryPool<T>(pool: mysql.Pool, statement: string): Promise<T> {
  return new Promise((resolve, reject) => {
    pool.query(statement, (error, rows) => (error ? reject(error) : resolve(rows as T)));
  });
}

async function runOnPool(pool: mysql.Pool, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await queryPool(pool, statement);
}

function onConnection<T>(connection: mysql.PoolConnection, statement: string): Promise<T> {
  return new Promise((resolve, reject) => {
    connection.query(statement, (error, rows) => (error ? reject(error) : resolve(rows as T)));
  });
}

/**
 * One READ ONLY transaction WITH CONSISTENT SNAPSHOT on the pool's one connection, held
 * throughout: the catalog queries (through a kysely instance pinned to it) and the row streams
 * run on it. While rows are read the session's time zone is UTC, so TIMESTAMP values read as
 * instants; it is put back afterwards.
 */
async function readConsistent<T>(pool: mysql.Pool, server: ServerInfo, description: string, work: (read: ConsistentRead) => Promise<T>): Promise<T> {
  const connection = await new Promise<mysql.PoolConnection>((resolve, reject) =>
    pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection))),
  );
  let broken = false;
  let savedTimeZone: string | null = null;
  try {
    await onConnection(connection, 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await onConnection(connection, 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    const pinned = { query: (...args: unknown[]) => (connection.query as (...a: unknown[]) => unknown)(...args), release: () => {} };
    const transactionDb = new Kysely<any>({
      dialect: new MysqlDialect({ pool: { getConnection: (callback: (e: unknown, c: unknown) => void) => callback(null, pinned), end: (callback: (e?: unknown) => void) => callback() } as any }),
    });
    const features = mysqlFeatures(server);
    const prepare = async () => {
      if (savedTimeZone !== null) return;
      const rows = await onConnection<{ tz: string }[]>(connection, 'SELECT @@session.time_zone AS tz');
      savedTimeZone = rows[0]?.tz ?? 'SYSTEM';
      await onConnection(connection, "SET SESSION time_zone = '+00:00'");
    };
    try {
      const result = await work({
        captureSchema: async () => {
          try {
            return foldMysqlCatalog(await readMysqlCatalog(transactionDb, features), server, features);
          } catch (error) {
            throw mysqlQueryError(error, `reading the catalog of ${description}`);
          }
        },
        scanTable: (table) => mysqlTableScan(connection, table, prepare),
      });
      await onConnection(connection, 'COMMIT');
      if (savedTimeZone !== null) await onConnection(connection, `SET SESSION time_zone = ${connection.escape(savedTimeZone)}`);
      return result;
    } catch (error) {
      // A row stream left unread mid-way leaves the connection unusable: drop it.
      broken = true;
      throw error;
    } finally {
      await transactionDb.destroy();
    }
  } finally {
    if (broken) connection.destroy();
    else connection.release();
  }
}
