import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSnapshot, serializeSnapshot } from '../../src/snapshot/canonical.js';
import { runCli } from '../support/cli.js';
import { sqlite3 } from './support.js';

/** The CLI of data snapshots and data diffs, on SQLite files a reader can make with sqlite3. */
const dir = mkdtempSync(join(tmpdir(), 'schemaguard-data-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SEED = `
CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO artist VALUES (1, 'AC/DC'), (2, 'Accept'), (3, 'Aerosmith');
CREATE TABLE log (message TEXT);
INSERT INTO log VALUES ('started'), ('started');
CREATE TABLE counter (n INTEGER PRIMARY KEY);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 50) INSERT INTO counter SELECT i FROM s;
`;

function database(name: string, extra = ''): string {
  const path = join(dir, `${name}.sqlite`);
  sqlite3(path, `${SEED}${extra}`);
  return path;
}

describe('snapshot --data', () => {
  it('writes row counts, fingerprints and small tables\' rows, one row per line, and reads back byte-identical', async () => {
    const path = database('written');
    const file = join(dir, 'written.json');
    const result = await runCli(['snapshot', `sqlite:${path}`, '--data', '--rows-limit', '10', '-o', file]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('data of 3 tables, 55 rows');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('        ["2", "Accept"],\n');
    const snapshot = parseSnapshot(text, file);
    expect(snapshot.data!.map((d) => [d.table, d.rowCount, d.rows === null ? null : d.rows.length])).toEqual([
      ['artist', 3, 3],
      ['counter', 50, null],
      ['log', 2, 2],
    ]);
    expect(serializeSnapshot(snapshot)).toBe(text);
  });

  it('captures only the tables named, and warns about a name that matches none', async () => {
    const path = database('named');
    const result = await runCli(['snapshot', `sqlite:${path}`, '--data', 'artist', 'nosuch*']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).data.map((d: { table: string }) => d.table)).toEqual(['artist']);
    expect(result.stderr).toContain('--data "nosuch*" matched no table');
  });

  it('takes data, rowsLimit and diff.maxRowChanges from schemaguard.yaml, and --no-data overrides the file', async () => {
    const path = database('configured');
    const cwd = mkdtempSync(join(dir, 'config-'));
    writeFileSync(join(cwd, 'schemaguard.yaml'), 'data: [counter]\nrowsLimit: 100\ndiff:\n  maxRowChanges: 2\n');
    const snapshot = await runCli(['snapshot', `sqlite:${path}`], { cwd });
    expect(snapshot.code).toBe(0);
    const data = JSON.parse(snapshot.stdout).data;
    expect(data).toHaveLength(1);
    expect(data[0].rows).toHaveLength(50);
    const schemaOnly = await runCli(['snapshot', `sqlite:${path}`, '--no-data'], { cwd });
    expect(JSON.parse(schemaOnly.stdout).data).toBeUndefined();
    const changed = database('configured-changed', 'UPDATE counter SET n = n + 1000 WHERE n <= 5;');
    const diff = await runCli(['diff', `sqlite:${path}`, `sqlite:${changed}`], { cwd });
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('counter: 5 missing, 5 extra rows (50 rows)');
    expect(diff.stdout).toContain('… 3 more missing');
  });
});

describe('diff --data', () => {
  it('exits 0 when schema and data are equal, 1 when only data differs', async () => {
    const a = database('equal-a');
    const b = database('equal-b');
    const same = await runCli(['diff', `sqlite:${a}`, `sqlite:${b}`, '--data']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('no data differences');
    const c = database('equal-c', "UPDATE artist SET name = 'Accept!' WHERE id = 2;");
    const differs = await runCli(['diff', `sqlite:${a}`, `sqlite:${c}`, '--data']);
    expect(differs.code).toBe(1);
    expect(differs.stdout).toContain('no differences\ndata:\n  artist: 1 changed row (3 rows)\n    ~ id=2: name "Accept" → "Accept!"');
    const schemaOnly = await runCli(['diff', `sqlite:${a}`, `sqlite:${c}`]);
    expect(schemaOnly.code).toBe(0);
  });

  it('compares tables whose rows a snapshot file did not store by fingerprint, and says so', async () => {
    const a = database('unstored-a');
    const file = join(dir, 'unstored.json');
    expect((await runCli(['snapshot', `sqlite:${a}`, '--data', '--rows-limit', '10', '-o', file])).code).toBe(0);
    const b = database('unstored-b', 'DELETE FROM counter WHERE n = 7; INSERT INTO log VALUES (\'stopped\');');
    const result = await runCli(['diff', file, `sqlite:${b}`, '--data', '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.equal).toBe(false);
    const counter = report.data.tables.find((t: { name: string }) => t.name === 'counter');
    expect(counter).toMatchObject({ status: 'different', comparedBy: 'fingerprint', rowCount: { a: 50, b: 49 }, missing: null });
    expect(counter.note).toContain(`rows not stored in ${file}`);
    const log = report.data.tables.find((t: { name: string }) => t.name === 'log');
    expect(log).toMatchObject({ status: 'different', comparedBy: 'fingerprint', note: 'no primary key: compared by row count and fingerprint' });
  });

  it('reports a table present on one side only', async () => {
    const a = database('one-side-a');
    const b = database('one-side-b', 'CREATE TABLE extra_table (id INTEGER PRIMARY KEY); INSERT INTO extra_table VALUES (1);');
    const result = await runCli(['diff', `sqlite:${a}`, `sqlite:${b}`, '--data']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('extra_table: table only in b (1 row)');
  });

  it('refuses --format sql with --data, and a snapshot file without data, in one line each', async () => {
    const a = database('refuse-a');
    const sql = await runCli(['diff', `sqlite:${a}`, `sqlite:${a}`, '--data', '--format', 'sql']);
    expect(sql.code).toBe(2);
    expect(sql.stderr).toContain('--format sql does not take --data');
    const file = join(dir, 'schema-only.json');
    expect((await runCli(['snapshot', `sqlite:${a}`, '-o', file])).code).toBe(0);
    const noData = await runCli(['diff', file, `sqlite:${a}`, '--data']);
    expect(noData.code).toBe(2);
    expect(noData.stderr).toContain('holds no data: it was written without --data');
  });
});
