import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, parseDataset, readDataset } from '../../src/datasets/index.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { count, ENGINES, projectPath, scratchFor, shopSchema } from './engines.js';

/**
 * Every mistake a dataset author can make ends in one error: one line that names the file
 * and the line (or the CSV file and row), what is wrong, and a hint. Nothing is written.
 */

const BAD = 'test/fixtures/datasets/bad';

async function loadError(scratch: ScratchDatabase, path: string): Promise<{ message: string; hint: string | undefined }> {
  try {
    await loadDataset(scratch.connection, await readDataset(projectPath(`${BAD}/${path}`)));
  } catch (error) {
    const { message, hint } = error as { message: string; hint?: string };
    expect(message).not.toContain('\n');
    return { message, hint };
  }
  throw new Error(`${path} loaded without an error`);
}

describe('bad datasets on SQLite', () => {
  const sqlite = ENGINES.find((engine) => engine.flavour === 'sqlite')!;
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await scratchFor(sqlite, shopSchema('sqlite'));
  });
  afterAll(async () => {
    await scratch.dispose();
  });

  it('a table the database does not have', async () => {
    const { message, hint } = await loadError(scratch, 'missing-table.yaml');
    expect(message).toMatch(/^test\/fixtures\/datasets\/bad\/missing-table\.yaml:4: table userz does not exist in sqlite:.*scratch\.sqlite$/);
    expect(hint).toBe('did you mean users?');
  });

  it('a column the table does not have', async () => {
    expect(await loadError(scratch, 'missing-column.yaml')).toEqual({
      message: `${BAD}/missing-column.yaml:5: table users has no column emial`,
      hint: 'did you mean email?',
    });
  });

  it('a value that does not convert to the column type', async () => {
    const { message } = await loadError(scratch, 'bad-value.yaml');
    expect(message).toBe(`${BAD}/bad-value.yaml:4: users row 2, column is_admin (BOOLEAN): "maybe" is not a boolean (true/false, yes/no, 1/0)`);
  });

  it('a generated value that does not convert names the generator line', async () => {
    const { message } = await loadError(scratch, 'bad-generated-value.yaml');
    expect(message).toBe(`${BAD}/bad-generated-value.yaml:8: orders generated row 1, column ordered_at (TIMESTAMPTZ): 1 is not a timestamp (YYYY-MM-DD HH:MM[:SS[.ffffff]][+HH:MM])`);
  });

  it('a CSV value that does not convert names the CSV file and row', async () => {
    const { message } = await loadError(scratch, 'bad-csv-value');
    expect(message).toBe(`${BAD}/bad-csv-value/products.csv:3: products row 2, column price (DECIMAL(10, 2)): "nineteen, ninety-nine" is not a decimal number`);
  });

  it('a CSV with a ragged row', async () => {
    const { message, hint } = await loadError(scratch, 'ragged-csv');
    expect(message).toBe(`${BAD}/ragged-csv/users.csv:3: row 2 has 2 values, the header names 3 columns`);
    expect(hint).toMatch(/one value per header column/);
  });

  it('malformed YAML', async () => {
    const { message, hint } = await loadError(scratch, 'malformed.yaml');
    expect(message).toMatch(/^test\/fixtures\/datasets\/bad\/malformed\.yaml:\d+: invalid YAML: Missing closing "quote/);
    expect(hint).toMatch(/YAML syntax/);
  });

  it('malformed JSON', async () => {
    const { message } = await loadError(scratch, 'malformed.json');
    expect(message).toMatch(/^test\/fixtures\/datasets\/bad\/malformed\.json:5: invalid JSON: /);
  });

  it('a NOT NULL column a row leaves out, before anything is written', async () => {
    expect(await loadError(scratch, 'not-null-missing.yaml')).toEqual({
      message: `${BAD}/not-null-missing.yaml:4: users row 2: no value for name, which is NOT NULL without a default`,
      hint: "give name a value in the row, or in the table's `columns:`",
    });
  });

  it('a reference to a label no row has', async () => {
    expect(await loadError(scratch, 'unknown-label.yaml')).toEqual({
      message: `${BAD}/unknown-label.yaml:5: $ref users.anne: no row of users has \`$label: anne\``,
      hint: 'labels of users: ann',
    });
  });

  it('a misspelt generator, and a faker method that does not exist', async () => {
    expect(await loadError(scratch, 'unknown-generator.yaml')).toMatchObject({
      message: `${BAD}/unknown-generator.yaml:6: unknown key $faker`,
      hint: expect.stringMatching(/^did you mean \$fake\?/),
    });
    expect(await loadError(scratch, 'unknown-fake.yaml')).toEqual({
      message: `${BAD}/unknown-fake.yaml:6: $fake: faker has no method person.fullname`,
      hint: 'did you mean person.fullName?',
    });
  });

  it('a $pick from a table without rows', async () => {
    expect((await loadError(scratch, 'nothing-to-pick.yaml')).message).toBe(`${BAD}/nothing-to-pick.yaml:5: $pick users: users has no rows to pick from`);
  });

  it('a row without any value', async () => {
    const dataset = await parseDataset('tables:\n  users:\n    - { email: a@example.com, name: A }\n    - {}\n', { file: 'empty-row.yaml', format: 'yaml' });
    await expect(loadDataset(scratch.connection, dataset)).rejects.toThrow('empty-row.yaml:4: users row 2 gives no column a value');
  });

  it('nothing is left behind by a load that failed half-way', async () => {
    await loadError(scratch, 'bad-generated-value.yaml');
    expect(await count(scratch, 'users')).toBe(0);
  });
});

