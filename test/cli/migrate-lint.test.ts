import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { expectOneErrorLine, runCli, type CliResult } from '../support/cli.js';
import { PG_URL_TEXT, postgresServer } from '../support/servers.js';

/**
 * `schemaguard migrate lint` as a user runs it: a migration folder written by the test, a
 * throwaway SQLite or PGlite database, and the exit status, report and annotations the command
 * prints. Run `npm run build` first (the tests run the built CLI).
 */
const server = await postgresServer();

/** A project folder holding `migrations/` with these files (and schemaguard.yaml when given). */
function project(files: Record<string, string>, config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'schemaguard-lint-cli-'));
  mkdirSync(join(dir, 'migrations'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, 'migrations', name), sql);
  if (config !== undefined) writeFileSync(join(dir, 'schemaguard.yaml'), config);
  return dir;
}

/** `migrate lint migrations …` run in the project folder, so reported files read `migrations/…`. */
const lint = (dir: string, ...args: string[]): Promise<CliResult> => runCli(['migrate', 'lint', 'migrations', ...args], { cwd: dir });

interface JsonCase {
  readonly name: string;
  readonly status: string;
  readonly severity: string;
  readonly message: string | null;
  readonly location: { readonly file: string; readonly line: number | null } | null;
}

interface JsonReport {
  readonly command: string;
  readonly suites: readonly { readonly name: string; readonly cases: readonly JsonCase[] }[];
}

const lintCases = (stdout: string): JsonCase[] => (JSON.parse(stdout) as JsonReport).suites.filter((s) => s.name === 'lint').flatMap((s) => s.cases);

const USERS = `CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL
);
`;

/** Three SQLite migrations: create, drop (an error finding on line 3), create again. */
const DROPS_USERS = {
  '0001_users.up.sql': USERS,
  '0002_drop_users.up.sql': `-- users moved to the accounts service
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
DROP TABLE users;
`,
  '0003_tags.up.sql': 'CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);\n',
};

describe('migrate lint: the exit status', () => {
  it('is 0 on a folder with nothing to report', async () => {
    const dir = project({ '0001_users.up.sql': USERS, '0002_nickname.up.sql': 'ALTER TABLE users ADD COLUMN nickname TEXT;\n' });
    const result = await lint(dir, '--dialect', 'sqlite');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/2 passed/);
    expect(result.code).toBe(0);
  });

  it('is 1 when a finding is an error', async () => {
    const result = await lint(project(DROPS_USERS), '--dialect', 'sqlite');
    expect(result.stdout).toContain('error table-dropped: table users is dropped with all its rows');
    expect(result.code).toBe(1);
  });

  it('is 0 when every finding is a warning', async () => {
    const dir = project({
      '0001_report.up.sql': `${USERS}CREATE VIEW user_emails AS SELECT email FROM users;\n`,
      '0002_drop_report.up.sql': 'DROP VIEW user_emails;\n',
    });
    const result = await lint(dir, '--dialect', 'sqlite');
    expect(result.stdout).toContain('warning view-dropped');
    expect(result.stdout).not.toMatch(/^\s+error /m);
    expect(result.code).toBe(0);
  });

  it('is 0 when --rule turns the error rule off, and the finding is gone', async () => {
    const result = await lint(project(DROPS_USERS), '--dialect', 'sqlite', '--rule', 'table-dropped=off');
    expect(result.stdout).not.toContain('table-dropped');
    expect(result.code).toBe(0);
  });
});

