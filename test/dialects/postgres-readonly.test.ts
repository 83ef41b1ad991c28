import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../../src/dialects/connect.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { runCli } from '../support/cli.js';
import { fixture } from '../support/scratch.js';
import { postgresServer } from '../support/servers.js';
import { libpqConnectionString } from '../support/postgres-cli.js';

const server = await postgresServer();
const ROLE = 'sg_readonly_proof';

/**
 * The proof that snapshot and diff only read: they work for a role that can do nothing but
 * SELECT, in sessions the server itself holds read-only (so not even a temporary table could
 * be made).
 */
describe.skipIf(!server.available)('snapshot and diff with a SELECT-only, read-only PostgreSQL role', () => {
  let scratch: ScratchDatabase;
  let readOnlyUrl: string;

  beforeAll(async () => {
    scratch = await createScratchDatabase({ kind: 'server', url: server.url });
    await scratch.connection.executeScript(fixture('postgres/all-kinds.sql'));
    const database = scratch.url.kind === 'server' ? scratch.url.database! : '';
    await scratch.connection.executeScript(`
      DO $$ BEGIN CREATE ROLE ${ROLE} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
      ALTER ROLE ${ROLE} SET default_transaction_read_only = on;
      GRANT CONNECT ON DATABASE "${database}" TO ${ROLE};
      GRANT USAGE ON SCHEMA public, inventory TO ${ROLE};
      GRANT SELECT ON ALL TABLES IN SCHEMA public, inventory TO ${ROLE};
    `);
    readOnlyUrl = libpqConnectionString({ ...scratch.url, user: ROLE, password: null } as typeof scratch.url);
  });

  afterAll(async () => {
    await scratch?.dispose();
    const admin = await openDatabase(server.url, 'scratch', { statementTimeoutMs: 10_000 });
    await admin.executeScript(`DROP ROLE IF EXISTS ${ROLE}`).catch(() => {});
    await admin.close();
  });

  it('the role really cannot write', async () => {
    const connection = await openDatabase({ ...scratch.url, user: ROLE, password: null } as typeof scratch.url, 'read-only', { statementTimeoutMs: 5000 });
    try {
      await expect(sql.raw('CREATE TEMP TABLE t (id int)').execute(connection.db)).rejects.toThrow(/read-only transaction/);
    } finally {
      await connection.close();
    }
  });

  it('snapshot works and sees everything the owner sees', async () => {
    const asOwner = await runCli(['snapshot', libpqConnectionString(scratch.url)]);
    const asReader = await runCli(['snapshot', readOnlyUrl]);
    expect(asReader.code).toBe(0);
    expect(asReader.stdout).toBe(asOwner.stdout);
  });

  it('diff works between the read-only view and the owner view', async () => {
    const result = await runCli(['diff', readOnlyUrl, libpqConnectionString(scratch.url)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