describe('bad datasets on PGlite', () => {
  it('an enum value the type does not have, listing the ones it does', async () => {
    const pglite = ENGINES.find((engine) => engine.name === 'PGlite')!;
    const scratch = await scratchFor(pglite, shopSchema('postgres'));
    try {
      const { message } = await loadError(scratch, 'bad-enum.postgres.yaml');
      expect(message).toBe(`${BAD}/bad-enum.postgres.yaml:5: orders row 1, column status (order_status): "lost" is not one of "pending", "paid", "shipped", "cancelled"`);
    } finally {
      await scratch.dispose();
    }
  });
});

describe('the dataset format itself', () => {
  const parse = (text: string) => parseDataset(text, { file: 'inline.yaml', format: 'yaml' });

  it('needs `tables:`, and says so with the line', async () => {
    await expect(parse('seed: 1\n')).rejects.toThrow('inline.yaml:1: the dataset: `tables:` is missing');
    await expect(parse('seed: 1\ntabels:\n  users: []\n')).rejects.toThrow(expect.objectContaining({ message: 'inline.yaml:2: the dataset: unknown key "tabels"', hint: 'did you mean tables?' }));
  });

  it('checks generator arguments with zod, naming the field', async () => {
    await expect(parse('tables:\n  t:\n    rows: 3\n    columns:\n      n: { $number: { min: 5, max: 1 } }\n')).rejects.toThrow('inline.yaml:5: $number max: min must not be greater than max');
    await expect(parse('tables:\n  t:\n    rows: 3\n    columns:\n      d:\n        $date: { from: 2024-02-30, to: 2024-03-01 }\n')).rejects.toThrow(
      'inline.yaml:6: $date from: must be a date: YYYY-MM-DD',
    );
  });

  it('rejects a generated table without columns, and two rows with one label', async () => {
    await expect(parse('tables:\n  t:\n    rows: 3\n')).rejects.toThrow('inline.yaml:2: t: 3 rows to generate, but no `columns:` say how');
    await expect(parse('tables:\n  t:\n    - { $label: a, x: 1 }\n    - { $label: a, x: 2 }\n')).rejects.toThrow('inline.yaml:4: t: two rows have `$label: a` (rows 1 and 2)');
  });

  it('keeps numbers as written, for integer, decimal and text columns', async () => {
    const dataset = await parse('tables:\n  t:\n    - { big: 9007199254740993, zip: 01234, price: 9.50 }\n');
    const cells = dataset.tables[0]!.rows![0]!.cells.map((cell) => (cell.value.kind === 'literal' ? cell.value.value : null));
    expect(cells.map((value) => (value as { text: string }).text)).toEqual(['9007199254740993', '01234', '9.50']);
  });
});
