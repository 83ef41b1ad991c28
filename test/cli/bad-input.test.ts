import { mkdtempSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneErrorLine, runCli, type CliResult } from '../support/cli.js';
import { mysqlServer, postgresServer } from '../support/servers.js';

const pg = await postgresServer();
const my = await mysqlServer();
const work = mkdtempSync(join(tmpdir(), 'schemaguard-bad-input-'));
const PASSWORD = 'Sup3rSecretPw';

/** The contract for every failure a user can cause. */
function expectOneCleanErrorLine(result: CliResult, message: RegExp): void {
  expectOneErrorLine(result, message);
  expect(result.stderr).not.toContain(PASSWORD);
}

describe('bad input gets one clear line on stderr, exit 2, no stack trace, no password', () => {
  it('a malformed URL', async () => {
    expectOneCleanErrorLine(await runCli(['snapshot', `postgres://u:${PASSWORD}@[oops/db`]), /invalid database URL/);
  });

  it('an unknown scheme', async () => {
    expectOneCleanErrorLine(await runCli(['snapshot', `oracle://scott:${PASSWORD}@db/orcl`]), /unknown database URL scheme "oracle:"/);
  });

  it('an argument that is neither URL nor file', async () => {
    expectOneCleanErrorLine(await runCli(['diff', 'staging', 'production']), /neither a database URL nor a snapshot/);
  });

  it('an unreachable port', async () => {
    expectOneCleanErrorLine(
      await runCli(['snapshot', `postgres://postgres:${PASSWORD}@127.0.0.1:1/test`]),
      /cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test: connection refused/,
    );
  });

  it('a host that does not exist', async () => {
    expectOneCleanErrorLine(await runCli(['snapshot', `mysql://root:${PASSWORD}@no-such-host.invalid/test`]), /cannot connect to MySQL at .*: host (not found|name lookup failed)/);
  });

  it('a missing SQLite file', async () => {
    expectOneCleanErrorLine(await runCli(['snapshot', 'sqlite:/nonexistent/app.db']), /SQLite database file not found: \/nonexistent\/app\.db/);
  });

  it('a SQLite path that is not a database', async () => {
    const notADatabase = join(work, 'notes.db');
    writeFileSync(notADatabase, 'these are my notes, not a database, and they are long enough to matter\n'.repeat(20));
    expectOneCleanErrorLine(await runCli(['snapshot', notADatabase]), /cannot open SQLite database .*notes\.db: file is not a database/);
  });

  it('a corrupt snapshot file', async () => {
    const corrupt = join(work, 'schema.json');
    writeFileSync(corrupt, '{"format": "schemaguard-snapshot", "formatVersion": 1, "tables": [');
    expectOneCleanErrorLine(await runCli(['diff', corrupt, corrupt]), /corrupt snapshot file .*schema\.json: not valid JSON/);
  });

  it('a missing snapshot file', async () => {
    expectOneCleanErrorLine(await runCli(['diff', join(work, 'nope.json'), join(work, 'nope.json')]), /snapshot file not found/);
  });

  it('a snapshot file of another format version', async () => {
    const old = join(work, 'old.json');
    writeFileSync(old, JSON.stringify({ format: 'schemaguard-snapshot', formatVersion: 0 }));
    expectOneCleanErrorLine(await runCli(['diff', old, old]), /format version 0; this schemaguard reads version 1/);
  });

  it('an unknown option is a usage error (exit 2)', async () => {
    const result = await runCli(['snapshot', '--frobnicate', 'sqlite::memory:']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--frobnicate'/);
  });

  it('a .sql source without a dialect', async () => {
    const schema = join(work, 'schema.sql');
    writeFileSync(schema, 'CREATE TABLE t (id int);');
    expectOneCleanErrorLine(await runCli(['snapshot', schema]), /cannot tell which engine .*schema\.sql is written for — add --dialect/);
  });

  it('malformed SQL in a schema file names the file', async () => {
    const schema = join(work, 'broken.sql');
    writeFileSync(schema, 'CREATE TABLE ok (id int);\nCREATE TABLE broken (id int,);\n');
    expectOneCleanErrorLine(await runCli(['snapshot', schema, '--dialect', 'postgres']), /broken\.sql: syntax error at or near "\)" \(line 2\)/);
  });

  describe.skipIf(!pg.available)('on the PostgreSQL server', () => {
    it('a missing database', async () => {
      expectOneCleanErrorLine(
        await runCli(['snapshot', `postgres://postgres:${PASSWORD}@127.0.0.1:5432/no_such_database_sg`]),
        /database "no_such_database_sg" does not exist — create it, or name an existing database/,
      );
    });

    it('a user that does not exist', async () => {
      expectOneCleanErrorLine(await runCli(['snapshot', `postgres://nobody_sg:${PASSWORD}@127.0.0.1:5432/test`]), /role "nobody_sg" does not exist/);
    });

    it('an output path that cannot be written, leaving nothing behind', async () => {
      const result = await runCli(['snapshot', pg.text, '-o', '/proc/schemaguard/out.json']);
      expectOneCleanErrorLine(result, /cannot write \/proc\/schemaguard\/out\.json/);
    });

    it('an output file in a read-only place, leaving no temp file', async () => {
      const blocker = join(work, 'a-file');
      writeFileSync(blocker, 'x');
      const result = await runCli(['snapshot', pg.text, '-o', join(blocker, 'schema.json')]);
      expectOneCleanErrorLine(result, /cannot write .*a-file\/schema\.json/);
      expect(readdirSync(work).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    });
  });

  describe.skipIf(!my.available)('on the MariaDB server', () => {
    const user = 'sg_badpw_user';
    beforeAll(async () => {
      const admin = await mysql.createConnection({ host: my.url.host, port: my.url.port, user: my.url.user, password: my.url.password?.reveal() });
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'the-right-one'`);
      await admin.end();
    });
    afterAll(async () => {
      const admin = await mysql.createConnection({ host: my.url.host, port: my.url.port, user: my.url.user, password: my.url.password?.reveal() });
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await admin.end();
    });

    it('a wrong password', async () => {
      expectOneCleanErrorLine(
        await runCli(['snapshot', `mysql://${user}:${PASSWORD}@${my.url.host}:${my.url.port}/test`]),
        /cannot connect to MySQL at mysql:\/\/sg_badpw_user:\*\*\*@.*Access denied for user 'sg_badpw_user'.* — check the user and password/,
      );
    });

    it('a wrong password given through MYSQL_PWD', async () => {
      const result = await runCli(['snapshot', `mysql://${user}@${my.url.host}:${my.url.port}/test`], { env: { MYSQL_PWD: PASSWORD } });
      expectOneCleanErrorLine(result, /Access denied/);
    });

    it('a missing database', async () => {
      expectOneCleanErrorLine(await runCli(['snapshot', `${my.text.replace(/\/test$/, '')}/no_such_db_sg`]), /Unknown database 'no_such_db_sg'/);
    });
  });

  it('--debug adds the stack trace (still without the password)', async () => {
    const result = await runCli(['--debug', 'snapshot', `postgres://postgres:${PASSWORD}@127.0.0.1:1/test`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain(PASSWORD);
  });

  it('never leaves a half-written output file', () => {
    expect(existsSync('/proc/schemaguard/out.json')).toBe(false);
  });
});
