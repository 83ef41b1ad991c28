import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { createScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { TableData } from '../../src/snapshot/model.js';
import { dataOf, sqlite3, sqliteDumpRestore } from './support.js';

/** Every storage class, in columns of each affinity: run it by hand with sqlite3. */
const TYPES_SQL = String.raw`
CREATE TABLE everything (
  id INTEGER PRIMARY KEY,
  big INTEGER, ratio REAL, amount NUMERIC, note TEXT, bytes BLOB, anything, moment DATETIME
);
INSERT INTO everything VALUES
  (1, 9007199254740993, 0.1, 12.5, 'héllo wörld 🎉 日本', x'00ff10', 42, '2024-01-02 03:04:05'),
  (2, -9223372036854775808, 1e-300, 3, 'line' || char(10) || 'break \ back' || char(9) || 'tab', x'', 'text', NULL),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, 9223372036854775807, -0.0, '1e3', '', x'deadbeef', x'01', 1.5);
CREATE TABLE no_key (label TEXT, amount NUMERIC);
INSERT INTO no_key VALUES ('a', 1), ('a', 1), ('b', NULL), (NULL, 2.5);
CREATE TABLE composite (a TEXT, b INTEGER, c TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
INSERT INTO composite VALUES ('b', 2, 'x'), ('B', 10, 'y'), ('b', 10, 'z'), ('é', 1, 'w');
`;

function column(data: TableData, row: number, name: string): unknown {
  return data.rows![row]![data.columns.findIndex((c) => c.name === name)];
}

describe('data snapshots on SQLite', () => {
  let original: ScratchDatabase;
  let restored: ScratchDatabase;

  beforeAll(async () => {
    [original, restored] = await Promise.all([createScratchDatabase({ kind: 'sqlite' }), createScratchDatabase({ kind: 'sqlite' })]);
    await original.connection.executeScript(TYPES_SQL);
  });
  afterAll(async () => {
    await Promise.all([original?.dispose(), restored?.dispose()]);
  });

  it('renders each storage class losslessly: integers exact, reals shortest, blobs hex', async () => {
    const data = (await dataOf(original)).get('everything')!;
    expect(column(data, 0, 'big')).toBe('9007199254740993');
    expect(column(data, 1, 'big')).toBe('-9223372036854775808');
    expect(column(data, 0, 'ratio')).toBe('0.1');
    expect(column(data, 1, 'ratio')).toBe('1e-300');
    expect(column(data, 0, 'amount')).toBe('12.5');
    expect(column(data, 3, 'amount')).toBe('1000');
    expect(column(data, 0, 'note')).toBe('héllo wörld 🎉 日本');
    expect(column(data, 1, 'note')).toBe('line\nbreak \\ back\ttab');
    expect(column(data, 0, 'bytes')).toBe('00ff10');
    expect(column(data, 0, 'anything')).toBe('42');
    expect(column(data, 3, 'anything')).toBe('01');
    expect(column(data, 0, 'moment')).toBe('2024-01-02 03:04:05');
  });

  it('orders rows by a composite text key in code point order', async () => {
    const data = (await dataOf(original)).get('composite')!;
    expect(data.rows).toEqual([['B', '10', 'y'], ['b', '2', 'x'], ['b', '10', 'z'], ['é', '1', 'w']]);
  });

  it('fingerprints and stores the same data after sqlite3 .dump and restore', async () => {
    sqliteDumpRestore(original.url, restored.url);
    const before = await dataOf(original);
    const after = await dataOf(restored);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [table, data] of before) expect(after.get(table)).toEqual(data);
  });

  it('changes the fingerprint when one cell changes', async () => {
    const path = original.url.kind === 'sqlite' ? original.url.path : '';
    const before = (await dataOf(original)).get('everything')!;
    sqlite3(path, "UPDATE everything SET bytes = x'00ff11' WHERE id = 1;");
    expect((await dataOf(original)).get('everything')!.fingerprint).not.toBe(before.fingerprint);
    sqlite3(path, "UPDATE everything SET bytes = x'00ff10' WHERE id = 1;");
    expect((await dataOf(original)).get('everything')!.fingerprint).toBe(before.fingerprint);
  });

  it('keeps the fingerprint when the rows are stored in another physical order', async () => {
    const path = original.url.kind === 'sqlite' ? original.url.path : '';
    const before = (await dataOf(original)).get('no_key')!;
    sqlite3(path, 'CREATE TABLE reordered AS SELECT * FROM no_key; DELETE FROM no_key; INSERT INTO no_key SELECT * FROM reordered ORDER BY label DESC; DROP TABLE reordered;');
    expect(sqlite3(path, 'SELECT quote(label) FROM no_key;').trim().split('\n')).toEqual(["'b'", "'a'", "'a'", 'NULL']);
    expect((await dataOf(original)).get('no_key')).toEqual(before);
  });
});
