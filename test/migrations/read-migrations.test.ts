import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaguardError } from '../../src/core/errors.js';
import type { Engine } from '../../src/dialects/engine.js';
import type { MigrationScript, MigrationSet } from '../../src/migrations/migration.js';
import { readMigrationSet, type ReadMigrationsOptions } from '../../src/migrations/read-migrations.js';

const FIXTURES = 'test/fixtures/migrations';

/** One line per migration: version, name, and each direction as [transactional, statement lines] or the module export. */
function outline(set: MigrationSet) {
  const script = (s: MigrationScript | null) => (s === null ? null : s.kind === 'sql' ? { tx: s.transactional, lines: s.statements.map((x) => x.line) } : s.exportName);
  return set.migrations.map((m) => [m.version.text, m.name, script(m.up), script(m.down)]);
}

async function failure(folder: string, options: Partial<ReadMigrationsOptions> = {}): Promise<SchemaguardError> {
  try {
    await readMigrationSet(folder, { dialect: 'postgres', ...options });
  } catch (error) {
    if (error instanceof SchemaguardError) return error;
    throw error;
  }
  throw new Error(`reading ${folder} did not fail`);
}

describe('golang-migrate', () => {
  it('pairs NNNN_name.up.sql with .down.sql, in version order, each statement with its line', async () => {
    const set = await readMigrationSet(`${FIXTURES}/golang-migrate/postgres`, { dialect: 'postgres' });
    expect(set.format).toBe('golang-migrate');
    expect(outline(set)).toEqual([
      ['0001', 'create_users', { tx: true, lines: [2, 8] }, { tx: true, lines: [1] }],
      ['0002', 'create_orders', { tx: true, lines: [1, 9, 18] }, { tx: true, lines: [1, 2] }],
      ['0003', 'orders_created_at_index', { tx: true, lines: [1] }, { tx: true, lines: [1] }],
    ]);
    expect(set.notes).toEqual([]);
  });

  it('names each file as the folder was given', async () => {
    const set = await readMigrationSet(`${FIXTURES}/golang-migrate/mysql`, { dialect: 'mysql' });
    expect(set.migrations[0]!.up.file.display).toBe('test/fixtures/migrations/golang-migrate/mysql/0001_create_users.up.sql');
    expect(set.migrations[0]!.up.file.path).toMatch(/^\/.*\/test\/fixtures\/migrations\/golang-migrate\/mysql\/0001_create_users\.up\.sql$/);
  });

  it('keeps a MySQL trigger with IF … END IF inside BEGIN … END as one statement', async () => {
    const set = await readMigrationSet(`${FIXTURES}/golang-migrate/mysql`, { dialect: 'mysql' });
    const up = set.migrations[1]!.up;
    expect(up.kind === 'sql' && up.statements.map((s) => s.text.split('\n')[0])).toEqual(['CREATE TABLE orders (', 'CREATE TRIGGER orders_default_note BEFORE INSERT ON orders FOR EACH ROW']);
  });
});

describe('the popx layout (ory kratos, supabase auth)', () => {
  it.each([
    ['postgres', '20240102000000000000_create_orders.postgres.up.sql', '20240103000000000000_orders_created_at_index.postgres.autocommit.up.sql', false],
    ['mysql', '20240102000000000000_create_orders.mysql.up.sql', '20240103000000000000_orders_created_at_index.up.sql', true],
    ['sqlite', '20240102000000000000_create_orders.sqlite3.up.sql', '20240103000000000000_orders_created_at_index.up.sql', true],
  ] as const)('chooses the %s file over the neutral one, and .autocommit runs outside a transaction', async (dialect, orders, index, transactional) => {
    const set = await readMigrationSet(`${FIXTURES}/popx`, { dialect });
    const file = (at: number) => set.migrations[at]!.up.file.display.split('/').at(-1);
    expect(set.migrations.map((m) => m.version.text)).toEqual(['20240101000000000000', '20240102000000000000', '20240103000000000000', '20240104000000000000']);
    expect(file(0)).toBe(dialect === 'postgres' ? '20240101000000000000_create_users.up.sql' : `20240101000000000000_create_users.${dialect === 'mysql' ? 'mysql' : 'sqlite3'}.up.sql`);
    expect(file(1)).toBe(orders);
    expect(file(2)).toBe(index);
    expect(set.migrations[2]!.up.kind === 'sql' && set.migrations[2]!.up.transactional).toBe(transactional);
  });

  it('reads an empty file as a migration with no statements', async () => {
    const set = await readMigrationSet(`${FIXTURES}/popx`, { dialect: 'postgres' });
    expect(outline(set)[3]).toEqual(['20240104000000000000', 'nothing_to_do', { tx: true, lines: [] }, { tx: true, lines: [] }]);
  });

  it('chooses down files per direction: a MySQL down, the neutral one elsewhere', async () => {
    const mysql = await readMigrationSet(`${FIXTURES}/popx`, { dialect: 'mysql' });
    const sqlite = await readMigrationSet(`${FIXTURES}/popx`, { dialect: 'sqlite' });
    expect(mysql.migrations[2]!.down!.file.display).toMatch(/orders_created_at_index\.mysql\.down\.sql$/);
    expect(sqlite.migrations[2]!.down!.file.display).toMatch(/orders_created_at_index\.down\.sql$/);
  });
});

