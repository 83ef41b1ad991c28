import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/dialects/connect.js';
import { parseDatabaseUrl, type ServerUrl } from '../../src/dialects/database-url.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { parseSnapshot, serializeSnapshot } from '../../src/snapshot/canonical.js';
import type { SchemaSnapshot } from '../../src/snapshot/model.js';
import { runCli } from '../support/cli.js';
import { databaseName } from '../support/mysql-cli.js';
import { fixture, scratchWith, snapshotOf } from '../support/scratch.js';
import { mysqlServer } from '../support/servers.js';

/**
 * schemaguard reads live MySQL/MariaDB databases through accounts that may only read them,
 * in sessions that refuse writes (SET SESSION TRANSACTION READ ONLY, no SET GLOBAL), with
 * the built CLI a user runs. The accounts exist for this file only and are dropped after it.
 */
const server = await mysqlServer();

const PASSWORD = 'ro-pass-7';
/** SELECT and SHOW VIEW on the database: the least an account needs to read tables and views. */
const READER = 'schemaguard_ro_select';
/** What MariaDB needs to show everything else: TRIGGER and EVENT on the database, SELECT on the mysql schema. */
const FULL_READER = 'schemaguard_ro_full';
const account = (user: string) => `'${user}'@'%'`;

function urlFor(user: string, database: string): ServerUrl {
  const base = server.url;
  return parseDatabaseUrl(`mysql://${user}:${PASSWORD}@${base.host}:${base.port}/${database}`) as ServerUrl;
}
const urlText = (user: string, database: string) => `mysql://${user}:${PASSWORD}@${server.url.host}:${server.url.port}/${database}`;

describe.skipIf(!server.available)('MySQL/MariaDB read-only access', () => {
  let scratch: ScratchDatabase;
  let database: string;
  let rootSnapshot: SchemaSnapshot;

  beforeAll(async () => {
    scratch = await scratchWith({ kind: 'server', url: server.url }, fixture('mysql/all-kinds.sql'));
    database = databaseName(scratch.url);
    const db = `\`${database}\`.*`;
    await scratch.connection.executeScript(`
      CREATE USER IF NOT EXISTS ${account(READER)} IDENTIFIED BY '${PASSWORD}';
      GRANT SELECT, SHOW VIEW ON ${db} TO ${account(READER)};
      CREATE USER IF NOT EXISTS ${account(FULL_READER)} IDENTIFIED BY '${PASSWORD}';
      GRANT SELECT, SHOW VIEW, TRIGGER, EVENT ON ${db} TO ${account(FULL_READER)};
      GRANT SELECT ON mysql.* TO ${account(FULL_READER)};`);
    rootSnapshot = await snapshotOf(scratch);
  });
  afterAll(async () => {
    await scratch?.connection.executeScript(`DROP USER IF EXISTS ${account(READER)}; DROP USER IF EXISTS ${account(FULL_READER)};`);
    await scratch?.dispose();
  });

  it('snapshot and diff with the CLI as an account with the read privileges: the full snapshot, equal to an administrator’s', async () => {
    const snapshot = await runCli(['snapshot', urlText(FULL_READER, database)]);
    expect(snapshot.stderr).not.toContain(PASSWORD);
    expect(snapshot.code, snapshot.stderr).toBe(0);
    const captured = parseSnapshot(snapshot.stdout, 'stdout');
    expect(captured.routines.length).toBeGreaterThan(0);
    expect(captured.triggers.length).toBeGreaterThan(0);
    expect(captured.events.length).toBeGreaterThan(0);
    expect(captured.namespaces[0]?.grants?.map((g) => g.grantee)).toContain(account(READER));
    expect(serializeSnapshot(captured)).toBe(serializeSnapshot(rootSnapshot));

    const diff = await runCli(['diff', server.text.replace(/\/[^/]*$/, `/${database}`), urlText(FULL_READER, database)]);
    expect(diff.code, diff.stdout + diff.stderr).toBe(0);
  });

  it('with SELECT and SHOW VIEW alone: tables, views and sequences in full, but MariaDB hides routines, triggers, events and others’ grants', async () => {
    const result = await runCli(['snapshot', urlText(READER, database)]);
    expect(result.code, result.stderr).toBe(0);
    const captured = parseSnapshot(result.stdout, 'stdout');
    expect(captured.tables).toEqual(rootSnapshot.tables);
    expect(captured.views.map((v) => ({ ...v, grants: [] }))).toEqual(rootSnapshot.views.map((v) => ({ ...v, grants: [] })));
    expect(captured.sequences).toEqual(rootSnapshot.sequences);
    expect([captured.routines, captured.triggers, captured.events]).toEqual([[], [], []]);
    // An account sees only its own grants.
    expect(new Set(captured.namespaces[0]?.grants?.map((g) => g.grantee))).toEqual(new Set([account(READER)]));

    // So a diff against the administrator's view reports exactly what is hidden.
    const diff = await runCli(['diff', server.text.replace(/\/[^/]*$/, `/${database}`), urlText(READER, database), '--ignore-kind', 'grants']);
    expect(diff.code).toBe(1);
  });

  it('refuses writes on a read-only connection, even where the account may write', async () => {
    const connection = await openDatabase(urlFor(FULL_READER, database), 'read-only', { statementTimeoutMs: 10_000 });
    try {
      for (const statement of [
        'CREATE TABLE written (a INT)',
        'INSERT INTO films (title, language_id) VALUES (\'x\', 1)',
        'CREATE TRIGGER written BEFORE INSERT ON films FOR EACH ROW SET NEW.length = 1',
        "CREATE EVENT written ON SCHEDULE AT '2030-01-01 00:00:00' DO SELECT 1",
      ]) {
        await expect(sql.raw(statement).execute(connection.db), statement).rejects.toThrow(/READ ONLY|command denied/i);
      }
    } finally {
      await connection.close();
    }
    expect(serializeSnapshot(await snapshotOf(scratch))).toBe(serializeSnapshot(rootSnapshot));
  });
});
