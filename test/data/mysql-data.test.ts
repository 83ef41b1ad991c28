import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { createScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { TableData } from '../../src/snapshot/model.js';
import { mysqlServer, postgresServer } from '../support/servers.js';
import { dataOf, mariadbDumpRestore, mariadbScript } from './support.js';

/** One column per type family MariaDB has, and rows at the edges of each: run it by hand with the mariadb client. */
const TYPES_SQL = String.raw`
CREATE TABLE everything (
  id int PRIMARY KEY,
  tiny tinyint, small smallint, medium mediumint, plain int unsigned, big bigint, ubig bigint unsigned,
  exact decimal(12,4), single float, dbl double,
  flag boolean, yr year,
  note text, code varchar(20), fixed char(5),
  day date, clock time(3), moment datetime(6), instant timestamp(6) NULL,
  doc json,
  bytes varbinary(16), blobby blob, padded binary(4), bits bit(5),
  uid uuid,
  feeling enum('sad', 'ok', 'happy'), tags set('a', 'b', 'c')
) DEFAULT CHARSET = utf8mb4;
INSERT INTO everything VALUES
  (1, -128, -32768, -8388608, 4294967295, 9007199254740993, 18446744073709551615, 12.3400, 0.1, 0.1,
   TRUE, 2024, 'héllo wörld 🎉 日本', 'tab\tin', 'ab',
   '2024-02-29', '23:59:59.999', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.500000',
   '{"b": 1, "a": [1.0, "x"]}', x'00ff10', x'deadbeef', x'0102', b'10101',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'happy', 'a,c'),
  (2, 127, 32767, 8388607, 0, -9223372036854775808, 0, -0.0001, -1.5e38, 1e-300,
   FALSE, 1901, 'line\nbreak \\ back', '', 'x',
   '1000-01-01', '-838:59:59', '1000-01-01 00:00:00', '1970-01-01 02:00:01',
   '[]', x'', x'', x'00000000', b'0',
   '00000000-0000-0000-0000-000000000000', 'sad', ''),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE no_key (label varchar(10), amount decimal(6,2));
INSERT INTO no_key VALUES ('a', 1.00), ('a', 1.00), ('b', NULL), (NULL, 2.50);
`;

/** The same values in the types both engines have, for the cross-engine check. */
const PORTABLE = {
  mysql: `CREATE TABLE portable (id int PRIMARY KEY, big bigint, exact decimal(10,2), dbl double, note text, day date,
    moment datetime(6), instant timestamp(6) NULL, bytes varbinary(8), uid uuid, doc json) DEFAULT CHARSET = utf8mb4;
    INSERT INTO portable VALUES (1, 9007199254740993, 12.50, 0.1, 'héllo 🎉', '2024-02-29', '2024-01-02 03:04:05.120000',
      '2024-01-02 03:04:05.5', x'00ff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"b": 1, "a": [2, "x"]}'),
      (2, -1, 0.00, 1e-300, '', '1999-12-31', '2000-01-01 00:00:00', '1999-12-31 23:59:59', x'', NULL, NULL);`,
  postgres: `CREATE TABLE portable (id int PRIMARY KEY, big bigint, exact numeric(10,2), dbl double precision, note text, day date,
    moment timestamp(6), instant timestamptz(6), bytes bytea, uid uuid, doc json);
    INSERT INTO portable VALUES (1, 9007199254740993, 12.50, 0.1, 'héllo 🎉', '2024-02-29', '2024-01-02 03:04:05.120000',
      '2024-01-02 03:04:05.5+00', '\\x00ff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"b": 1, "a": [2, "x"]}'),
      (2, -1, 0.00, 1e-300, '', '1999-12-31', '2000-01-01 00:00:00', '1999-12-31 23:59:59+00', '\\x', NULL, NULL);`,
};

const server = await mysqlServer();
const pgServer = await postgresServer();

function column(data: TableData, row: number, name: string): unknown {
  return data.rows![row]![data.columns.findIndex((c) => c.name === name)];
}

describe.skipIf(!server.available)('data snapshots on MariaDB', () => {
  let original: ScratchDatabase;
  let restored: ScratchDatabase;

  beforeAll(async () => {
    [original, restored] = await Promise.all([
      createScratchDatabase({ kind: 'server', url: server.url }),
      createScratchDatabase({ kind: 'server', url: server.url }),
    ]);
    // The session time zone of the load is not UTC: TIMESTAMP values must still read as the same instants.
    mariadbScript(original.url, `SET time_zone = '+02:00';\n${TYPES_SQL}`);
  });
  afterAll(async () => {
    await Promise.all([original?.dispose(), restored?.dispose()]);
  });

  it('renders every type family losslessly in its canonical text', async () => {
    const data = (await dataOf(original)).get('everything')!;
    expect(data.rowCount).toBe(3);
    expect(column(data, 0, 'big')).toBe('9007199254740993');
    expect(column(data, 0, 'ubig')).toBe('18446744073709551615');
    expect(column(data, 0, 'exact')).toBe('12.3400');
    expect(column(data, 0, 'single')).toBe('0.1');
    expect(column(data, 0, 'dbl')).toBe('0.1');
    expect(column(data, 1, 'dbl')).toBe('1e-300');
    expect(column(data, 0, 'flag')).toBe('1');
    expect(column(data, 0, 'note')).toBe('héllo wörld 🎉 日本');
    expect(column(data, 1, 'note')).toBe('line\nbreak \\ back');
    expect(column(data, 0, 'clock')).toBe('23:59:59.999');
    expect(column(data, 1, 'clock')).toBe('-838:59:59');
    expect(column(data, 0, 'moment')).toBe('2024-01-02T03:04:05.123456');
    expect(column(data, 0, 'instant')).toBe('2024-01-02T01:04:05.5Z');
    expect(column(data, 1, 'instant')).toBe('1970-01-01T00:00:01Z');
    expect(column(data, 0, 'doc')).toBe('{"a":[1,"x"],"b":1}');
    expect(column(data, 0, 'bytes')).toBe('00ff10');
    expect(column(data, 0, 'padded')).toBe('01020000');
    expect(column(data, 0, 'bits')).toBe('15');
    expect(column(data, 0, 'uid')).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(column(data, 0, 'tags')).toBe('a,c');
    expect(data.rows![2]!.slice(1).every((value) => value === null)).toBe(true);
  });

  it('fingerprints and stores the same data after mariadb-dump and restore', async () => {
    mariadbDumpRestore(original.url, restored.url);
    const before = await dataOf(original);
    const after = await dataOf(restored);
    for (const [table, data] of before) expect(after.get(table)).toEqual(data);
  });

  it('changes the fingerprint when one cell changes', async () => {
    const before = (await dataOf(original)).get('everything')!;
    mariadbScript(original.url, 'UPDATE everything SET bits = b\'10100\' WHERE id = 1;');
    const after = (await dataOf(original)).get('everything')!;
    expect(after.fingerprint).not.toBe(before.fingerprint);
    mariadbScript(original.url, 'UPDATE everything SET bits = b\'10101\' WHERE id = 1;');
    expect((await dataOf(original)).get('everything')!.fingerprint).toBe(before.fingerprint);
  });

  it('keeps the fingerprint of a table without a key when its rows are stored in another order', async () => {
    const before = (await dataOf(original)).get('no_key')!;
    mariadbScript(original.url, 'CREATE TABLE reordered AS SELECT * FROM no_key; DELETE FROM no_key; INSERT INTO no_key SELECT * FROM reordered ORDER BY label DESC; DROP TABLE reordered;');
    const after = (await dataOf(original)).get('no_key')!;
    expect(after).toEqual(before);
    expect(after.rows).toEqual([[null, '2.50'], ['a', '1.00'], ['a', '1.00'], ['b', null]]);
  });

  it.skipIf(!pgServer.available)('renders the types both engines have as PostgreSQL does: equal fingerprints and rows', async () => {
    const pg = await createScratchDatabase({ kind: 'server', url: pgServer.url });
    try {
      mariadbScript(original.url, PORTABLE.mysql);
      await pg.connection.executeScript(PORTABLE.postgres);
      const mysqlData = (await dataOf(original)).get('portable')!;
      const pgData = (await dataOf(pg)).get('portable')!;
      expect(mysqlData.rows).toEqual(pgData.rows);
      expect(mysqlData.fingerprint).toBe(pgData.fingerprint);
    } finally {
      await pg.dispose();
    }
  });
});