describe('migrate lint: bad options get one line on stderr and exit 2', () => {
  it('an unknown rule id in --rule', async () => {
    expectOneErrorLine(await lint(project(DROPS_USERS), '--dialect', 'sqlite', '--rule', 'no-such-rule=off'), /--rule names rule "no-such-rule", which does not exist/);
  });

  it('an unknown rule id in lint.rules of schemaguard.yaml', async () => {
    const dir = project(DROPS_USERS, 'dialect: sqlite\nlint:\n  rules:\n    no-such-rule: warning\n');
    expectOneErrorLine(await lint(dir), /lint\.rules in the config file names rule "no-such-rule", which does not exist/);
  });

  it('a --table-sizes file that does not exist', async () => {
    expectOneErrorLine(await lint(project(DROPS_USERS), '--dialect', 'sqlite', '--table-sizes', 'missing.json'), /cannot read table sizes missing\.json/);
  });

  it('a --table-sizes file that is not JSON', async () => {
    const dir = project(DROPS_USERS);
    writeFileSync(join(dir, 'sizes.json'), '{"users": 12,');
    expectOneErrorLine(await lint(dir, '--dialect', 'sqlite', '--table-sizes', 'sizes.json'), /sizes\.json: not valid JSON/);
  });

  it('a --table-sizes CSV whose row count is not a number', async () => {
    const dir = project(DROPS_USERS);
    writeFileSync(join(dir, 'sizes.csv'), 'table,rows\nusers,many\n');
    expectOneErrorLine(await lint(dir, '--dialect', 'sqlite', '--table-sizes', 'sizes.csv'), /sizes\.csv:2: .*users.*"many"/);
  });
});

describe('migrate lint: what it reports', () => {
  it('a table sizes file that says the table is small lowers the error to a warning', async () => {
    const dir = project(DROPS_USERS);
    writeFileSync(join(dir, 'sizes.json'), '{"users": 12}\n');
    const result = await lint(dir, '--dialect', 'sqlite', '--table-sizes', 'sizes.json');
    expect(result.stdout).toContain('warning table-dropped');
    expect(result.code).toBe(0);
  });

  it('--reporter github annotates the file and line of the statement (PGlite)', async () => {
    const dir = project({
      '0001_users.up.sql': 'CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  email text NOT NULL\n);\n',
      '0002_users_email.up.sql': '-- lookups by email\nSET lock_timeout = \'5s\';\nSET statement_timeout = \'5s\';\nCREATE INDEX users_email_idx\n  ON users (email);\n',
    });
    const result = await lint(dir, '--dialect', 'postgres', '--reporter', 'github');
    expect(result.stdout).toMatch(/^::error file=migrations\/0002_users_email\.up\.sql,line=4,title=[^:]*pg-create-index-not-concurrently[^\n]*::error pg-create-index-not-concurrently: /m);
    // Every annotation is a GitHub workflow command on a file of the folder.
    for (const line of result.stdout.trimEnd().split('\n')) expect(line).toMatch(/^::(error|warning|notice) file=migrations\/000[12]_[a-z_]+\.up\.sql,line=\d+,/);
    expect(result.code).toBe(1);
  });

  it('--reporter json parses and holds each finding with its rule, severity, file and line', async () => {
    const result = await lint(project(DROPS_USERS), '--dialect', 'sqlite', '--reporter', 'json');
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.command).toBe('migrate lint');
    const failed = lintCases(result.stdout).filter((c) => c.status === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({
        name: '0002 drop_users: table-dropped users',
        severity: 'error',
        message: 'error table-dropped: table users is dropped with all its rows',
        location: { file: 'migrations/0002_drop_users.up.sql', line: 3 },
      }),
    ]);
    expect(result.code).toBe(1);
  });

  it('--latest 1 lints only the last migration of the folder', async () => {
    const result = await lint(project(DROPS_USERS), '--dialect', 'sqlite', '--latest', '1', '--reporter', 'json');
    expect(lintCases(result.stdout).map((c) => `${c.status} ${c.name}`)).toEqual(['passed 0003 tags: lint']);
    expect(result.code).toBe(0);
  });

  it('--list-rules lists every rule, one a line, with its severity and engines', async () => {
    const result = await runCli(['migrate', 'lint', '--list-rules']);
    expect(result.code).toBe(0);
    const [header, ...rules] = result.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^RULE +SEVERITY +ENGINES +SUMMARY$/);
    expect(rules.length).toBeGreaterThanOrEqual(40);
    for (const line of rules) expect(line).toMatch(/^[a-z0-9-]+ +(error|warning|info) +(postgres|mysql|sqlite)(,(postgres|mysql|sqlite))* +\S/);
    // The columns line up: every severity starts where the header's does.
    const column = header!.indexOf('SEVERITY');
    for (const line of rules) expect(line.slice(column), line).toMatch(/^(error|warning|info) /);
    expect(rules.map((line) => line.split(' ')[0])).toContain('table-dropped');
  });

  it('--help shows examples', async () => {
    const result = await runCli(['migrate', 'lint', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toMatch(/^\s+\$ schemaguard migrate lint .*--dialect postgres/m);
    expect(result.stdout).toContain('-- schemaguard:ignore table-dropped');
  });
});

