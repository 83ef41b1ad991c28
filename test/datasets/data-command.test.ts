import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { describeDatabaseUrl, type ServerUrl } from '../../src/dialects/database-url.js';
import { expectOneErrorLine, runCli } from '../support/cli.js';
import { count, ENGINES, projectPath, query, scratchFor, shopSchema } from './engines.js';

/** `schemaguard data load` as a user runs it (the built CLI; `npm test` builds first). */

const work = mkdtempSync(join(tmpdir(), 'schemaguard-data-cli-'));
const SHOP = 'datasets/shop/shop.yaml';

/** The URL of a server scratch database, as a user would type it (no password in these test servers). */
function urlText(url: ServerUrl): string {
  return describeDatabaseUrl(url).replace(':***@', '@');
}

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('schemaguard data load refuses to write where it was not told it may', () => {
  it('a server database that is not a scratch database: exit 2, one line with the way out', async () => {
    const result = await runCli(['data', 'load', 'postgres://app:s3cret@db.example.com:5432/production', SHOP]);
    expectOneErrorLine(result, /^schemaguard: postgres:\/\/app:\*\*\*@db\.example\.com:5432\/production is not a scratch database, and data load writes to it — pass --i-know-this-writes/);
  });

  it('a SQLite file the user has', async () => {
    const result = await runCli(['data', 'load', `sqlite:${join(work, 'app.db')}`, SHOP]);
    expectOneErrorLine(result, /is not a scratch database.*--i-know-this-writes/);
  });
});

describe('schemaguard data load writes to scratch databases', () => {
  it('an in-memory PGlite database, with the schema made by --setup', async () => {
    const result = await runCli(['data', 'load', 'pglite:', SHOP, '--setup', 'datasets/shop/schema.postgres.sql']);
    expect(result.stderr).toMatch(/^datasets\/shop\/shop\.yaml: 13 row\(s\) inserted, 0 deleted in 4 table\(s\) of pglite: \(in memory\) \(insert, /);
    expect(result.stdout).toBe('users: 3 inserted\nproducts: 3 inserted\norders: 3 inserted\norder_items: 4 inserted\n');
    expect(result.code).toBe(0);
  });

  it('--quiet leaves only the per-table lines', async () => {
    const result = await runCli(['--quiet', 'data', 'load', 'sqlite::memory:', 'datasets/shop/csv', '--setup', 'datasets/shop/schema.sqlite.sql']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toContain('order_items: 4 inserted');
  });

  it('the scratch URL of the config file', async () => {
    const folder = mkdtempSync(join(work, 'config-'));
    const path = join(folder, 'scratch.sqlite');
    writeFileSync(join(folder, 'schemaguard.yaml'), `scratch: sqlite:${path}\n`);
    const result = await runCli(['data', 'load', `sqlite:${path}`, projectPath(SHOP), '--setup', projectPath('datasets/shop/schema.sqlite.sql')], { cwd: folder });
    expect(result.code).toBe(0);
    const database = new Database(path, { readonly: true });
    try {
      expect(database.prepare('select count(*) as n from order_items').get()).toEqual({ n: 4 });
    } finally {
      database.close();
    }
  });

  it('any database, with --i-know-this-writes', async () => {
    const path = join(work, 'mine.sqlite');
    const result = await runCli(['data', 'load', path, SHOP, '--setup', 'datasets/shop/schema.sqlite.sql', '--i-know-this-writes']);
    expect(result.code).toBe(0);
    const database = new Database(path, { readonly: true });
    try {
      expect(database.prepare('select email from users order by email').pluck().all()).toEqual(['ann@example.com', 'bob@example.com', 'cid@example.com']);
    } finally {
      database.close();
    }
  });

  for (const engine of ENGINES.filter((candidate) => candidate.target.kind === 'server')) {
    it.skipIf(!engine.available)(`a schemaguard_* database on the ${engine.name}, read back with SQL`, async () => {
      const scratch = await scratchFor(engine, shopSchema(engine.flavour));
      try {
        const url = urlText(scratch.url as ServerUrl);
        expect(url).toMatch(/\/schemaguard_\d{8}t\d{6}_[0-9a-f]{6}$/);
        const first = await runCli(['data', 'load', url, SHOP]);
        expect(first.code).toBe(0);
        const again = await runCli(['data', 'load', url, SHOP, '--operation', 'clean-insert']);
        expect(again.stdout).toContain('users: 3 deleted, 3 inserted');
        expect(again.code).toBe(0);
        expect(await count(scratch, 'order_items')).toBe(4);
        const totals = await query<{ email: string; items: unknown }>(
          scratch,
          'select u.email, sum(i.quantity) as items from users u join orders o on o.user_id = u.id join order_items i on i.order_id = o.id group by u.email order by u.email',
        );
        expect(totals.map((row) => [row.email, Number(row.items)])).toEqual([
          ['ann@example.com', 6],
          ['bob@example.com', 1],
        ]);
        const emptied = await runCli(['data', 'load', url, SHOP, '--operation', 'delete-all']);
        expect(emptied.code).toBe(0);
        expect(await count(scratch, 'users')).toBe(0);
      } finally {
        await scratch.dispose();
      }
    });
  }
});

describe('schemaguard data load reports bad input on one line', () => {
  it('malformed YAML names the file and line', async () => {
    const result = await runCli(['data', 'load', 'sqlite::memory:', 'test/fixtures/datasets/bad/malformed.yaml']);
    expectOneErrorLine(result, /^schemaguard: test\/fixtures\/datasets\/bad\/malformed\.yaml:\d+: invalid YAML: .* — fix the YAML syntax/);
  });

  it('a foreign key cycle that cannot load', async () => {
    const result = await runCli(['data', 'load', 'pglite:', 'test/fixtures/datasets/cycles/pair.yaml', '--setup', 'test/fixtures/datasets/cycles/pair.postgres.sql']);
    expectOneErrorLine(result, /^schemaguard: test\/fixtures\/datasets\/cycles\/pair\.yaml:2: foreign key cycle a → b → a without deferrable constraints or a nullable column — declare one/);
  });

  it('a dataset for tables the database lacks points at --setup', async () => {
    const result = await runCli(['data', 'load', 'pglite:', SHOP]);
    expectOneErrorLine(result, /shop\.yaml:\d+: table users does not exist in pglite: \(in memory\) — the database has no tables: create them first \(.*--setup/);
  });

  it('an unknown operation is a usage error', async () => {
    const result = await runCli(['data', 'load', 'pglite:', SHOP, '--operation', 'upsert']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/argument 'upsert' is invalid\. Allowed choices are insert, clean-insert, delete-all/);
  });

  it('--help shows examples', async () => {
    const result = await runCli(['data', 'load', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Examples:\n {2}\$ schemaguard data load pglite: datasets\/shop\/shop\.yaml --setup/);
    expect(result.stdout).toMatch(/--i-know-this-writes/);
  });
});
