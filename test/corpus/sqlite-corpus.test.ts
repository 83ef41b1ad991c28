import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/dialects/connect.js';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from '../../src/dialects/dialect.js';
import { compareSnapshots, diffSnapshots } from '../../src/diff/diff-snapshots.js';
import { renderMigrationScript } from '../../src/diff/migration-script.js';
import { generateSqliteMigration } from '../../src/dialects/sqlite/sqlite-migration.js';
import { serializeSnapshot } from '../../src/snapshot/canonical.js';
import type { SchemaSnapshot } from '../../src/snapshot/model.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';

/** Runs the sqlite3 command-line shell (not schemaguard) on a database file. */
function sqlite3(path: string, args: readonly string[], input?: string): string {
  return execFileSync('sqlite3', ['-bail', path, ...args], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

const count = (path: string, query: string): number => Number(sqlite3(path, [query]).trim());

/**
 * Tables as PRAGMA table_list types them: ordinary and virtual tables count, a virtual table's
 * shadow tables (its storage) do not.
 */
const TABLES = `SELECT l.name, l.type FROM pragma_table_list l WHERE l.schema = 'main' AND l.type IN ('table', 'virtual')
  AND l.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`;

/** Object counts from the sqlite3 shell, written independently of src/dialects/sqlite. */
function shellCounts(path: string) {
  return {
    tables: count(path, `SELECT count(*) FROM (${TABLES})`),
    // A virtual table's hidden columns belong to its module, not to its declaration.
    columns: count(path, `SELECT count(*) FROM (${TABLES}) t, pragma_table_xinfo(t.name) p WHERE t.type = 'table' OR p.hidden = 0`),
    generatedColumns: count(path, `SELECT count(*) FROM (${TABLES}) t, pragma_table_xinfo(t.name) p WHERE p.hidden IN (2, 3)`),
    primaryKeys: count(path, `SELECT count(DISTINCT t.name) FROM (${TABLES}) t, pragma_table_info(t.name) p WHERE p.pk > 0`),
    foreignKeys: count(path, `SELECT count(*) FROM (${TABLES}) t, pragma_foreign_key_list(t.name) f WHERE f.seq = 0`),
    indexes: count(path, `SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL`),
    indexKeys: count(path, `SELECT count(*) FROM sqlite_schema m, pragma_index_xinfo(m.name) x WHERE m.type = 'index' AND m.sql IS NOT NULL AND x.key = 1`),
    expressionKeys: count(path, `SELECT count(*) FROM sqlite_schema m, pragma_index_xinfo(m.name) x WHERE m.type = 'index' AND m.sql IS NOT NULL AND x.key = 1 AND x.cid = -2`),
    views: count(path, `SELECT count(*) FROM sqlite_schema WHERE type = 'view'`),
    triggers: count(path, `SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'`),
  };
}

function snapshotCounts(snapshot: SchemaSnapshot) {
  const columns = snapshot.tables.flatMap((t) => t.columns);
  const indexes = snapshot.tables.flatMap((t) => t.indexes);
  const keys = indexes.flatMap((i) => i.keys);
  return {
    tables: snapshot.tables.length,
    columns: columns.length,
    generatedColumns: columns.filter((c) => c.generated !== null).length,
    primaryKeys: snapshot.tables.filter((t) => t.primaryKey !== null).length,
    foreignKeys: snapshot.tables.reduce((sum, t) => sum + t.foreignKeys.length, 0),
    indexes: indexes.length,
    indexKeys: keys.length,
    expressionKeys: keys.filter((k) => k.kind === 'expression').length,
    views: snapshot.views.length,
    triggers: snapshot.triggers.length,
  };
}

async function snapshotFile(path: string): Promise<SchemaSnapshot> {
  const connection = await openDatabase({ kind: 'sqlite', engine: 'sqlite', path }, 'read-only', {
    statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS,
  });
  try {
    return await connection.captureSchema({ schemas: [] });
  } finally {
    await connection.close();
  }
}

const DATA_SOURCES = 'chinook/ChinookDatabase/DataSources';
/** [name, corpus file, whether it is a database file (copied) or a script (loaded with sqlite3)] */
const CASES: [string, string, 'database' | 'script'][] = [
  ['chinook (database file)', `${DATA_SOURCES}/Chinook_Sqlite.sqlite`, 'database'],
  ['chinook, autoincrement keys (database file)', `${DATA_SOURCES}/Chinook_Sqlite_AutoIncrementPKs.sqlite`, 'database'],
  ['chinook (script)', `${DATA_SOURCES}/Chinook_Sqlite.sql`, 'script'],
  ['sakila (jOOQ)', 'sakila-jooq/sqlite-sakila-db/sqlite-sakila-schema.sql', 'script'],
  ['northwind', 'northwind-sqlite3-jpwhite3/src/create.sql', 'script'],
  ['temporal', 'temporal/schema/sqlite/v3/temporal/schema.sql', 'script'],
  ['temporal visibility', 'temporal/schema/sqlite/v3/visibility/schema.sql', 'script'],
];

describe.skipIf(!corpusAvailable)('SQLite corpus', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'schemaguard-corpus-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(CASES)('%s', (name, file, kind) => {
    let path: string;
    let snapshot: SchemaSnapshot;

    it('loads, and the snapshot counts what the sqlite3 shell counts', async () => {
      path = join(dir, `${name.replace(/\W+/g, '-')}.db`);
      if (kind === 'database') {
        // Never opened in place: the corpus is read-only test material.
        copyFileSync(corpusPath(file), path);
        chmodSync(path, 0o644);
      } else {
        sqlite3(path, [], readFileSync(corpusPath(file), 'utf8'));
      }
      snapshot = await snapshotFile(path);
      expect(snapshotCounts(snapshot)).toEqual(shellCounts(path));
      expect(snapshot.tables.length).toBeGreaterThan(0);
      // What only the CREATE statements hold was read from them, for every object.
      const columns = snapshot.tables.flatMap((t) => t.columns);
      expect(columns.filter((c) => c.generated !== null && c.generated.expression === '')).toEqual([]);
      expect(snapshot.triggers.filter((t) => t.action === '')).toEqual([]);
      expect(snapshot.views.filter((v) => v.definition === '')).toEqual([]);
    });

    it('captures the same snapshot twice, byte for byte', async () => {
      expect(serializeSnapshot(await snapshotFile(path))).toBe(serializeSnapshot(snapshot));
    });

    it('equals the snapshot of a database restored from its sqlite3 .dump', async () => {
      const restored = join(dir, `restored-${basename(path)}`);
      sqlite3(restored, [], sqlite3(path, ['.dump']));
      const restoredSnapshot = await snapshotFile(restored);
      expect(diffSnapshots(snapshot, restoredSnapshot)).toEqual([]);
      expect(serializeSnapshot(restoredSnapshot)).toBe(serializeSnapshot(snapshot));
    });
  });
});

