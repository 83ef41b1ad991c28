import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  applyMigrations,
  compareSnapshots,
  expectSchemasEqual,
  expectSchemaToMatchBaseline,
  loadDataset,
  openScratchDatabase,
  SchemaMismatchError,
  takeSnapshot,
} from '../../src/index.js';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

describe('the library API', () => {
  it('opens a throwaway database, applies a migration folder and snapshots it', async () => {
    const db = await openScratchDatabase('sqlite');
    try {
      const set = await applyMigrations(db, root('migrations-examples/sqlite/shop/migrations'), { dialect: 'sqlite' });
      expect(set.migrations.length).toBeGreaterThanOrEqual(6);
      const snapshot = await takeSnapshot(db);
      expect(snapshot.engine).toBe('sqlite');
      expectSchemasEqual(snapshot, await takeSnapshot(root('migrations-examples/sqlite/shop/schemaguard/schema.json')));
    } finally {
      await db.dispose();
    }
  });

  it('loads a dataset file', async () => {
    const db = await openScratchDatabase('sqlite');
    try {
      await db.connection.executeScript(readFileSync(root('datasets/shop/schema.sqlite.sql'), 'utf8'));
      const loaded = await loadDataset(db, root('datasets/shop/shop.yaml'));
      expect(loaded.tables.some((t) => t.inserted > 0)).toBe(true);
    } finally {
      await db.dispose();
    }
  });

  it('fails an expectation with the diff as the message', async () => {
    const db = await openScratchDatabase('sqlite');
    try {
      await db.connection.executeScript('CREATE TABLE users (id INTEGER PRIMARY KEY)');
      const before = await takeSnapshot(db);
      await db.connection.executeScript('ALTER TABLE users ADD COLUMN email TEXT');
      const after = await takeSnapshot(db);
      expect(compareSnapshots(before, after).changes).toHaveLength(1);
      expect(() => expectSchemasEqual(after, before)).toThrow(SchemaMismatchError);
      expect(() => expectSchemasEqual(after, before)).toThrow(/users\.email: column added/);
    } finally {
      await db.dispose();
    }
  });

  it('writes a missing baseline outside CI, then holds the schema to it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'schemaguard-lib-')), 'schema.json');
    const db = await openScratchDatabase('sqlite');
    try {
      await db.connection.executeScript('CREATE TABLE users (id INTEGER PRIMARY KEY)');
      await expectSchemaToMatchBaseline(db, path, { ci: false });
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ engine: 'sqlite' });
      await db.connection.executeScript('CREATE INDEX users_id_idx ON users (id)');
      await expect(expectSchemaToMatchBaseline(db, path, { ci: true })).rejects.toThrow(/users\.users_id_idx: index added/);
      await expect(expectSchemaToMatchBaseline(db, join(path, '..', 'other.json'), { ci: true })).rejects.toThrow(/no baseline/);
    } finally {
      await db.dispose();
    }
  });
});