describe('Flyway', () => {
  it('orders dotted versions numerically (1.2.9 before 1.2.10), reads subfolders, undo files as downs and .sql.conf', async () => {
    const set = await readMigrationSet(`${FIXTURES}/flyway/postgres`, { dialect: 'postgres' });
    expect(set.format).toBe('flyway');
    expect(outline(set)).toEqual([
      ['1', 'create users', { tx: true, lines: [2, 8] }, { tx: true, lines: [1] }],
      ['1.2.9', 'create orders', { tx: true, lines: [1, 9, 18] }, { tx: true, lines: [1, 2] }],
      ['1.2.10', 'orders created at index', { tx: false, lines: [1] }, null],
    ]);
    expect(set.migrations[2]!.up.file.display).toBe('test/fixtures/migrations/flyway/postgres/indexes/V1.2.10__orders_created_at_index.sql');
  });

  it('reports repeatable migrations as unsupported, without failing', async () => {
    const set = await readMigrationSet(`${FIXTURES}/flyway/sqlite`, { dialect: 'sqlite' });
    expect(set.notes.map((n) => [n.file.display, n.message])).toEqual([
      ['test/fixtures/migrations/flyway/sqlite/R__order_totals.sql', 'repeatable migrations (R__) are not supported: left out'],
    ]);
  });

  it('refuses an undo migration without its versioned migration', async () => {
    const error = await failure(`${FIXTURES}/broken/flyway-orphan-undo`);
    expect(error.message).toBe(
      'test/fixtures/migrations/broken/flyway-orphan-undo/U2__create_orders.sql: undoes version 2, which has no versioned migration (V2__<description>.sql)',
    );
    expect(error.hint).toBe('add the versioned migration, or remove the undo file');
  });
});

describe('dbmate', () => {
  it.each(['postgres', 'mysql', 'sqlite'] as const)('reads -- migrate:up and -- migrate:down sections of one file (%s)', async (dialect) => {
    const set = await readMigrationSet(`${FIXTURES}/dbmate/${dialect}`, { dialect });
    expect(set.format).toBe('dbmate');
    expect(set.migrations.map((m) => [m.version.text, m.name])).toEqual([
      ['20240101120000', 'create_users'],
      ['20240102120000', 'create_orders'],
      ['20240103120000', 'orders_created_at_index'],
    ]);
    const users = set.migrations[0]!;
    expect(users.up.kind === 'sql' && users.up.statements[0]!.line).toBe(3);
    expect(users.down?.kind === 'sql' && users.down.statements.map((s) => [s.line, s.text])).toEqual([[12, 'DROP TABLE users']]);
  });

  it('reads transaction:false on the marker line', async () => {
    const set = await readMigrationSet(`${FIXTURES}/dbmate/postgres`, { dialect: 'postgres' });
    expect(outline(set)[2]).toEqual(['20240103120000', 'orders_created_at_index', { tx: false, lines: [2] }, { tx: false, lines: [5] }]);
  });

  it('refuses a file without -- migrate:up', async () => {
    const error = await failure(`${FIXTURES}/broken/dbmate-without-up`);
    expect(error.message).toBe("test/fixtures/migrations/broken/dbmate-without-up/20240101120000_create_users.sql: has no '-- migrate:up' line");
  });
});