/**
 * Generated SQL between schemas written by other people: starting from an empty database,
 * each step migrates to the next corpus schema with the SQL schemaguard generates, run by the
 * sqlite3 shell, and must give a database that snapshots equal to the schema loaded directly.
 * The migrated database holds no rows (what the steps do to data is tested in
 * test/dialects/sqlite-migration.test.ts): two unrelated schemas share table names whose
 * columns have nothing in common, and copying rows into NOT NULL columns without defaults
 * fails, as the hazards say it will.
 */
describe.skipIf(!corpusAvailable)('SQLite corpus: generated migration SQL from one schema to the next', () => {
  const chain = CASES.filter(([, , kind]) => kind === 'script').map(([name, file]) => [name, file] as const);
  let dir: string;
  let migrated: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'schemaguard-corpus-migrations-'));
    migrated = join(dir, 'migrated.db');
    sqlite3(migrated, ['VACUUM']);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([...chain, ['an empty database', null] as const])('to %s', async (name, file) => {
    const target = join(dir, `${name.replace(/\W+/g, '-')}.db`);
    sqlite3(target, file === null ? ['VACUUM'] : [], file === null ? undefined : readFileSync(corpusPath(file), 'utf8'));
    const before = await snapshotFile(migrated);
    const after = await snapshotFile(target);
    const statements = generateSqliteMigration(before, after, compareSnapshots(before, after).changes);
    sqlite3(migrated, [], renderMigrationScript(statements, { allowDestructive: true, engine: 'sqlite' }));
    expect(compareSnapshots(await snapshotFile(migrated), after).changes).toEqual([]);
  });
});
