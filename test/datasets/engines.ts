import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import { PROJECT_ROOT } from '../support/cli.js';
import { scratchWith } from '../support/scratch.js';
import { mysqlServer, postgresServer } from '../support/servers.js';

/**
 * The engines every dataset test runs on: SQLite and PGlite always, the PostgreSQL and
 * MySQL/MariaDB servers when they are reachable (required in CI, see test/support/servers.ts).
 */
export type SchemaFlavour = 'postgres' | 'mysql' | 'sqlite';

export interface EngineCase {
  readonly name: string;
  readonly flavour: SchemaFlavour;
  readonly target: ScratchTarget;
  readonly available: boolean;
}

const pg = await postgresServer();
const my = await mysqlServer();

export const ENGINES: readonly EngineCase[] = [
  { name: 'SQLite', flavour: 'sqlite', target: { kind: 'sqlite' }, available: true },
  { name: 'PGlite', flavour: 'postgres', target: { kind: 'pglite' }, available: true },
  { name: 'PostgreSQL server', flavour: 'postgres', target: { kind: 'server', url: pg.url }, available: pg.available },
  { name: 'MySQL/MariaDB server', flavour: 'mysql', target: { kind: 'server', url: my.url }, available: my.available },
];

/** A project file, e.g. `datasets/shop/shop.yaml`, as an absolute path. */
export function projectPath(path: string): string {
  return `${PROJECT_ROOT}${path}`;
}

export function shopSchema(flavour: SchemaFlavour): string {
  return readFileSync(projectPath(`datasets/shop/schema.${flavour}.sql`), 'utf8');
}

/** A scratch database of this engine with `schema` applied; dispose it when done. */
export function scratchFor(engine: EngineCase, schema: string): Promise<ScratchDatabase> {
  return scratchWith(engine.target, schema);
}

/** Plain SQL, straight through the connection: how the tests read back what the loader wrote. */
export async function query<T = Record<string, unknown>>(scratch: ScratchDatabase, text: string): Promise<T[]> {
  const { rows } = await sql.raw(text).execute(scratch.connection.db);
  return rows as T[];
}

export async function count(scratch: ScratchDatabase, table: string): Promise<number> {
  const rows = await query<{ n: unknown }>(scratch, `select count(*) as n from ${table}`);
  return Number(rows[0]!.n);
}
