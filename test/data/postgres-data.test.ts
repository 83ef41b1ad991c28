import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { createScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { TableData } from '../../src/snapshot/model.js';
import { postgresServer } from '../support/servers.js';
import { dataOf, diffLive, postgresDumpRestore } from './support.js';

/** One column per type family, and rows at the edges of each: run it by hand with psql. */
const TYPES_SQL = String.raw`
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE TABLE everything (
  id integer PRIMARY KEY,
  small smallint, big bigint, dom positive,
  exact numeric(12,4), free numeric,
  single real, double double precision,
  flag boolean,
  note text, code varchar(20), fixed char(5),
  day date, clock time(3), clock_tz timetz, moment timestamp(6), instant timestamptz,
  span interval,
  doc json, docb jsonb,
  bytes bytea, uid uuid, feeling mood,
  ints integer[], words text[]
);
INSERT INTO everything VALUES
  (1, -32768, 9007199254740993, 7, 12.3400, 'NaN', 0.1, 0.1, true, 'héllo wörld 🎉 日本', 'tab	in', 'ab',
   '2024-02-29', '23:59:59.999', '12:00:00+05:30', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.5+02',
   '1 year 2 mons 3 days 04:05:06.5', '{"b": 1, "a": [1.0, "x"]}', '{"b": 1, "a": [1.0, "x"]}',
   '\x00ff10', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'happy', '{1,2,NULL}', '{"a b","c,d"}'),
  (2, 32767, -9223372036854775808, 1, -0.0001, 123456789.123456789, 'Infinity', '-0', false, E'line\nbreak \\ back\ttab', '', 'x',
   '0001-01-01', '00:00:00', '00:00:00-03', 'infinity', '1970-01-01 00:00:00+00', '-1 days', '[]', 'null',
   '\x', '00000000-0000-0000-0000-000000000000', 'sad', '{}', '{}'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, 0, 9223372036854775807, 2147483647, 99999999.9999, 0, 3.4028235e38, 1e-300, true, '', 'Z', 'abcde',
   '9999-12-31', '12:34:56.5', '23:59:59+00', '2000-01-01 00:00:00', '2038-01-19 03:14:07.999999+00', '0',
   '{"nested": {"z": [true, false, null], "a": 1e2}}', '{"nested": {"z": [true, false, null], "a": 1e2}}',
   '\xdeadbeef', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'ok', '{-1}', '{"NULL",""}');
CREATE TABLE no_key (label text, amount numeric(6,2));
INSERT INTO no_key VALUES ('a', 1.00), ('a', 1.00), ('b', NULL), (NULL, 2.50);
`;

const server = await postgresServer();

function column(data: TableData, row: number, name: string): unknown {
  return data.rows![row]![data.columns.findIndex((c) => c.name === name)];
}

describe.skipIf(!server.available)('data snapshots on PostgreSQL', () => {
  let original: ScratchDatabase;
  let restored: ScratchDatabase;
  let pglite: ScratchDatabase;

  beforeAll(async () => {
    [original, restored, pglite] = await Promise.all([
      createScratchDatabase({ kind: 'server', url: server.url }),
      createScratchDatabase({ kind: 'server', url: server.url }),
      createScratchDatabase({ kind: 'pglite' }),
    ]);
    await original.connection.executeScript(TYPES_SQL);
    await pglite.connection.executeScript(TYPES_SQL);
  });
  afterAll(async () => {
    await Promise.all([original?.dispose(), restored?.dispose(), pglite?.dispose()]);
  });

  it('renders every type family losslessly in its canonical text', async () => {
    const data = (await dataOf(original)).get('everything')!;
    expect(data.rowCount).toBe(4);
    expect(data.keyColumns).toEqual(['id']);
    expect(data.rows!.map((row) => row[0])).toEqual(['1', '2', '3', '4']);
    expect(column(data, 0, 'big')).toBe('9007199254740993');
    expect(column(data, 1, 'big')).toBe('-9223372036854775808');
    expect(column(data, 0, 'exact')).toBe('12.3400');
    expect(column(data, 1, 'free')).toBe('123456789.123456789');
    expect(column(data, 0, 'single')).toBe('0.1');
    expect(column(data, 1, 'double')).toBe('-0');
    expect(column(data, 0, 'flag')).toBe(true);
    expect(column(data, 1, 'note')).toBe('line\nbreak \\ back\ttab');
    expect(column(data, 0, 'note')).toBe('héllo wörld 🎉 日本');
    expect(column(data, 0, 'fixed')).toBe('ab   ');
    expect(column(data, 0, 'clock_tz')).toBe('12:00:00+05:30');
    expect(column(data, 0, 'moment')).toBe('2024-01-02T03:04:05.123456');
    expect(column(data, 0, 'instant')).toBe('2024-01-02T01:04:05.5Z');
    expect(column(data, 1, 'moment')).toBe('infinity');
    expect(column(data, 0, 'span')).toBe('P1Y2M3DT4H5M6.5S');
    expect(column(data, 0, 'doc')).toBe('{"a":[1,"x"],"b":1}');
    expect(column(data, 0, 'docb')).toBe('{"a":[1,"x"],"b":1}');
    expect(column(data, 0, 'bytes')).toBe('00ff10');
    expect(column(data, 1, 'bytes')).toBe('');
    expect(column(data, 0, 'uid')).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(column(data, 0, 'feeling')).toBe('happy');
    expect(column(data, 0, 'ints')).toBe('{1,2,NULL}');
    expect(data.rows![2]!.slice(1).every((value) => value === null)).toBe(true);
  });

  it('fingerprints and stores the same data after pg_dump and psql restore', async () => {
    postgresDumpRestore(original.url, restored.url);
    const before = await dataOf(original);
    const after = await dataOf(restored);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [table, data] of before) expect(after.get(table)).toEqual(data);
  });

  it('fingerprints and stores the same data on PGlite as on the server', async () => {
    const server = await dataOf(original);
    const embedded = await dataOf(pglite);
    for (const [table, data] of server) expect(embedded.get(table)).toEqual(data);
  });

  it('counts duplicate rows of a table without a key, and orders its rows by every column', async () => {
    const data = (await dataOf(original)).get('no_key')!;
    expect(data.keyColumns).toEqual([]);
    expect(data.rowCount).toBe(4);
    expect(data.rows).toEqual([[null, '2.50'], ['a', '1.00'], ['a', '1.00'], ['b', null]]);
  });

  it('changes the fingerprint when one cell changes, and only that table\'s', async () => {
    const before = await dataOf(original);
    await original.connection.executeScript(`UPDATE everything SET note = 'héllo wörld 🎉 日本!' WHERE id = 1`);
    const after = await dataOf(original);
    expect(after.get('everything')!.fingerprint).not.toBe(before.get('everything')!.fingerprint);
    expect(after.get('no_key')!.fingerprint).toBe(before.get('no_key')!.fingerprint);
    await original.connection.executeScript(`UPDATE everything SET note = 'héllo wörld 🎉 日本' WHERE id = 1`);
    expect((await dataOf(original)).get('everything')!.fingerprint).toBe(before.get('everything')!.fingerprint);
  });

  it('keeps the fingerprint when the rows are stored in another physical order', async () => {
    const before = await dataOf(original);
    await original.connection.executeScript(`
      CREATE TABLE reordered AS SELECT * FROM everything ORDER BY id DESC;
      DELETE FROM everything;
      INSERT INTO everything SELECT * FROM reordered;
      DROP TABLE reordered;`);
    const physical = await original.connection.db.selectFrom('everything').select('id').execute();
    expect(physical.map((r) => r.id)).toEqual([4, 3, 2, 1]);
    const after = await dataOf(original);
    expect(after.get('everything')).toEqual(before.get('everything'));
  });

  it('leaves the rows out of tables with more rows than the limit, keeping count and fingerprint', async () => {
    const limited = (await dataOf(original, 3)).get('everything')!;
    const full = (await dataOf(original)).get('everything')!;
    expect(limited.rows).toBeNull();
    expect(limited.rowCount).toBe(4);
    expect(limited.fingerprint).toBe(full.fingerprint);
  });

  it('merge-joins keys of every order-sensitive kind between two live databases: text by code point, not by collation', async () => {
    const keyed = String.raw`
      CREATE TABLE keyed (name text COLLATE "und-x-icu", at timestamptz, amount numeric, PRIMARY KEY (name, at, amount), note text);
      INSERT INTO keyed VALUES ('apple', '2024-01-01 00:00:00+00', 1, 'x'), ('Apple', '2024-01-01 00:00:00.5+00', 1.5, 'x'),
        ('éclair', '2024-01-01 00:00:00+00', 10, 'x'), ('Zebra', '2024-01-01 00:00:00+00', -2, 'x'), ('🎉', '2024-01-01 00:00:00+00', 0, 'x'),
        ('apple', '2024-01-01 00:00:00.05+00', 1, 'x'), ('apple', '2024-01-01 00:00:00+00', 9, 'x');`;
    const left = await createScratchDatabase({ kind: 'server', url: server.url });
    const right = await createScratchDatabase({ kind: 'server', url: server.url });
    try {
      await left.connection.executeScript(keyed);
      await right.connection.executeScript(`${keyed}
        UPDATE keyed SET note = 'y' WHERE name = 'éclair';
        DELETE FROM keyed WHERE name = 'apple' AND amount = 9;
        INSERT INTO keyed VALUES ('apple', '2024-01-01 00:00:00.25+00', 1, 'new');`);
      const result = await diffLive(left.url, right.url);
      const table = result.tables.find((t) => t.table === 'keyed')!;
      expect(table.changed!.rows.map((r) => r.key)).toEqual([{ name: 'éclair', at: '2024-01-01T00:00:00Z', amount: '10' }]);
      expect(table.missing!.rows.map((r) => r.key)).toEqual([{ name: 'apple', at: '2024-01-01T00:00:00Z', amount: '9' }]);
      expect(table.extra!.rows.map((r) => r.key)).toEqual([{ name: 'apple', at: '2024-01-01T00:00:00.25Z', amount: '1' }]);
    } finally {
      await Promise.all([left.dispose(), right.dispose()]);
    }
  });
});
