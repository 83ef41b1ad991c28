import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/dialects/database-url.js';
import { isScratchUrl, parseCsvDataset, parseDataset, type Dataset, type ValueSpec } from '../../src/datasets/index.js';
import { createGenerator } from '../../src/datasets/generators.js';
import { streamKey } from '../../src/datasets/random.js';

/** The dataset format as a reader sees it, before any database is involved. */

function literals(dataset: Dataset, table = 0): unknown[][] {
  return dataset.tables[table]!.rows!.map((row) => row.cells.map((cell) => plain(cell.value)));
}

function plain(value: ValueSpec): unknown {
  if (value.kind !== 'literal') return value.kind;
  const literal = value.value as unknown;
  return literal !== null && typeof literal === 'object' && 'text' in (literal as object) ? (literal as { text: string }).text : literal;
}

describe('YAML datasets', () => {
  it('share defaults through anchors defined under a top-level x- key', async () => {
    const dataset = await parseDataset(
      ['x-user: &user { is_admin: false, name: Someone }', 'tables:', '  users:', '    - { <<: *user, email: a@example.com }', '    - { <<: *user, email: b@example.com, name: Bea }'].join('\n'),
      { file: 'users.yaml', format: 'yaml' },
    );
    expect(dataset.tables[0]!.rows!.map((row) => Object.fromEntries(row.cells.map((cell) => [cell.column, plain(cell.value)])))).toEqual([
      { email: 'a@example.com', is_admin: false, name: 'Someone' },
      { email: 'b@example.com', is_admin: false, name: 'Bea' },
    ]);
  });

  it('give every row and cell its line', async () => {
    const dataset = await parseDataset('tables:\n  users:\n    - email: a@example.com\n      name: A\n    - email: b@example.com\n', { file: 'u.yaml', format: 'yaml' });
    const rows = dataset.tables[0]!.rows!;
    expect(rows.map((row) => row.at.line)).toEqual([3, 5]);
    expect(rows[0]!.cells.map((cell) => cell.at.line)).toEqual([3, 4]);
    expect(dataset.tables[0]!.at).toEqual({ file: 'u.yaml', line: 2 });
  });

  it('take a map without $ keys as a JSON value, and $json for anything', async () => {
    const dataset = await parseDataset('tables:\n  t:\n    - { doc: { a: 1 }, text: { $json: hello }, ref: { $json: { $ref: "#/x" } } }\n', { file: 't.yaml', format: 'yaml' });
    expect(dataset.tables[0]!.rows![0]!.cells.map((cell) => cell.value.kind)).toEqual(['literal', 'json', 'json']);
  });
});

describe('CSV datasets', () => {
  it('read quoted commas, quotes and line breaks; an empty field is NULL and "" is empty text', async () => {
    const text = 'id,name,note\r\n1,"Baker, Bob","said ""hi""\nand left"\r\n2,,""\r\n\r\n';
    const dataset = await parseCsvDataset('people', text, 'people.csv');
    expect(literals(dataset)).toEqual([
      ['1', 'Baker, Bob', 'said "hi"\nand left'],
      ['2', null, ''],
    ]);
    expect(dataset.tables[0]!.rows!.map((row) => row.at.line)).toEqual([2, 4]);
  });

  it('trim header names and keep values as written', async () => {
    const dataset = await parseCsvDataset('t', 'id, name\n1, padded\n', 't.csv');
    expect(dataset.tables[0]!.rows![0]!.cells.map((cell) => cell.column)).toEqual(['id', 'name']);
    expect(literals(dataset)).toEqual([['1', ' padded']]);
  });

  it('name the line of an unclosed quote', async () => {
    await expect(parseCsvDataset('t', 'id,name\n1,"open\n2,x\n', 't.csv')).rejects.toThrow('t.csv:2: a quoted field is not closed (a " is missing)');
  });
});

describe('generators', () => {
  it('are counter-based: row n depends on the seed, the names and n alone', async () => {
    const spec = { type: 'number', min: 1, max: 1000, decimals: 2 } as const;
    const one = await createGenerator(spec, streamKey(42, 'orders', 'total'), { pickKeys: null, remember: false });
    const two = await createGenerator(spec, streamKey(42, 'orders', 'total'), { pickKeys: null, remember: false });
    const other = await createGenerator(spec, streamKey(43, 'orders', 'total'), { pickKeys: null, remember: false });
    const forwards = Array.from({ length: 50 }, (_, index) => String(one.valueAt(index)));
    const backwards = Array.from({ length: 50 }, (_, index) => String(two.valueAt(49 - index))).reverse();
    expect(backwards).toEqual(forwards);
    expect(Array.from({ length: 50 }, (_, index) => String(other.valueAt(index)))).not.toEqual(forwards);
    expect(new Set(forwards).size).toBeGreaterThan(45);
  });

  it('$fake is seeded: the same key draws the same values', async () => {
    const spec = { type: 'fake', method: 'person.fullName', args: [] } as const;
    const draw = async (seed: number) => {
      const generator = await createGenerator(spec, streamKey(seed, 'users', 'name'), { pickKeys: null, remember: false });
      return Array.from({ length: 5 }, (_, index) => generator.valueAt(index));
    };
    expect(await draw(1)).toEqual(await draw(1));
    expect(await draw(1)).not.toEqual(await draw(2));
  });
});

describe('which URLs are scratch databases', () => {
  const verdict = (url: string, config: string | null = null) => isScratchUrl(parseDatabaseUrl(url), config === null ? null : parseDatabaseUrl(config)).scratch;

  it('in-memory databases and schemaguard_* databases are', () => {
    expect(verdict('pglite:')).toBe(true);
    expect(verdict('sqlite::memory:')).toBe(true);
    expect(verdict('postgres://ci@127.0.0.1:5432/schemaguard_20261125t101500_3f9a1c')).toBe(true);
    expect(verdict('mysql://root@127.0.0.1/schemaguard_20261125t101500_3f9a1c')).toBe(true);
  });

  it('the config file’s scratch URL is, whoever connects to it', () => {
    expect(verdict('postgres://alice:pw@db.test:5432/qa', 'postgres://bob@DB.test:5432/qa')).toBe(true);
    expect(verdict('postgres://alice@db.test:5432/app', 'postgres://bob@db.test:5432/qa')).toBe(false);
    expect(verdict('sqlite:/tmp/scratch.db', 'sqlite:/tmp/scratch.db')).toBe(true);
  });

  it('anything else is not', () => {
    expect(verdict('postgres://app@db:5432/app')).toBe(false);
    expect(verdict('postgres://app@db:5432/my_schemaguard_copy')).toBe(false);
    expect(verdict('sqlite:app.db')).toBe(false);
    expect(verdict('pglite:/var/lib/pglite')).toBe(false);
  });
});
