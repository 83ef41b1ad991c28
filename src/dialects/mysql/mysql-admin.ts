import mysql from 'mysql2/promise';
import { describeDatabaseUrl, type ServerUrl } from '../database-url.js';
import type { ServerAdmin } from '../server-admin.js';
import { mysqlConnectionError, mysqlQueryError } from './mysql-errors.js';

export function quoteMysqlIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

export async function openMysqlAdmin(url: ServerUrl): Promise<ServerAdmin> {
  const description = describeDatabaseUrl(url);
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({
      host: url.host,
      port: url.port,
      socketPath: url.socketPath ?? undefined,
      user: url.user,
      password: url.password?.reveal(),
      ssl: url.sslMode === 'require' ? { rejectUnauthorized: false } : url.sslMode?.startsWith('verify') ? { rejectUnauthorized: true } : undefined,
      connectTimeout: 10_000,
    });
  } catch (error) {
    throw mysqlConnectionError(error, { target: description, engineName: url.scheme === 'mariadb' ? 'MariaDB' : 'MySQL' });
  }
  connection.on('error', () => {});
  const run = async (statement: string, doing: string) => {
    try {
      return await connection.query(statement);
    } catch (error) {
      throw mysqlQueryError(error, doing);
    }
  };
  return {
    async createDatabase(name) {
      await run(
        `CREATE DATABASE ${quoteMysqlIdentifier(name)} CHARACTER SET utf8mb4`,
        `creating scratch database ${name} on ${description}`,
      );
    },
    // MySQL has no database templates: a copy means replaying what built it.
    copyDatabase: null,
    async dropDatabase(name) {
      await run(`DROP DATABASE IF EXISTS ${quoteMysqlIdentifier(name)}`, `dropping ${name}`);
    },
    async listDatabases(prefix) {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(
        'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE LEFT(SCHEMA_NAME, CHAR_LENGTH(?)) = ? ORDER BY SCHEMA_NAME',
        [prefix, prefix],
      );
      return rows.map((row) => String(row.name));
    },
    async close() {
      await connection.end().catch(() => {});
    },
  };
}
