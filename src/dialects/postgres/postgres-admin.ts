import pg from 'pg';
import { describeDatabaseUrl, type ServerUrl } from '../database-url.js';
import type { ServerAdmin } from '../server-admin.js';
import { postgresConnectionError, postgresQueryError } from './postgres-errors.js';

export function quotePostgresIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export async function openPostgresAdmin(url: ServerUrl): Promise<ServerAdmin> {
  const description = describeDatabaseUrl(url);
  const client = new pg.Client({
    host: url.socketPath ?? url.host,
    port: url.port,
    user: url.user,
    password: url.password?.reveal(),
    database: url.database ?? 'postgres',
    ssl: url.sslMode === 'require' ? { rejectUnauthorized: false } : url.sslMode?.startsWith('verify') ? { rejectUnauthorized: true } : false,
    connectionTimeoutMillis: 10_000,
    application_name: 'schemaguard',
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw postgresConnectionError(error, { target: description, engineName: 'PostgreSQL' });
  }
  const versionNumber = Number((await client.query('SHOW server_version_num')).rows[0]?.server_version_num ?? 0);
  const run = async (statement: string, doing: string) => {
    try {
      return await client.query(statement);
    } catch (error) {
      throw postgresQueryError(error, doing);
    }
  };
  return {
    async createDatabase(name) {
      await run(`CREATE DATABASE ${quotePostgresIdentifier(name)}`, `creating scratch database ${name} on ${description}`);
    },
    copyDatabase: async (name, template) => {
      await run(`CREATE DATABASE ${quotePostgresIdentifier(name)} TEMPLATE ${quotePostgresIdentifier(template)}`, `copying scratch database ${template}`);
    },
    async dropDatabase(name) {
      if (versionNumber >= 130000) {
        await run(`DROP DATABASE IF EXISTS ${quotePostgresIdentifier(name)} WITH (FORCE)`, `dropping ${name}`);
        return;
      }
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await run(`DROP DATABASE IF EXISTS ${quotePostgresIdentifier(name)}`, `dropping ${name}`);
    },
    async listDatabases(prefix) {
      const result = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname`,
        [prefix],
      );
      return result.rows.map((row) => row.datname);
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}
