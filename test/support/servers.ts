import { parseDatabaseUrl, type ServerUrl } from '../../src/dialects/database-url.js';
import { openServerAdmin } from '../../src/dialects/server-admin.js';

/**
 * The database servers tests run against. Defaults match the development and CI machines;
 * override with SCHEMAGUARD_TEST_PG_URL / SCHEMAGUARD_TEST_MYSQL_URL.
 *
 * In CI (CI=true) an unreachable server fails the test file: a green run that silently
 * skipped every database would hide exactly what this project exists to test. Elsewhere the
 * server-backed tests skip with a printed reason.
 */
export const PG_URL_TEXT = process.env.SCHEMAGUARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL_TEXT = process.env.SCHEMAGUARD_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export interface ServerAvailability {
  readonly available: boolean;
  readonly url: ServerUrl;
  readonly text: string;
  readonly reason: string;
}

async function probe(text: string): Promise<ServerAvailability> {
  const url = parseDatabaseUrl(text) as ServerUrl;
  try {
    const admin = await openServerAdmin(url);
    await admin.close();
    return { available: true, url, text, reason: '' };
  } catch (error) {
    return { available: false, url, text, reason: (error as Error).message };
  }
}

async function require(name: string, text: string): Promise<ServerAvailability> {
  const availability = await probe(text);
  if (!availability.available) {
    if (process.env.CI === 'true') {
      throw new Error(`${name} is required in CI but unreachable: ${availability.reason}`);
    }
    console.warn(`skipping ${name} tests: ${availability.reason}`);
  }
  return availability;
}

export const postgresServer = (): Promise<ServerAvailability> => require('PostgreSQL server', PG_URL_TEXT);
export const mysqlServer = (): Promise<ServerAvailability> => require('MySQL/MariaDB server', MYSQL_URL_TEXT);
