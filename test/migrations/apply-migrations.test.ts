import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaguardError } from '../../src/core/errors.js';
import type { ScratchConnection } from '../../src/dialects/dialect.js';
import type { Engine } from '../../src/dialects/engine.js';
import { applyMigrationScript, type AppliedScript } from '../../src/migrations/apply-migration.js';
import type { MigrationSet } from '../../src/migrations/migration.js';
import { readMigrationSet } from '../../src/migrations/read-migrations.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import { mysqlServer, postgresServer } from '../support/servers.js';

/**
 * Every format's fixture folder applied up, then down, on real databases; what the migrations
 * made is read from the catalogs with plain queries (not through schemaguard's snapshot code).
 */

const FIXTURES = 'test/fixtures/migrations';
const pg = await postgresServer();
const mysql = await mysqlServer();

interface Target {
  readonly label: string;
  readonly dialect: Engine;
  readonly target: ScratchTarget;
  readonly available: boolean;
  /** PGlite takes seconds to start: one instance is emptied between folders instead. */
  readonly reuse: boolean;
}

const TARGETS: readonly Target[] = [
  { label: 'PGlite', dialect: 'postgres', target: { kind: 'pglite' }, available: true, reuse: true },
  { label: 'PostgreSQL server', dialect: 'postgres', target: { kind: 'server', url: pg.url }, available: pg.available, reuse: false },
  { label: 'MariaDB', dialect: 'mysql', target: { kind: 'server', url: mysql.url }, available: mysql.available, reuse: false },
  { label: 'SQLite', dialect: 'sqlite', target: { kind: 'sqlite' }, available: true, reuse: false },
];

const SQL_FOLDERS = (dialect: Engine) => [`golang-migrate/${dialect}`, 'popx', `flyway/${dialect}`, `dbmate/${dialect}`, `goose/${dialect}`, `diesel/${dialect}`];

async function names(connection: ScratchConnection, query: Record<Engine, string>): Promise<string[]> {
  const { rows } = await sql.raw<{ name: string }>(query[connection.engine]).execute(connection.db);
  return rows.map((row) => row.name).sort();
}

const tables = (connection: ScratchConnection) =>
  names(connection, {
    postgres: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
    mysql: 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
    sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
  });

const indexes = (connection: ScratchConnection) =>
  names(connection, {
    postgres: "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%\\_pkey'",
    mysql: "SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY' AND index_name <> 'orders_user_fk'",
    sqlite: "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
  });

const triggers = (connection: ScratchConnection) =>
  names(connection, {
    postgres: "SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal",
    mysql: 'SELECT trigger_name AS name FROM information_schema.triggers WHERE trigger_schema = DATABASE()',
    sqlite: "SELECT name FROM sqlite_master WHERE type = 'trigger'",
  });

/** The note the trigger gives an order inserted without one: proves its body arrived whole. */
async function defaultNote(connection: ScratchConnection): Promise<string> {
  await connection.executeScript("INSERT INTO users (id, email) VALUES (1, 'ada@example.com')");
  await connection.executeScript("INSERT INTO orders (id, user_id, total_cents, note) VALUES (1, 1, 500, '')");
  const { rows } = await sql<{ note: string }>`SELECT note FROM orders WHERE id = 1`.execute(connection.db);
  await connection.executeScript('DELETE FROM orders');
  await connection.executeScript('DELETE FROM users');
  return rows[0]!.note;
}

async function applyUp(connection: ScratchConnection, set: MigrationSet): Promise<AppliedScript[]> {
  const applied: AppliedScript[] = [];
  for (const migration of set.migrations) applied.push(await applyMigrationScript(connection, migration.up));
  return applied;
}

async function applyDown(connection: ScratchConnection, set: MigrationSet): Promise<void> {
  for (const migration of [...set.migrations].reverse()) {
    if (migration.down !== null) await applyMigrationScript(connection, migration.down);
  }
}

