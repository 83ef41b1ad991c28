import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, readDataset } from '../../src/datasets/index.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { ENGINES, projectPath, query, scratchFor, type EngineCase, type SchemaFlavour } from './engines.js';

/**
 * Every column type family each engine has, written in YAML the way a person would, loaded,
 * and read back as text with plain SQL. Row 1 holds a value in every column, row 2 the edge
 * cases (a bigint below -2^53, a false written `no`, a timestamp without a zone into a
 * zoned column, a JSON string), row 3 only NULLs.
 */

const READ_BACK: Record<SchemaFlavour, string> = {
  postgres: `
    select id, small::text, int::text, big::text, exact::text, money::text, real_col::text, dbl::text, flag::text,
           txt, vc, ch, d::text, t::text, ttz::text, ts::text,
           to_char(tstz at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as tstz,
           doc::text, doc_json::text, encode(bin, 'hex') as bin, uid::text, m::text,
           array_to_json(tags)::text as tags, array_to_json(nums)::text as nums, iv::text
      from every_type order by id`,
  mysql: `
    select id, cast(small as char) as small, cast(\`int\` as char) as \`int\`, cast(big as char) as big, cast(ubig as char) as ubig,
           cast(exact as char) as exact, cast(money as char) as money, cast(real_col as char) as real_col, cast(dbl as char) as dbl,
           cast(flag as char) as flag, txt, vc, ch, cast(d as char) as d, cast(t as char) as t, cast(ts as char) as ts,
           cast(unix_timestamp(tstz) as char) as tstz, cast(doc as char) as doc, hex(bin) as bin, hex(blob_col) as blob_col, m
      from every_type order by id`,
  sqlite: `
    select id, cast(small as text) as small, cast(int as text) as int, cast(big as text) as big, typeof(big) as big_type,
           cast(exact as text) as exact, cast(money as text) as money, real_col, dbl, flag, txt, vc, ch, d, t, ts, tstz,
           doc, nullif(hex(bin), '') as bin, anything, typeof(anything) as anything_type
      from every_type order by id`,
};

const TEXT = 'héllo, wörld ✓ "quoted"';

const EXPECTED: Record<SchemaFlavour, Record<string, unknown>[]> = {
  postgres: [
    {
      id: 1, small: '-32768', int: '2147483647', big: '9223372036854775807', exact: '12345678901234567890.0123456789', money: '19.90',
      real_col: '1.5', dbl: '3.141592653589793', flag: 'true', txt: TEXT, vc: '01234', ch: 'abc', d: '2024-02-29',
      t: '13:45:30.123456', ttz: '10:00:00+02', ts: '2024-02-29 13:45:30.123456', tstz: '2024-02-29 11:45:30.123456',
      doc: '{"a": 1, "b": [true, null, "x"], "big": 12345678901234567890}', doc_json: '{"kept": "as written"}', bin: 'deadbeef00ff',
      uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', m: 'happy', tags: '["a","b c","d\\"e"]', nums: '[1,2,3]', iv: '1 day 02:00:00',
    },
    { big: '-9007199254740993', flag: 'false', tstz: '2024-07-01 00:00:00.000000', doc: '"just a string"' },
    {},
  ],
  mysql: [
    {
      id: 1, small: '-32768', int: '2147483647', big: '9223372036854775807', ubig: '18446744073709551615', exact: '12345678901234567890.0123456789',
      money: '19.90', real_col: '1.5', dbl: '3.141592653589793', flag: '1', txt: TEXT, vc: '01234', ch: 'abc', d: '2024-02-29',
      t: '13:45:30.123456', ts: '2024-02-29 13:45:30.123456', tstz: String(Date.UTC(2024, 1, 29, 11, 45, 30) / 1000) + '.123456',
      doc: '{"a":1,"b":[true,null,"x"],"big":12345678901234567890}', bin: 'DEADBEEF00FF', blob_col: '00FF', m: 'happy',
    },
    { big: '-9007199254740993', flag: '0', tstz: `${Date.UTC(2024, 6, 1) / 1000}.000000`, doc: '"just a string"' },
    {},
  ],
  sqlite: [
    {
      id: 1, small: '-32768', int: '2147483647', big: '9223372036854775807', big_type: 'integer', exact: '123456.0125',
      // SQLite has no decimal type: DECIMAL columns store a REAL, which drops the trailing zero.
      money: '19.9', real_col: 1.5, dbl: 3.141592653589793, flag: 1, txt: TEXT, vc: '01234', ch: 'abc', d: '2024-02-29',
      t: '13:45:30.123456', ts: '2024-02-29 13:45:30.123456', tstz: '2024-02-29T13:45:30.123456+02:00',
      doc: '{"a":1,"b":[true,null,"x"],"big":12345678901234567890}', bin: 'DEADBEEF00FF', anything: 42, anything_type: 'integer',
    },
    { big: '-9007199254740993', big_type: 'integer', flag: 0, tstz: '2024-07-01 00:00:00', doc: '"just a string"', anything: 'forty-two', anything_type: 'text' },
    {},
  ],
};

/** Columns a row leaves out read back as NULL. */
function expectedRows(flavour: SchemaFlavour, columns: readonly string[]): Record<string, unknown>[] {
  return EXPECTED[flavour].map((row, index) => {
    const full: Record<string, unknown> = {};
    for (const column of columns) full[column] = row[column] ?? null;
    full.id = index + 1;
    if (flavour === 'sqlite') full.big_type = row.big_type ?? 'null';
    if (flavour === 'sqlite') full.anything_type = row.anything_type ?? 'null';
    return full;
  });
}

function normaliseJson(flavour: SchemaFlavour, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  // MySQL prints JSON with spaces, MariaDB (JSON is LONGTEXT there) as stored.
  return flavour === 'mysql' ? rows.map((row) => ({ ...row, doc: typeof row.doc === 'string' ? compactJson(row.doc) : row.doc })) : rows;
}

/** JSON text without the whitespace between tokens (strings kept as they are). */
function compactJson(text: string): string {
  return text.replace(/("(?:[^"\\]|\\.)*")|\s+/g, (_, quoted: string | undefined) => quoted ?? '');
}

describe.each(ENGINES)('column types on $name', (engine: EngineCase) => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    if (engine.available) scratch = await scratchFor(engine, readFileSync(projectPath(`test/fixtures/datasets/types/${engine.flavour}.sql`), 'utf8'));
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  it.skipIf(!engine.available)('every type family loads and reads back as written', async () => {
    const dataset = await readDataset(projectPath(`test/fixtures/datasets/types/${engine.flavour}.yaml`));
    const result = await loadDataset(scratch.connection, dataset);
    expect(result.inserted).toBe(3);
    const rows = normaliseJson(engine.flavour, await query(scratch, READ_BACK[engine.flavour]));
    const columns = Object.keys(rows[0]!);
    expect(rows.map((row) => ({ ...row, id: Number(row.id) }))).toEqual(expectedRows(engine.flavour, columns));
  });
});
