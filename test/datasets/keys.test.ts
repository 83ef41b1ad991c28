import { describe, expect, it } from 'vitest';
import { loadDataset, parseDataset } from '../../src/datasets/index.js';
import { ENGINES, query, scratchFor, type SchemaFlavour } from './engines.js';

/**
 * Keys the database makes: explicit values go into identity and auto-increment columns (with
 * OVERRIDING SYSTEM VALUE for PostgreSQL's GENERATED ALWAYS), the counters move past them,
 * and computed columns cannot be given a value.
 */

const SCHEMA: Record<SchemaFlavour, string> = {
  postgres: `CREATE TABLE tags (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    shout text GENERATED ALWAYS AS (upper(name)) STORED
  )`,
  mysql: `CREATE TABLE tags (
    id INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    shout VARCHAR(50) AS (UPPER(name)) STORED
  )`,
  sqlite: `CREATE TABLE tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    shout TEXT GENERATED ALWAYS AS (upper(name)) STORED
  )`,
};

const EXPLICIT_IDS = 'tables:\n  tags:\n    - { id: 1, name: red }\n    - { id: 2, name: green }\n    - { id: 5, name: blue }\n';
const COMPUTED = 'tables:\n  tags:\n    - { name: red, shout: RED }\n';

describe.each(ENGINES)('keys on $name', (engine) => {
  it.skipIf(!engine.available)('explicit ids load, and the next ordinary INSERT gets the id after them', async () => {
    const scratch = await scratchFor(engine, SCHEMA[engine.flavour]);
    try {
      await loadDataset(scratch.connection, await parseDataset(EXPLICIT_IDS, { file: 'tags.yaml', format: 'yaml' }));
      await scratch.connection.executeScript("insert into tags (name) values ('black')");
      const rows = await query<{ id: unknown; name: string; shout: string }>(scratch, 'select id, name, shout from tags order by id');
      expect(rows.map((row) => [Number(row.id), row.name, row.shout])).toEqual([
        [1, 'red', 'RED'],
        [2, 'green', 'GREEN'],
        [5, 'blue', 'BLUE'],
        [6, 'black', 'BLACK'],
      ]);
    } finally {
      await scratch.dispose();
    }
  });

  it.skipIf(!engine.available)('a computed column cannot be given a value', async () => {
    const scratch = await scratchFor(engine, SCHEMA[engine.flavour]);
    try {
      const dataset = await parseDataset(COMPUTED, { file: 'tags.yaml', format: 'yaml' });
      await expect(loadDataset(scratch.connection, dataset)).rejects.toThrow(
        expect.objectContaining({ message: expect.stringMatching(/^tags\.yaml:3: column shout of tags is generated \(.*(upper|ucase).*\); the database computes it$/i), hint: 'leave shout out of the dataset' }),
      );
    } finally {
      await scratch.dispose();
    }
  });
});