async function failureOf(work: Promise<unknown>): Promise<SchemaguardError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof SchemaguardError) return error;
    throw error;
  }
  throw new Error('expected a SchemaguardError');
}

for (const target of TARGETS) {
  describe.skipIf(!target.available)(`applying migrations on ${target.label}`, () => {
    let shared: ScratchDatabase | null = null;
    const opened: ScratchDatabase[] = [];

    /** A fresh, empty database (on PGlite, the one instance emptied). */
    async function fresh(statementTimeoutMs?: number): Promise<ScratchConnection> {
      if (target.reuse && statementTimeoutMs === undefined) {
        shared ??= await createScratchDatabase(target.target);
        await shared.connection.executeScript('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
        return shared.connection;
      }
      const scratch = await createScratchDatabase(target.target, statementTimeoutMs === undefined ? {} : { statementTimeoutMs });
      opened.push(scratch);
      return scratch.connection;
    }

    beforeAll(() => {
      opened.length = 0;
    });
    afterAll(async () => {
      await Promise.all([...opened, ...(shared === null ? [] : [shared])].map((scratch) => scratch.dispose()));
    });

    it.each(SQL_FOLDERS(target.dialect))('applies %s up (tables, index, trigger) and down (nothing left)', async (folder) => {
      const set = await readMigrationSet(`${FIXTURES}/${folder}`, { dialect: target.dialect });
      const connection = await fresh();
      await applyUp(connection, set);
      expect(await tables(connection)).toEqual(['orders', 'users']);
      expect(await indexes(connection)).toEqual(['orders_created_at_idx', 'users_email_key']);
      expect(await triggers(connection)).toEqual(['orders_default_note']);
      expect(await defaultNote(connection)).toBe('none; yet');
      await applyDown(connection, set);
      // Flyway's last migration has no undo file: its index goes with the table U1.2.9 drops.
      expect(await tables(connection)).toEqual([]);
    });

    it('applies Kysely modules up (in a transaction where DDL is transactional) and down', async () => {
      const set = await readMigrationSet(`${FIXTURES}/kysely`, { dialect: target.dialect });
      const connection = await fresh();
      const applied = await applyUp(connection, set);
      expect(applied.map((a) => a.transaction)).toEqual(Array(3).fill(target.dialect === 'mysql' ? 'none' : 'wrapped'));
      expect(await tables(connection)).toEqual(['orders', 'users']);
      expect(await indexes(connection)).toEqual(target.dialect === 'mysql' ? ['email', 'orders_user_id_idx'] : target.dialect === 'postgres' ? ['orders_user_id_idx', 'users_email_key'] : ['orders_user_id_idx']);
      await applyDown(connection, set);
      expect(await tables(connection)).toEqual([]);
    });

    it('names the file and line of a syntax error', async () => {
      const set = await readMigrationSet(`${FIXTURES}/failing/${target.dialect}`, { dialect: target.dialect });
      const connection = await fresh();
      await applyMigrationScript(connection, set.migrations[0]!.up);
      const error = await failureOf(applyMigrationScript(connection, set.migrations[1]!.up));
      const file = `${FIXTURES}/failing/${target.dialect}/0002_add_index.up.sql`;
      const expected: Record<Engine, string> = {
        postgres: `${file}:8: syntax error at or near "INDX"`,
        mysql: `${file}:8: You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'INDX orders_user_id_idx ON orders (user_id)'`,
        sqlite: `${file}:8: near "INDX": syntax error`,
      };
      expect(error.message).toBe(expected[target.dialect]);
      expect(error.hint).toBe(`fix the statement, or check that the migration is written for ${connection.server.product}`);
      // In one transaction, the failed migration leaves nothing; MariaDB commits each DDL statement.
      expect(await tables(connection)).toEqual(target.dialect === 'mysql' ? ['orders', 'users'] : ['users']);
    });

    it('runs a script that opens its own transaction as written', async () => {
      const set = await readMigrationSet(`${FIXTURES}/own-transaction`, { dialect: target.dialect });
      const connection = await fresh();
      expect(await applyUp(connection, set)).toEqual([{ statements: 3, transaction: 'script' }]);
      expect(await tables(connection)).toEqual(['users']);
    });

    it.skipIf(target.dialect === 'sqlite' || target.label === 'PGlite')('stops a statement at the statement timeout, naming the file, the line and the timeout', async () => {
      const set = await readMigrationSet(`${FIXTURES}/slow/${target.dialect}`, { dialect: target.dialect });
      const connection = await fresh(1000);
      const started = Date.now();
      const error = await failureOf(applyMigrationScript(connection, set.migrations[0]!.up, { statementTimeoutMs: 1000 }));
      expect(Date.now() - started).toBeLessThan(4000);
      const file = `${FIXTURES}/slow/${target.dialect}/0001_backfill.up.sql`;
      expect(error.message).toBe(
        target.dialect === 'postgres'
          ? `${file}:3: statement timeout (1 s) reached: canceling statement due to statement timeout`
          : `${file}:3: statement timeout (1 s) reached: Query execution was interrupted (max_statement_time exceeded)`,
      );
      expect(error.hint).toBe('make the statement faster, or raise the statement timeout (--timeout)');
    });
  });
}

describe.skipIf(!pg.available)('PostgreSQL specifics (server)', () => {
  const opened: ScratchDatabase[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((scratch) => scratch.dispose()));
  });
  const fresh = async () => {
    const scratch = await createScratchDatabase({ kind: 'server', url: pg.url });
    opened.push(scratch);
    return scratch.connection;
  };

  it('runs .autocommit, NO TRANSACTION, transaction:false and run_in_transaction = false scripts outside a transaction', async () => {
    for (const folder of ['popx', 'goose/postgres', 'dbmate/postgres', 'diesel/postgres', 'flyway/postgres']) {
      const set = await readMigrationSet(`${FIXTURES}/${folder}`, { dialect: 'postgres' });
      const connection = await fresh();
      const applied = await applyUp(connection, set);
      expect(applied.map((a) => a.transaction), folder).toContain('none');
      expect(await indexes(connection), folder).toContain('orders_created_at_idx');
    }
  });

  it('says how to leave the transaction when CREATE INDEX CONCURRENTLY runs inside one', async () => {
    const set = await readMigrationSet(`${FIXTURES}/concurrently-in-transaction`, { dialect: 'postgres' });
    const connection = await fresh();
    const error = await failureOf(applyMigrationScript(connection, set.migrations[0]!.up));
    expect(error.message).toBe(`${FIXTURES}/concurrently-in-transaction/0001_create_orders.up.sql:2: CREATE INDEX CONCURRENTLY cannot run inside a transaction block`);
    expect(error.hint).toMatch(/^run this migration outside a transaction: a \.autocommit file \(popx\), -- \+goose NO TRANSACTION/);
    expect(await tables(connection)).toEqual([]);
  });
});

describe('Kysely module failures', () => {
  it('name the module and the database error (and the line, where the stack trace still shows it)', async () => {
    const set = await readMigrationSet(`${FIXTURES}/kysely-failing`, { dialect: 'sqlite' });
    const scratch = await createScratchDatabase({ kind: 'sqlite' });
    try {
      const error = await failureOf(applyMigrationScript(scratch.connection, set.migrations[0]!.up));
      // The driver's error carries no frame of the module (Kysely's transaction queue breaks the
      // async stack), so no line is named; an error the module throws itself gets its line.
      expect(error.message).toBe(`${FIXTURES}/kysely-failing/2024_01_01_create_users.ts: up() failed: near "TABEL": syntax error`);
      // Rolled back with the transaction: the table the first call made is gone too.
      expect(await tables(scratch.connection)).toEqual([]);
    } finally {
      await scratch.dispose();
    }
  });
});
