import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { SchemaguardError, messageOf } from '../../core/errors.js';
import type { SchemaSnapshot } from '../../snapshot/model.js';
import { describeDatabaseUrl, type SqliteUrl } from '../database-url.js';
import type { AccessMode, CaptureOptions, ConnectOptions, ConsistentRead, ReadOnlyConnection, ScratchConnection } from '../dialect.js';
import type { ServerInfo } from '../engine.js';
import { explainDoubleQuotedString } from './sqlite-script.js';
import { readSqliteCatalog } from './sqlite-catalog.js';
import { sqliteTableScan } from './sqlite-data.js';
import { captureSqliteSchema, foldSqliteCatalog } from './sqlite-snapshot.js';

export async function openSqlite(url: SqliteUrl, mode: 'read-only', options: ConnectOptions): Promise<ReadOnlyConnection>;
export async function openSqlite(url: SqliteUrl, mode: 'scratch', options: ConnectOptions): Promise<ScratchConnection>;
export async function openSqlite(
  url: SqliteUrl,
  mode: AccessMode,
  options: ConnectOptions,
): Promise<ReadOnlyConnection | ScratchConnection> {
  const description = describeDatabaseUrl(url);
  const inMemory = url.path === ':memory:';
  if (!inMemory && mode === 'read-only') {
    if (!existsSync(url.path)) {
      throw new SchemaguardError(`SQLite database file not found: ${url.path}`, {
        hint: 'check the path; schemaguard never creates a database it was asked to read',
      });
    }
    if (statSync(url.path).isDirectory()) throw new SchemaguardError(`${url.path} is a directory, not a SQLite database file`);
  }
  let database: Database.Database;
  try {
    database = new Database(url.path, { readonly: mode === 'read-only' && !inMemory, fileMustExist: mode === 'read-only' });
    database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.statementTimeoutMs))}`);
    // Fails on a file that is not a database, before anything else touches it.
    database.pragma('schema_version');
    if (mode === 'scratch') database.pragma('foreign_keys = ON');
  } catch (error) {
    throw new SchemaguardError(`cannot open SQLite database ${url.path}: ${messageOf(error)}`, {
      hint: 'is it a SQLite 3 database file, and readable?',
      cause: error,
    });
  }
  const version = String(database.prepare('select sqlite_version() as v').pluck().get());
  const server: ServerInfo = { engine: 'sqlite', product: 'SQLite', version };
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database }) });
  const base: ReadOnlyConnection = {
    engine: 'sqlite',
    server,
    description,
    db,
    captureSchema: (captureOptions: CaptureOptions): Promise<SchemaSnapshot> =>
      captureSqliteSchema(db, server, captureOptions).catch((error: unknown) => {
        if (error instanceof SchemaguardError) throw error;
        throw new SchemaguardError(`reading the schema of ${description} failed: ${messageOf(error)}`, { cause: error });
      }),
    readConsistent: async <T>(work: (read: ConsistentRead) => Promise<T>): Promise<T> => {
      // One read transaction: the schema and every table's rows are read from one state of the file.
      database.exec('BEGIN');
      try {
        const result = await work({
          captureSchema: async () => {
            try {
              return foldSqliteCatalog(await readSqliteCatalog(db), server);
            } catch (error) {
              if (error instanceof SchemaguardError) throw error;
              throw new SchemaguardError(`reading the schema of ${description} failed: ${messageOf(error)}`, { cause: error });
            }
          },
          scanTable: (table) => sqliteTableScan(database, table),
        });
        database.exec('COMMIT');
        return result;
      } catch (error) {
        if (database.inTransaction) database.exec('ROLLBACK');
        throw error;
      }
    },
    close: () => db.destroy(),
  };
  if (mode === 'read-only') return base;
  return {
    ...base,
    writable: true,
    executeScript: async (script: string) => {
      try {
        database.exec(script);
      } catch (error) {
        const explained = explainDoubleQuotedString(script, messageOf(error));
        if (explained === null) throw error;
        throw new SchemaguardError(explained, { cause: error });
      }
    },
  };
}