describe('goose', () => {
  it('keeps StatementBegin … StatementEnd blocks whole and splits the rest', async () => {
    const set = await readMigrationSet(`${FIXTURES}/goose/postgres`, { dialect: 'postgres' });
    expect(set.format).toBe('goose');
    expect(outline(set)).toEqual([
      ['00001', 'create_users', { tx: true, lines: [3, 9] }, { tx: true, lines: [12] }],
      ['00002', 'create_orders', { tx: true, lines: [2, 11, 21] }, { tx: true, lines: [24, 25] }],
      ['00003', 'orders_created_at_index', { tx: false, lines: [3] }, { tx: false, lines: [6] }],
    ]);
    const orders = set.migrations[1]!.up;
    expect(orders.kind === 'sql' && orders.statements[1]!.text).toBe(
      "CREATE FUNCTION orders_default_note() RETURNS trigger AS $$\nBEGIN\n  IF NEW.note = '' THEN\n    NEW.note := $note$none; yet$note$;\n  END IF;\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql",
    );
  });

  it('refuses a StatementBegin left open when -- +goose Down comes, naming the line', async () => {
    const error = await failure(`${FIXTURES}/broken/goose-unclosed-block`);
    expect(error.message).toBe("test/fixtures/migrations/broken/goose-unclosed-block/00001_create_function.sql:5: '-- +goose Down' inside a StatementBegin … StatementEnd block");
    expect(error.hint).toMatch(/^goose files start with '-- \+goose Up'/);
  });
});

describe('diesel', () => {
  it('reads <version>_<name>/up.sql and down.sql, and run_in_transaction = false from metadata.toml', async () => {
    const set = await readMigrationSet(`${FIXTURES}/diesel/postgres`, { dialect: 'postgres' });
    expect(set.format).toBe('diesel');
    expect(outline(set)).toEqual([
      ['2024-01-01-120000', 'create_users', { tx: true, lines: [2, 8] }, { tx: true, lines: [1] }],
      ['2024-01-02-120000', 'create_orders', { tx: true, lines: [1, 9, 18] }, { tx: true, lines: [1, 2] }],
      ['2024-01-03-120000', 'orders_created_at_index', { tx: false, lines: [1] }, { tx: false, lines: [1] }],
    ]);
  });
});

describe('Kysely', () => {
  it('loads .ts (through tsx), .js and .mjs modules, default exports included, in name order', async () => {
    const set = await readMigrationSet(`${FIXTURES}/kysely`, { dialect: 'sqlite' });
    expect(set.format).toBe('kysely');
    expect(outline(set)).toEqual([
      ['2024_01_01_create_users', '2024_01_01_create_users', 'up', 'down'],
      ['2024_01_02_create_orders', '2024_01_02_create_orders', 'up', 'down'],
      ['2024_01_03_orders_note', '2024_01_03_orders_note', 'up', 'down'],
    ]);
    expect(set.migrations.every((m) => m.up.kind === 'module' && typeof m.up.run === 'function')).toBe(true);
  });

  it('refuses a module without up()', async () => {
    const error = await failure(`${FIXTURES}/broken/kysely-without-up`);
    expect(error.message).toBe('test/fixtures/migrations/broken/kysely-without-up/2024_01_01_create_users.mjs: exports no up(db) function');
  });
});

describe('choosing the format', () => {
  it.each([
    ['golang-migrate/sqlite', 'golang-migrate'],
    ['popx', 'golang-migrate'],
    ['flyway/mysql', 'flyway'],
    ['dbmate/sqlite', 'dbmate'],
    ['goose/mysql', 'goose'],
    ['diesel/sqlite', 'diesel'],
    ['kysely', 'kysely'],
  ])('detects %s as %s', async (folder, format) => {
    expect((await readMigrationSet(`${FIXTURES}/${folder}`, { dialect: 'sqlite' })).format).toBe(format);
  });

  it('reads a folder as the format it is told', async () => {
    const set = await readMigrationSet(`${FIXTURES}/goose/sqlite`, { dialect: 'sqlite', format: 'dbmate' }).catch((error: Error) => error);
    expect((set as Error).message).toBe("test/fixtures/migrations/goose/sqlite/00001_create_users.sql: has no '-- migrate:up' line");
  });

  it('says which formats it looked for when it finds none', async () => {
    const error = await failure(`${FIXTURES}/broken/unknown-format`);
    expect(error.message).toBe(
      'cannot tell the migration format of test/fixtures/migrations/broken/unknown-format: no file looks like golang-migrate (0001_name.up.sql and .down.sql), Flyway (V1__name.sql, U1__name.sql), dbmate (20240101120000_name.sql with -- migrate:up), goose (00001_name.sql with -- +goose Up), diesel (2024-01-01-120000_name/up.sql), Kysely (.ts/.js modules exporting up and down)',
    );
    expect(error.hint).toMatch(/name the format/);
  });

  it('refuses a folder that mixes formats', async () => {
    const error = await failure(`${FIXTURES}/broken/mixed-formats`);
    expect(error.message).toBe('test/fixtures/migrations/broken/mixed-formats mixes migration formats (1 golang-migrate, 1 flyway files)');
  });
});