describe('migrate check runs lint unless --no-lint', () => {
  const folder = () =>
    project({
      '0001_users.up.sql': USERS,
      '0001_users.down.sql': 'DROP TABLE users;\n',
      '0002_nickname.up.sql': 'ALTER TABLE users ADD COLUMN nickname TEXT;\n',
      '0002_nickname.down.sql': 'ALTER TABLE users DROP COLUMN nickname;\n',
    });
  const check = (dir: string, ...args: string[]) =>
    runCli(['migrate', 'check', 'migrations', '--dialect', 'sqlite', '--baseline', 'schema.json', '--no-ci', '--reporter', 'json', ...args], { cwd: dir });
  const suiteNames = (stdout: string) => (JSON.parse(stdout) as JsonReport).suites.map((s) => s.name);

  it('has a lint suite by default', async () => {
    const result = await check(folder());
    expect(suiteNames(result.stdout)).toContain('lint');
    expect(lintCases(result.stdout).map((c) => `${c.status} ${c.name}`)).toEqual(['passed 0001 users: lint', 'passed 0002 nickname: lint']);
    expect(result.code).toBe(0);
  });

  it('has none with --no-lint', async () => {
    const result = await check(folder(), '--no-lint');
    expect(suiteNames(result.stdout)).not.toContain('lint');
    expect(suiteNames(result.stdout)).toContain('migrations');
    expect(result.code).toBe(0);
  });
});

describe.skipIf(!server.available)('migrate table-sizes-query on the PostgreSQL server', () => {
  it('prints a query that runs there and gives the row estimate of each table, which --table-sizes reads', async () => {
    const result = await runCli(['migrate', 'table-sizes-query', '--dialect', 'postgres']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const schema = `sg_sizes_${process.pid}_${Date.now()}`;
    const client = new pg.Client({ connectionString: PG_URL_TEXT });
    await client.connect();
    let sizes: unknown;
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`CREATE TABLE ${schema}.orders (id bigint PRIMARY KEY)`);
      await client.query(`INSERT INTO ${schema}.orders SELECT generate_series(1, 250)`);
      await client.query(`CREATE TABLE ${schema}.never_analyzed (id bigint)`);
      await client.query(`ANALYZE ${schema}.orders`);
      const rows = (await client.query(result.stdout)).rows as Record<string, unknown>[];
      expect(rows).toHaveLength(1);
      sizes = Object.values(rows[0]!)[0];
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
    // One JSON object: qualified table name → estimated rows (null: never analyzed).
    expect(sizes).toMatchObject({ [`${schema}.orders`]: 250, [`${schema}.never_analyzed`]: null });

    // Saved as a file, the output is what --table-sizes takes.
    const dir = project(DROPS_USERS);
    writeFileSync(join(dir, 'sizes.json'), JSON.stringify(sizes));
    const linted = await lint(dir, '--dialect', 'sqlite', '--table-sizes', 'sizes.json');
    expect(linted.stderr).toBe('');
    expect(linted.code).toBe(1);
  });
});
