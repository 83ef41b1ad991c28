import type { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { SchemaguardError } from '../../core/errors.js';
import type { SchemaSnapshot } from '../../snapshot/model.js';
import { describeDatabaseUrl, type PgliteUrl, type ServerUrl, type SslMode } from '../database-url.js';
import type { AccessMode, CaptureOptions, ConnectOptions, ConsistentRead, ReadOnlyConnection, ScratchConnection } from '../dialect.js';
import type { ServerInfo } from '../engine.js';
import { PgliteDialect } from './pglite-driver.js';
import { startPglite } from './pglite-instance.js';
import { CANONICAL_RENDERING_SETTINGS, readPostgresCatalog } from './postgres-catalog.js';
import { DATA_SETTINGS, postgresTableScan, type PostgresRowSource } from './postgres-data.js';
import { capturePostgresSchema, foldPostgresCatalog } from './postgres-snapshot.js';
import { postgresConnectionError, postgresQueryError } from './postgres-errors.js';

export type PostgresTarget = ServerUrl | PgliteUrl;

/** The one thing that differs between a server session and PGlite: how scripts run and how it ends. */
interface PostgresSession {
  readonly db: Kysely<any>;
  executeScript(script: string): Promise<void>;
  /** Runs `work` in a REPEATABLE READ, READ ONLY transaction, with a kysely instance and a row source bound to it. */
  inReadOnlyTransaction<T>(work: (db: Kysely<any>, rows: PostgresRowSource) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openPostgres(target: PostgresTarget, mode: 'read-only', options: ConnectOptions): Promise<ReadOnlyConnection>;
export async function openPostgres(target: PostgresTarget, mode: 'scratch', options: ConnectOptions): Promise<ScratchConnection>;
export async function openPostgres(
  target: PostgresTarget,
  mode: AccessMode,
  options: ConnectOptions,
): Promise<ReadOnlyConnection | ScratchConnection> {
  const description = describeDatabaseUrl(target);
  const context = { target: description, engineName: target.kind === 'pglite' ? 'PGlite' : 'PostgreSQL' };
  const settings = sessionSettings(mode, options);
  let session: PostgresSession;
  try {
    session = target.kind === 'pglite' ? await openPgliteSession(target, settings) : await openServerSession(target, settings);
  } catch (error) {
    throw postgresConnectionError(error, context);
  }
  let server: ServerInfo;
  let versionNumber: number;
  try {
    server = await readServerInfo(session.db, target.kind === 'pglite');
    versionNumber = await readVersionNumber(session.db);
  } catch (error) {
    await session.close().catch(() => {});
    throw postgresConnectionError(error, context);
  }
  const base: ReadOnlyConnection = {
    engine: 'postgres',
    server,
    description,
    db: session.db,
    captureSchema: (captureOptions: CaptureOptions): Promise<SchemaSnapshot> =>
      capturePostgresSchema(session.db, server, versionNumber, captureOptions).catch((error: unknown) => {
        throw postgresQueryError(error, `reading the catalog of ${description}`);
      }),
    readConsistent: <T>(work: (read: ConsistentRead) => Promise<T>): Promise<T> =>
      session.inReadOnlyTransaction(async (db, rows) => {
        let dataSettingsApplied = false;
        // Set after the catalog is read: the catalog's canonical rendering wants its own settings.
        const prepare = async () => {
          if (dataSettingsApplied) return;
          dataSettingsApplied = true;
          for (const setting of DATA_SETTINGS) await sql.raw(setting).execute(db);
        };
        return work({
          captureSchema: async (captureOptions: CaptureOptions) => {
            try {
              for (const setting of CANONICAL_RENDERING_SETTINGS) await sql.raw(setting).execute(db);
              return foldPostgresCatalog(await readPostgresCatalog(db, versionNumber, captureOptions.schemas), server);
            } catch (error) {
              throw postgresQueryError(error, `reading the catalog of ${description}`);
            }
          },
          scanTable: (table, snapshot) => postgresTableScan(rows, table, snapshot, prepare),
        });
      }),
    close: () => session.close(),
  };
  if (mode === 'read-only') return base;
  return {
    ...base,
    writable: true,
    executeScript: (script: string) => session.executeScript(script),
  };
}

/** Statements run at the start of every session. */
function sessionSettings(mode: AccessMode, options: ConnectOptions): string[] {
  const settings = [`SET statement_timeout = ${Math.max(0, Math.floor(options.statementTimeoutMs))}`];
  if (mode === 'read-only') settings.push('SET default_transaction_read_only = on');
  return settings;
}

async function openServerSession(url: ServerUrl, settings: readonly string[]): Promise<PostgresSession> {
  const pool = new pg.Pool({
    host: url.socketPath ?? url.host,
    port: url.port,
    user: url.user,
    password: url.password?.reveal(),
    database: url.database ?? 'postgres',
    ssl: sslOption(url.sslMode),
    max: 1,
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: 10_000,
    application_name: 'schemaguard',
  });
  // An idle client that dies (server restart) must not crash the process.
  pool.on('error', () => {});
  // Connect now, so a bad URL fails here with a clear message rather than at the first query.
  const client = await pool.connect().catch(async (error: unknown) => {
    await pool.end().catch(() => {});
    throw error;
  });
  client.release();
  // Every connection kysely opens gets the session settings before any other query.
  const db = new Kysely<any>({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: async (connection) => {
        for (const statement of settings) await connection.executeQuery(CompiledQuery.raw(statement));
      },
    }),
  });
  return {
    db,
    // No parameters: node-postgres sends the simple protocol, which runs several statements.
    executeScript: async (script) => {
      await sql.raw(script).execute(db);
    },
    inReadOnlyTransaction: async (work) => {
      // The pool's one client, held for the whole transaction: kysely queries and COPY streams share it.
      const client = await pool.connect();
      let broken = false;
      try {
        for (const statement of settings) await client.query(statement);
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const pinned = { query: client.query.bind(client), release: () => {} };
        const transactionDb = new Kysely<any>({
          dialect: new PostgresDialect({ pool: { connect: async () => pinned, end: async () => {} } as any }),
        });
        try {
          const result = await work(transactionDb, { kind: 'server', client });
          await client.query('COMMIT');
          return result;
        } catch (error) {
          // A COPY stream left unread mid-way leaves the connection unusable: drop it instead of ROLLBACK.
          broken = true;
          throw error;
        } finally {
          await transactionDb.destroy();
        }
      } finally {
        client.release(broken);
      }
    },
    close: () => db.destroy(),
  };
}

function sslOption(mode: SslMode | null): pg.PoolConfig['ssl'] {
  switch (mode) {
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      // node-postgres has no "prefer": like libpq without a server certificate, we connect in clear.
      return false;
  }
}

async function openPgliteSession(url: PgliteUrl, settings: readonly string[]): Promise<PostgresSession> {
  const pglite: PGlite = await startPglite(url.dataDir);
  for (const statement of settings) await pglite.query(statement);
  const db = new Kysely<any>({ dialect: new PgliteDialect(pglite) });
  return {
    db,
    executeScript: async (script) => {
      await pglite.exec(script);
    },
    inReadOnlyTransaction: async (work) => {
      // PGlite has one session: kysely's queries and the cursors run inside this transaction.
      await pglite.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const result = await work(db, { kind: 'pglite', pglite });
        await pglite.query('COMMIT');
        return result;
      } catch (error) {
        await pglite.query('ROLLBACK').catch(() => {});
        throw error;
      }
    },
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

async function readServerInfo(db: Kysely<any>, isPglite: boolean): Promise<ServerInfo> {
  const { rows } = await sql<{ version: string }>`select current_setting('server_version') as version`.execute(db);
  const version = (rows[0]?.version ?? '').split(' ')[0] ?? '';
  return { engine: 'postgres', product: isPglite ? 'PGlite' : 'PostgreSQL', version };
}

async function readVersionNumber(db: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ num: string }>`select current_setting('server_version_num') as num`.execute(db);
  const number = Number(rows[0]?.num);
  if (!Number.isFinite(number) || number < 120000) {
    throw new SchemaguardError(`PostgreSQL ${rows[0]?.num ?? '?'} is too old: schemaguard reads PostgreSQL 12 and later`);
  }
  return number;
}