describe('folder errors', () => {
  it('names a folder that does not exist', async () => {
    const error = await failure(`${FIXTURES}/no-such-folder`);
    expect(error.message).toBe('migrations folder not found: test/fixtures/migrations/no-such-folder');
    expect(error.hint).toBe('check the path (it is read relative to the current directory)');
  });

  it('names a file given as the folder', async () => {
    expect((await failure(`${FIXTURES}/popx/20240104000000000000_nothing_to_do.up.sql`)).message).toBe(
      'test/fixtures/migrations/popx/20240104000000000000_nothing_to_do.up.sql is a file, not a migrations folder',
    );
  });

  it.skipIf(process.getuid?.() === 0)('names a folder it may not read (skipped as root, who reads everything)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'schemaguard-unreadable-'));
    writeFileSync(join(folder, '0001_a.up.sql'), 'SELECT 1;');
    chmodSync(folder, 0o000);
    try {
      expect((await failure(folder)).message).toBe(`cannot read migrations folder ${folder}: permission denied`);
    } finally {
      chmodSync(folder, 0o700);
      rmSync(folder, { recursive: true, force: true });
    }
  });
  if (process.getuid?.() === 0) console.warn('skipping the unreadable-folder test: root reads every folder');
});

describe('version errors', () => {
  it('refuses two migrations with one version, naming both files', async () => {
    const error = await failure(`${FIXTURES}/broken/duplicate-version`);
    expect(error.message).toBe(
      'two migrations have version 0002: test/fixtures/migrations/broken/duplicate-version/0002_create_invoices.up.sql and test/fixtures/migrations/broken/duplicate-version/0002_create_orders.up.sql',
    );
    expect(error.hint).toBe('give each migration its own version (rename one of the files)');
  });

  it('refuses a gap in a plain sequence unless gaps are allowed', async () => {
    const error = await failure(`${FIXTURES}/broken/version-gap`);
    expect(error.message).toBe(
      'migration versions jump from 0001 (test/fixtures/migrations/broken/version-gap/0001_create_users.up.sql) to 0003 (test/fixtures/migrations/broken/version-gap/0003_create_invoices.up.sql): a migration is missing',
    );
    const allowed = await readMigrationSet(`${FIXTURES}/broken/version-gap`, { dialect: 'postgres', allowVersionGaps: true });
    expect(allowed.migrations.map((m) => m.version.text)).toEqual(['0001', '0003']);
  });

  it('accepts gaps between timestamps', async () => {
    const set = await readMigrationSet(`${FIXTURES}/dbmate/postgres`, { dialect: 'postgres' });
    expect(set.migrations).toHaveLength(3);
  });

  it('refuses a down without its up', async () => {
    const error = await failure(`${FIXTURES}/broken/down-without-up`);
    expect(error.message).toBe(
      'test/fixtures/migrations/broken/down-without-up/0002_create_orders.down.sql has no migration to undo: an up file for version 0002 (0002_<name>.up.sql) is missing',
    );
  });
});

describe('file errors', () => {
  it('names the file and line of an unterminated string', async () => {
    const error = await failure(`${FIXTURES}/broken/unterminated-string`);
    expect(error.message).toBe('test/fixtures/migrations/broken/unterminated-string/0001_seed.up.sql:3: unterminated string literal');
  });
});

describe('template variables', () => {
  const dialect: Engine = 'postgres';

  it('names the file and line of a variable that was not given', async () => {
    const error = await failure(`${FIXTURES}/broken/unknown-variable`, { dialect, variables: { Namespace: 'auth' } });
    expect(error.message).toBe(
      'test/fixtures/migrations/broken/unknown-variable/0001_create_tables.up.sql:4: unknown template variable "Schema" in {{ index .Options "Schema" }} (given: Namespace)',
    );
    expect(error.hint).toBe('pass the variable in the read options (variables: { Name: value })');
  });

  it('substitutes given variables, keeping the file lines', async () => {
    const set = await readMigrationSet(`${FIXTURES}/broken/unknown-variable`, { dialect, variables: { Schema: 'billing' } });
    const up = set.migrations[0]!.up;
    expect(up.kind === 'sql' && up.statements.map((s) => [s.line, s.text])).toEqual([
      [2, 'CREATE TABLE users (id int)'],
      [4, 'CREATE TABLE billing.orders (id int)'],
    ]);
  });

  it('leaves placeholders alone without variables, with a note saying where one is', async () => {
    const set = await readMigrationSet(`${FIXTURES}/broken/unknown-variable`, { dialect });
    expect(set.notes.map((n) => [n.line, n.message])).toEqual([
      [4, '{{ index .Options "Schema" }} looks like a Go template placeholder; it is left as written (pass variables to substitute it)'],
    ]);
  });
});
